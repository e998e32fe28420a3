/**
 * DICOM SR writer for TID 1500 "Measurement Report" (PS3.16), as a Comprehensive 3D SR instance
 * (SOP class 1.2.840.10008.5.1.4.1.1.88.34: it admits every value type TID 1500 uses and, later,
 * SCOORD3D outlines of the findings in patient coordinates).
 *
 * Content tree (PS3.16 TID 1500 and the templates it includes):
 *   CONTAINER (126000, DCM, "Imaging Measurement Report")            root, template DCMR 1500
 *   > HAS CONCEPT MOD CODE (121049, DCM, "Language of Content Item and Descendants") = en-US  (TID 1204)
 *   > HAS OBS CONTEXT  Observer Type / Device Observer UID, Name, Manufacturer  or  Person Observer Name (TID 1002/1004)
 *   > HAS CONCEPT MOD CODE (121058, DCM, "Procedure reported")
 *   > CONTAINS CONTAINER (111028, DCM, "Image Library") > CONTAINER (126200, DCM, "Image Library Group") > IMAGE…  (TID 1600)
 *   > CONTAINS CONTAINER (126010, DCM, "Imaging Measurements")
 *     > CONTAINS CONTAINER (125007, DCM, "Measurement Group")  one per group (TID 1501)
 *       > HAS OBS CONTEXT TEXT (112039, DCM, "Tracking Identifier"); UIDREF (112040, DCM, "Tracking Unique Identifier")
 *       > CONTAINS CODE (121071, DCM, "Finding")
 *       > HAS CONCEPT MOD CODE (363698007, SCT, "Finding Site") [> HAS CONCEPT MOD CODE (272741003, SCT, "Laterality")]
 *       > CONTAINS NUM <measurement> with UCUM units [> HAS CONCEPT MOD TEXT (370129005, SCT, "Measurement Method") = rule + source tag]
 *       > CONTAINS CODE|TEXT <qualitative evaluation> [> same method item]
 * Every code above was checked against PS3.16 as shipped in pydicom 2.3; local concepts use `99KEYHOLE`.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { structureCodes, type CodedConcept } from '../../segmentation/anatomy-codes.ts';
import { encodePart10 } from './dcmjs-api.ts';
import { formatDecimalString } from './decimal-string.ts';
import { codeItem, codingSchemeIdentification, fileMeta, SOFTWARE_VERSION, studyAttributes, type CreationTime } from './seg-common.ts';
import type { SegSourceSeries } from './seg-source.ts';
import type { DicomFile } from './series-metadata.ts';
import {
  findingConcept, measurementConcept, qualitativeConcept, UCUM_UNITS, type MeasurementGroupInput,
} from './sr-measurements.ts';
import { uidFromKey } from './uid.ts';

export const COMPREHENSIVE_3D_SR_STORAGE = '1.2.840.10008.5.1.4.1.1.88.34';

const dcm = (value: string, meaning: string): CodedConcept => ({ value, scheme: 'DCM', meaning });
const sct = (value: string, meaning: string): CodedConcept => ({ value, scheme: 'SCT', meaning });

const C = {
  report: dcm('126000', 'Imaging Measurement Report'),
  language: dcm('121049', 'Language of Content Item and Descendants'),
  english: { value: 'en-US', scheme: 'RFC5646', meaning: 'English, United States' },
  observerType: dcm('121005', 'Observer Type'),
  device: dcm('121007', 'Device'),
  person: dcm('121006', 'Person'),
  deviceUid: dcm('121012', 'Device Observer UID'),
  deviceName: dcm('121013', 'Device Observer Name'),
  deviceManufacturer: dcm('121014', 'Device Observer Manufacturer'),
  personName: dcm('121008', 'Person Observer Name'),
  procedureReported: dcm('121058', 'Procedure reported'),
  imagingProcedure: sct('363679005', 'Imaging procedure'), // CID 100
  imageLibrary: dcm('111028', 'Image Library'),
  imageLibraryGroup: dcm('126200', 'Image Library Group'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  trackingId: dcm('112039', 'Tracking Identifier'),
  trackingUid: dcm('112040', 'Tracking Unique Identifier'),
  finding: dcm('121071', 'Finding'),
  findingSite: sct('363698007', 'Finding Site'),
  laterality: sct('272741003', 'Laterality'),
  left: sct('7771000', 'Left'),
  right: sct('24028007', 'Right'),
  bilateral: sct('51440002', 'Bilateral'),
  method: sct('370129005', 'Measurement Method'),
} as const;

export type ReportObserver =
  | { readonly kind: 'device'; readonly name: string; readonly uid?: string; readonly manufacturer?: string }
  | { readonly kind: 'person'; readonly name: string };

export interface WriteMeasurementReportOptions {
  /** The series the measurements were made on (study context, and the images of the image library). */
  readonly source: SegSourceSeries;
  readonly created: CreationTime;
  readonly observer: ReportObserver;
  readonly groups: readonly MeasurementGroupInput[];
  /** Procedure reported (CID 100); default SCT 363679005 "Imaging procedure". */
  readonly procedure?: CodedConcept;
  readonly uidKey?: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  /** Default PARTIAL: a generated report is not complete until a person has read it. */
  readonly completion?: 'PARTIAL' | 'COMPLETE';
}

export interface WriteMeasurementReportResult {
  readonly file: DicomFile;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly trackingUids: readonly string[];
}

export function writeMeasurementReport(options: WriteMeasurementReportOptions): WriteMeasurementReportResult {
  const { source, created, observer } = options;
  checkGroups(options.groups);
  const uidKey = options.uidKey ?? `sr/${source.seriesInstanceUid}`;
  const seriesInstanceUid = uidFromKey(`${uidKey}/series`);
  const sopInstanceUid = uidFromKey(`${uidKey}/instance`);
  const used: CodedConcept[] = [];
  const code = (concept: CodedConcept): Record<string, unknown> => {
    used.push(concept);
    return codeItem(concept);
  };
  const item = (relationship: string, valueType: string, concept: CodedConcept, value: Record<string, unknown>, children: Record<string, unknown>[] = []): Record<string, unknown> => ({
    RelationshipType: relationship,
    ValueType: valueType,
    ConceptNameCodeSequence: [code(concept)],
    ...value,
    ...(children.length > 0 ? { ContentSequence: children } : {}),
  });
  const container = (relationship: string, concept: CodedConcept, children: Record<string, unknown>[]): Record<string, unknown> =>
    item(relationship, 'CONTAINER', concept, { ContinuityOfContent: 'SEPARATE' }, children);
  const text = (relationship: string, concept: CodedConcept, value: string): Record<string, unknown> => item(relationship, 'TEXT', concept, { TextValue: value });
  const coded = (relationship: string, concept: CodedConcept, value: CodedConcept, children: Record<string, unknown>[] = []): Record<string, unknown> =>
    item(relationship, 'CODE', concept, { ConceptCodeSequence: [code(value)] }, children);
  const method = (rule: string | undefined): Record<string, unknown>[] => (rule !== undefined ? [text('HAS CONCEPT MOD', C.method, rule)] : []);

  const observerItems = observer.kind === 'device'
    ? [
        coded('HAS OBS CONTEXT', C.observerType, C.device),
        item('HAS OBS CONTEXT', 'UIDREF', C.deviceUid, { UID: observer.uid ?? uidFromKey(`keyhole/device/${observer.name}`) }),
        text('HAS OBS CONTEXT', C.deviceName, observer.name),
        text('HAS OBS CONTEXT', C.deviceManufacturer, observer.manufacturer ?? 'Keyhole'),
      ]
    : [coded('HAS OBS CONTEXT', C.observerType, C.person), item('HAS OBS CONTEXT', 'PNAME', C.personName, { PersonName: observer.name })];

  const library = container('CONTAINS', C.imageLibrary, [
    container('CONTAINS', C.imageLibraryGroup, source.images.map((image) => ({
      RelationshipType: 'CONTAINS',
      ValueType: 'IMAGE',
      ReferencedSOPSequence: [{ ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid }],
    }))),
  ]);

  const trackingUids: string[] = [];
  const groups = options.groups.map((group) => {
    const trackingUid = group.trackingUid ?? uidFromKey(`${uidKey}/tracking/${group.trackingId}`);
    trackingUids.push(trackingUid);
    const children: Record<string, unknown>[] = [
      text('HAS OBS CONTEXT', C.trackingId, group.trackingId),
      item('HAS OBS CONTEXT', 'UIDREF', C.trackingUid, { UID: trackingUid }),
      coded('CONTAINS', C.finding, findingConcept(group.finding)),
    ];
    if (group.findingSite !== undefined) {
      const side = group.side === undefined ? [] : [coded('HAS CONCEPT MOD', C.laterality, group.side === 'left' ? C.left : group.side === 'right' ? C.right : C.bilateral)];
      children.push(coded('HAS CONCEPT MOD', C.findingSite, findingSiteConcept(group.findingSite), side));
    }
    for (const measurement of group.measurements) {
      children.push(item('CONTAINS', 'NUM', measurement.concept ?? measurementConcept(measurement.name), {
        MeasuredValueSequence: [{ MeasurementUnitsCodeSequence: [code(UCUM_UNITS[measurement.unit])], NumericValue: formatDecimalString(measurement.value) }],
      }, method(measurement.rule)));
    }
    for (const evaluation of group.qualitative ?? []) {
      const concept = evaluation.concept ?? qualitativeConcept(evaluation.name);
      children.push(typeof evaluation.value === 'string'
        ? item('CONTAINS', 'TEXT', concept, { TextValue: evaluation.value }, method(evaluation.rule))
        : coded('CONTAINS', concept, evaluation.value, method(evaluation.rule)));
    }
    return container('CONTAINS', C.measurementGroup, children);
  });

  const content = [
    coded('HAS CONCEPT MOD', C.language, C.english),
    ...observerItems,
    coded('HAS CONCEPT MOD', C.procedureReported, options.procedure ?? C.imagingProcedure),
    library,
    container('CONTAINS', C.imagingMeasurements, groups),
  ];
  used.push(C.report);

  const dataset: Record<string, unknown> = {
    ...studyAttributes(source.study, created),
    SOPClassUID: COMPREHENSIVE_3D_SR_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    ContentDate: created.date,
    ContentTime: created.time,
    SeriesDate: created.date,
    SeriesTime: created.time,
    Modality: 'SR',
    Manufacturer: 'Keyhole',
    ManufacturerModelName: 'Keyhole',
    DeviceSerialNumber: '0',
    SoftwareVersions: SOFTWARE_VERSION,
    SeriesDescription: (options.seriesDescription ?? 'Measurement report').slice(0, 64),
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: options.seriesNumber ?? 901,
    ReferencedPerformedProcedureStepSequence: [],
    InstanceNumber: 1,
    // No Frame of Reference module: Comprehensive 3D SR requires it only with SCOORD3D content (dciodvfy flags it otherwise).
    CompletionFlag: options.completion ?? 'PARTIAL',
    VerificationFlag: 'UNVERIFIED',
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [{
      StudyInstanceUID: source.study.studyInstanceUid,
      ReferencedSeriesSequence: [{
        SeriesInstanceUID: source.seriesInstanceUid,
        ReferencedSOPSequence: source.images.map((image) => ({ ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid })),
      }],
    }],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codeItem(C.report)],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: content,
  };
  Object.assign(dataset, codingSchemeIdentification(used));
  const bytes = encodePart10({ meta: fileMeta(COMPREHENSIVE_3D_SR_STORAGE, sopInstanceUid), dataset });
  return { file: { name: 'sr.dcm', bytes }, sopInstanceUid, seriesInstanceUid, trackingUids };
}

/**
 * The finding site of a Keyhole structure as ONE code: the standard disc-level code for a disc, the
 * standard structure code where there is one (aorta, kidney), else Keyhole's local code of the level.
 */
export function findingSiteConcept(structure: string): CodedConcept {
  const codes = structureCodes(structure);
  if (codes.region !== undefined && codes.region.meaning.startsWith('Level of')) return codes.region;
  const specific = [...codes.typeModifiers].reverse().find((m) => /^KH\d+$/.test(m.value));
  if (codes.type.scheme === 'SCT' && specific === undefined) return codes.type;
  return specific ?? codes.type;
}

function checkGroups(groups: readonly MeasurementGroupInput[]): void {
  if (groups.length === 0) invalid('groups', 'a measurement report needs at least one measurement group');
  const ids = new Set<string>();
  groups.forEach((group, g) => {
    if (group.trackingId.length === 0) invalid(`groups[${g}].trackingId`, 'must not be empty');
    if (ids.has(group.trackingId)) invalid(`groups[${g}].trackingId`, `"${group.trackingId}" is used by another group`);
    ids.add(group.trackingId);
    if (group.measurements.length === 0 && (group.qualitative ?? []).length === 0) invalid(`groups[${g}]`, 'has no measurement and no qualitative evaluation');
    group.measurements.forEach((m, n) => {
      if (!Number.isFinite(m.value)) invalid(`groups[${g}].measurements[${n}].value`, `must be a finite number, got ${m.value}`);
      if (!Object.prototype.hasOwnProperty.call(UCUM_UNITS, m.unit)) invalid(`groups[${g}].measurements[${n}].unit`, `unknown unit "${m.unit}" (one of ${Object.keys(UCUM_UNITS).join(', ')})`);
    });
  });
}

function invalid(path: string, message: string): never {
  throw new KeyholeError('VALIDATION_FAILED', { path, message: `cannot write the measurement report: ${message}` });
}
