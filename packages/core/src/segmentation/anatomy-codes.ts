/**
 * Coded concepts for Keyhole's structures, as DICOM SEG needs them (Segmented Property Category and
 * Type, PS3.3 §C.8.20.2) and as the SR's finding sites use them.
 *
 * Sources. Every SNOMED CT (SCT) code below was checked against DICOM PS3.16 as shipped in pydicom
 * 2.3 (`pydicom/sr/_concepts_dict.py`, generated from the standard's part 16), and the context group
 * it is listed in is given beside it:
 * - CID 7150 "Segmentation Property Categories": Anatomical Structure 123037004, Tissue 85756007,
 *   Body Substance 91720002, Morphologically Abnormal Structure 49755003;
 * - CID 7151 "Segmentation Property Types" (also CID 4 "Anatomic Region" for most): Vertebra 51282000,
 *   Sacrum 54735007, Coccyx 64688005, Spinal cord 2748008, Aorta 15825003, Inferior Vena Cava 64131007,
 *   Common Iliac Artery 73634005, Common iliac vein 46027005, Kidney 64033007, Erector spinae muscle
 *   44947003, Rib 113197003, Ilium 22356005, Skin 39937001, Body fat 248300009, Abdominal wall muscle 195879000;
 * - CID 7304 "Bones of the pelvis…": Pelvis (bone structure of pelvis) 118645006;
 * - CID 4 "Anatomic Region": Cervical spine 122494005, Thoracic spine 122495006, Lumbar spine 122496007;
 * - CID 1000–1003 (spinal levels): "Level of L4/L5 intervertebral disc" 243923001 and its siblings;
 * - CID 244/247 "Laterality": Left 7771000, Right 24028007.
 * Keyhole structures without a standard code in those groups (individual vertebral levels, the
 * intervertebral disc, dural sac, cauda equina, conus, roots and ganglia, ligamentum flavum, epidural
 * fat, psoas, bowel, bowel gas, herniated fragments) use the PRIVATE coding scheme `99KEYHOLE` (PS3.16
 * §8: designators starting with "99" are local), declared in every SEG and SR Keyhole writes through
 * the Coding Scheme Identification Sequence. Foreign structures (another tool's names) get a
 * `99KEYHOLE` code `KHF…` whose meaning is the source name.
 */
import { hash128 } from '../dicom/write/uid.ts';
import { isLabelName, LABELS, type LabelName } from '../phantom/vocabulary.ts';

export interface CodedConcept {
  /** Code Value (SH, ≤ 16 characters). */
  readonly value: string;
  /** Coding Scheme Designator: `SCT`, `DCM`, `UCUM` or `99KEYHOLE`. */
  readonly scheme: string;
  readonly meaning: string;
}

export interface StructureCodes {
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  /** Laterality and/or the level (local code) qualifying the type. */
  readonly typeModifiers: readonly CodedConcept[];
  /** Anatomic region (for example the disc level of a herniated fragment, the spine region of a vertebra). */
  readonly region?: CodedConcept;
}

export const KEYHOLE_CODING_SCHEME = '99KEYHOLE';
export const KEYHOLE_CODING_SCHEME_NAME = 'Keyhole local codes (anatomy and measurements without a standard code)';

const sct = (value: string, meaning: string): CodedConcept => ({ value, scheme: 'SCT', meaning });
const local = (value: string, meaning: string): CodedConcept => ({ value, scheme: KEYHOLE_CODING_SCHEME, meaning });

// CID 7150
const ANATOMICAL_STRUCTURE = sct('123037004', 'Anatomical Structure');
const TISSUE = sct('85756007', 'Tissue');
const BODY_SUBSTANCE = sct('91720002', 'Body Substance');
const ABNORMAL = sct('49755003', 'Morphologically Abnormal Structure');
// CID 244/247
const LEFT = sct('7771000', 'Left');
const RIGHT = sct('24028007', 'Right');
// CID 4
const SPINE_REGION: Readonly<Record<string, CodedConcept>> = {
  C: sct('122494005', 'Cervical spine'),
  T: sct('122495006', 'Thoracic spine'),
  L: sct('122496007', 'Lumbar spine'),
  S: sct('54735007', 'Sacrum'),
};

/** CID 1000–1003: "Level of X/Y intervertebral disc" for the standard discs. */
const DISC_LEVEL_CODES: Readonly<Record<string, string>> = {
  'C2-C3': '243902007', 'C3-C4': '243903002', 'C4-C5': '243904008', 'C5-C6': '243905009', 'C6-C7': '243906005',
  'C7-T1': '243925008', 'T1-T2': '243908006', 'T2-T3': '243909003', 'T3-T4': '243910008', 'T4-T5': '243911007',
  'T5-T6': '243912000', 'T6-T7': '243913005', 'T7-T8': '243914004', 'T8-T9': '243915003', 'T9-T10': '243916002',
  'T10-T11': '243917006', 'T11-T12': '243918001', 'T12-L1': '243926009', 'L1-L2': '243920003', 'L2-L3': '243921004',
  'L3-L4': '243922006', 'L4-L5': '243923001', 'L5-S1': '243927000',
};

/** Keyhole name → standard type code (CID 7151) where the structure has one; sides via modifiers. */
const STANDARD_TYPES: Readonly<Record<string, { category: CodedConcept; type: CodedConcept }>> = {
  sacrum: { category: ANATOMICAL_STRUCTURE, type: sct('54735007', 'Sacrum') },
  coccyx: { category: ANATOMICAL_STRUCTURE, type: sct('64688005', 'Coccyx') },
  spinal_cord: { category: ANATOMICAL_STRUCTURE, type: sct('2748008', 'Spinal cord') },
  aorta: { category: ANATOMICAL_STRUCTURE, type: sct('15825003', 'Aorta') },
  ivc: { category: ANATOMICAL_STRUCTURE, type: sct('64131007', 'Inferior Vena Cava') },
  iliac_artery: { category: ANATOMICAL_STRUCTURE, type: sct('73634005', 'Common Iliac Artery') },
  iliac_vein: { category: ANATOMICAL_STRUCTURE, type: sct('46027005', 'Common iliac vein') },
  kidney: { category: ANATOMICAL_STRUCTURE, type: sct('64033007', 'Kidney') },
  // Approximate: Keyhole's paraspinal block is the erector spinae with the deeper transversospinalis.
  paraspinal: { category: ANATOMICAL_STRUCTURE, type: sct('44947003', 'Erector spinae muscle') },
  ilium: { category: ANATOMICAL_STRUCTURE, type: sct('22356005', 'Ilium') },
  // Keyhole's `pelvis` is the pubis and ischium; the closest coded concept is the bony pelvis (CID 7304).
  pelvis: { category: ANATOMICAL_STRUCTURE, type: sct('118645006', 'Pelvis') },
  rib: { category: ANATOMICAL_STRUCTURE, type: sct('113197003', 'Rib') },
  skin: { category: TISSUE, type: sct('39937001', 'Skin') },
  fat: { category: TISSUE, type: sct('248300009', 'Body fat') },
  abdominal_wall: { category: ANATOMICAL_STRUCTURE, type: sct('195879000', 'Abdominal wall muscle') },
};

/** Keyhole structures with no standard type code: local codes (value = `KH` + the fixed label value). */
const LOCAL_TYPES: Readonly<Record<string, { category: CodedConcept; meaning: string }>> = {
  disc: { category: ANATOMICAL_STRUCTURE, meaning: 'Intervertebral disc' },
  herniation: { category: ABNORMAL, meaning: 'Herniated disc material' },
  dural_sac: { category: ANATOMICAL_STRUCTURE, meaning: 'Dural sac' },
  cauda_equina: { category: ANATOMICAL_STRUCTURE, meaning: 'Cauda equina' },
  conus: { category: ANATOMICAL_STRUCTURE, meaning: 'Conus medullaris' },
  ligamentum_flavum: { category: ANATOMICAL_STRUCTURE, meaning: 'Ligamentum flavum' },
  epidural_fat: { category: TISSUE, meaning: 'Epidural fat' },
  root: { category: ANATOMICAL_STRUCTURE, meaning: 'Spinal nerve root' },
  drg: { category: ANATOMICAL_STRUCTURE, meaning: 'Dorsal root ganglion' },
  psoas: { category: ANATOMICAL_STRUCTURE, meaning: 'Psoas muscle' },
  bowel: { category: ANATOMICAL_STRUCTURE, meaning: 'Bowel' },
  bowel_gas: { category: BODY_SUBSTANCE, meaning: 'Bowel gas' },
};

/** Codes of a Keyhole structure (or, `foreign`, of another tool's structure kept under its own name). */
export function structureCodes(name: string, foreign = false): StructureCodes {
  if (foreign || !isLabelName(name) || name === 'background') {
    return { category: ANATOMICAL_STRUCTURE, type: local(foreignCodeValue(name), name), typeModifiers: [] };
  }
  const value = LABELS[name as LabelName];
  const levelCode = local(`KH${value}`, name);
  const sideMatch = /_(left|right)$/.exec(name);
  const side = sideMatch === null ? [] : [sideMatch[1] === 'left' ? LEFT : RIGHT];
  const base = sideMatch === null ? name : name.slice(0, -sideMatch[0].length);

  if (value >= 1 && value <= 27 && name !== 'sacrum') {
    // A vertebra: "Vertebra" qualified by its level (local code) in its spine region.
    return { category: ANATOMICAL_STRUCTURE, type: sct('51282000', 'Vertebra'), typeModifiers: [levelCode], region: SPINE_REGION[name[0]!]! };
  }
  if (value >= 31 && value <= 59) {
    return { category: ANATOMICAL_STRUCTURE, type: local('KH-DISC', LOCAL_TYPES['disc']!.meaning), typeModifiers: [levelCode], region: discRegion(name) };
  }
  if (value >= 61 && value <= 89) {
    const disc = name.slice('herniation_'.length);
    return { category: ABNORMAL, type: local('KH-HERNIATION', LOCAL_TYPES['herniation']!.meaning), typeModifiers: [local(`KH${value - 30}`, disc)], region: discRegion(disc) };
  }
  const rib = /^rib_(T\d+)_(left|right)$/.exec(name);
  if (rib !== null) return { ...STANDARD_TYPES['rib']!, typeModifiers: [...side, levelCode] };
  const nerve = /^(root|drg)_([CTLS]\d+)_(left|right)$/.exec(name);
  if (nerve !== null) {
    const kind = LOCAL_TYPES[nerve[1]!]!;
    return { category: kind.category, type: local(`KH-${nerve[1]!.toUpperCase()}`, kind.meaning), typeModifiers: [...side, local(`KH${value}`, name)] };
  }
  const standard = STANDARD_TYPES[name] ?? STANDARD_TYPES[base];
  if (standard !== undefined) return { ...standard, typeModifiers: side };
  const localType = LOCAL_TYPES[name] ?? LOCAL_TYPES[base];
  if (localType !== undefined) {
    return { category: localType.category, type: local(`KH-${base.toUpperCase().replace(/_/g, '-')}`.slice(0, 16), localType.meaning), typeModifiers: [...side, levelCode] };
  }
  return { category: ANATOMICAL_STRUCTURE, type: levelCode, typeModifiers: side };
}

/**
 * Keyhole's name for a segment read from a DICOM SEG written by another tool, from its codes:
 * Keyhole's own local codes (`KH24` → L4), or a standard type (with laterality) that only one
 * Keyhole structure uses. Undefined when the codes do not identify one Keyhole structure.
 */
export function structureFromCodes(type: CodedConcept, modifiers: readonly CodedConcept[]): LabelName | undefined {
  for (const code of [type, ...modifiers]) {
    const match = code.scheme === KEYHOLE_CODING_SCHEME ? /^KH(\d+)$/.exec(code.value) : null;
    if (match === null) continue;
    // A herniated fragment carries its disc's code; its own value is the disc's + 30 (vocabulary.ts).
    const value = Number(match[1]) + (type.value === 'KH-HERNIATION' ? 30 : 0);
    const name = nameOfValue(value);
    if (name !== undefined) return name;
  }
  const side = modifiers.some((m) => m.scheme === 'SCT' && m.value === LEFT.value) ? 'left' : modifiers.some((m) => m.scheme === 'SCT' && m.value === RIGHT.value) ? 'right' : undefined;
  for (const [key, entry] of Object.entries(STANDARD_TYPES)) {
    if (entry.type.scheme !== type.scheme || entry.type.value !== type.value || key === 'rib') continue;
    const candidate = side !== undefined ? `${key}_${side}` : key;
    if (isLabelName(candidate)) return candidate;
  }
  return undefined;
}

function discRegion(disc: string): CodedConcept {
  const code = DISC_LEVEL_CODES[disc];
  if (code !== undefined) return sct(code, `Level of ${disc.replace('-', '/')} intervertebral disc`);
  return SPINE_REGION[disc[0]!] ?? SPINE_REGION['L']!;
}

function nameOfValue(value: number): LabelName | undefined {
  for (const name of Object.keys(LABELS) as LabelName[]) if (LABELS[name] === value) return name;
  return undefined;
}

/** `KHF` + 8 hex digits of a hash of the name: a stable local code value for a foreign structure (≤ 16 characters). */
export function foreignCodeValue(name: string): string {
  return `KHF${hash128(`foreign/${name}`)[0].toString(16).padStart(8, '0').toUpperCase()}`;
}
