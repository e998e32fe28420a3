/**
 * The input of the TID 1500 measurement report: typed measurement groups, one per finding and level,
 * in words Keyhole's findings use. The vocabulary is deliberately OPEN — a measurement or finding is
 * named in words (`posterior disc height`, `dural sac area`, `slip`, `Pfirrmann grade`) and coded by
 * `measurementConcept` / `findingConcept`: a standard code where PS3.16 has a generic one, else a
 * stable local `99KEYHOLE` code derived from the name, so new findings need no change here.
 */
import { hash128 } from './uid.ts';
import { KEYHOLE_CODING_SCHEME, type CodedConcept } from '../../segmentation/anatomy-codes.ts';

/** UCUM units (PS3.16 CID 7181 / UCUM as used in DICOM: code, meaning). */
export const UCUM_UNITS = {
  mm: { value: 'mm', scheme: 'UCUM', meaning: 'millimeter' },
  mm2: { value: 'mm2', scheme: 'UCUM', meaning: 'square millimeter' },
  '%': { value: '%', scheme: 'UCUM', meaning: 'Percent' },
  HU: { value: "[hnsf'U]", scheme: 'UCUM', meaning: 'Hounsfield Unit' },
  deg: { value: 'deg', scheme: 'UCUM', meaning: 'Degree' },
  ml: { value: 'ml', scheme: 'UCUM', meaning: 'milliliter' },
  cm3: { value: 'cm3', scheme: 'UCUM', meaning: 'cubic centimeter' },
  '1': { value: '1', scheme: 'UCUM', meaning: 'no units' },
} as const satisfies Record<string, CodedConcept>;

export type MeasurementUnit = keyof typeof UCUM_UNITS;

export interface MeasurementInput {
  /** In words: `posterior disc height`, `dural sac area`, `slip`, `mean attenuation`. */
  readonly name: string;
  readonly value: number;
  readonly unit: MeasurementUnit;
  /** Coded concept name; default `measurementConcept(name)`. */
  readonly concept?: CodedConcept;
  /** The rule or method and its source tag, e.g. `Schizas grade from dural sac area [Schizas2010]`. */
  readonly rule?: string;
}

export interface QualitativeInput {
  /** In words: `Pfirrmann grade`, `Meyerding grade`, `herniation type`. */
  readonly name: string;
  /** A coded value, or text (`III`, `extrusion`). */
  readonly value: CodedConcept | string;
  readonly concept?: CodedConcept;
  readonly rule?: string;
}

export interface MeasurementGroupInput {
  /** Human-readable tracking identifier (TID 1501 row 2), e.g. `L4-L5 disc herniation`. */
  readonly trackingId: string;
  /** Tracking Unique Identifier; default derived from the report key and the tracking identifier. */
  readonly trackingUid?: string;
  /** The finding in words (`disc herniation`, `central canal stenosis`) or coded. */
  readonly finding: string | CodedConcept;
  /** Keyhole structure name where the finding is (`L4-L5`, `L4`, `root_L5_left`), coded with anatomy-codes.ts. */
  readonly findingSite?: string;
  /** Laterality of the finding site. */
  readonly side?: 'left' | 'right' | 'bilateral';
  readonly measurements: readonly MeasurementInput[];
  readonly qualitative?: readonly QualitativeInput[];
}

/** Generic measurement concepts with a standard code (verified in PS3.16 via pydicom 2.3). */
const STANDARD_MEASUREMENTS: Readonly<Record<string, CodedConcept>> = {
  height: { value: '121207', scheme: 'DCM', meaning: 'Height' }, // CID 7470
  area: { value: '42798000', scheme: 'SCT', meaning: 'Area' }, // CID 7471
  diameter: { value: '81827009', scheme: 'SCT', meaning: 'Diameter' }, // CID 7470
  'mean attenuation': { value: '112181', scheme: 'DCM', meaning: 'Mean Attenuation Coefficient' }, // CID 6141
};

/** Standard finding concepts (PS3.16 via pydicom 2.3). */
const STANDARD_FINDINGS: Readonly<Record<string, CodedConcept>> = {
  stenosis: { value: '415582006', scheme: 'SCT', meaning: 'Stenosis' }, // CID 3813
};

/** Coded concept name of a measurement named in words. */
export function measurementConcept(name: string): CodedConcept {
  return STANDARD_MEASUREMENTS[name.toLowerCase()] ?? localConcept('KHM', name);
}

/** Coded concept of a finding named in words. */
export function findingConcept(finding: string | CodedConcept): CodedConcept {
  if (typeof finding !== 'string') return finding;
  return STANDARD_FINDINGS[finding.toLowerCase()] ?? localConcept('KHX', finding);
}

/** Coded concept name of a qualitative evaluation named in words. */
export function qualitativeConcept(name: string): CodedConcept {
  return localConcept('KHQ', name);
}

/** `<prefix>` + 8 hex digits of a hash of the lower-cased words: stable, ≤ 16 characters. */
function localConcept(prefix: string, words: string): CodedConcept {
  const value = `${prefix}${hash128(`${prefix}/${words.toLowerCase()}`)[0].toString(16).padStart(8, '0').toUpperCase()}`;
  return { value, scheme: KEYHOLE_CODING_SCHEME, meaning: words.slice(0, 64) };
}
