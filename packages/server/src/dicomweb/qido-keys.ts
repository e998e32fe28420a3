/**
 * QIDO-RS matching keys and return attributes (PS3.18 §10.6.1.2 and Tables 10.6.3-3 to -5), and
 * how each maps onto the archive's indexed columns.
 *
 * Matching (PS3.4 §C.2.2.2): single value (exact; PN case-insensitive here, as PS3.18 §10.6.1.2.3
 * allows), wildcard `*` and `?`, UID list (comma or backslash separated), range for DA/TM/DT
 * (`20200101-20201231`, `-20201231`, `20200101-`).
 */
export type QueryLevel = 'study' | 'series' | 'instance';
export type MatchKind = 'uid' | 'pn' | 'string' | 'date' | 'number' | 'modalities';

export interface MatchingKey {
  readonly keyword: string;
  readonly tag: string;
  readonly vr: string;
  readonly level: QueryLevel | 'patient';
  /** Table.column the key matches on. */
  readonly column: string;
  readonly kind: MatchKind;
}

export const MATCHING_KEYS: readonly MatchingKey[] = [
  { keyword: 'PatientName', tag: '00100010', vr: 'PN', level: 'patient', column: 'patient.patient_name', kind: 'pn' },
  { keyword: 'PatientID', tag: '00100020', vr: 'LO', level: 'patient', column: 'patient.patient_id', kind: 'string' },
  { keyword: 'PatientBirthDate', tag: '00100030', vr: 'DA', level: 'patient', column: 'patient.birth_date', kind: 'date' },
  { keyword: 'PatientSex', tag: '00100040', vr: 'CS', level: 'patient', column: 'patient.sex', kind: 'string' },
  { keyword: 'StudyInstanceUID', tag: '0020000D', vr: 'UI', level: 'study', column: 'study.study_uid', kind: 'uid' },
  { keyword: 'StudyDate', tag: '00080020', vr: 'DA', level: 'study', column: 'study.study_date', kind: 'date' },
  { keyword: 'StudyTime', tag: '00080030', vr: 'TM', level: 'study', column: 'study.study_time', kind: 'date' },
  { keyword: 'AccessionNumber', tag: '00080050', vr: 'SH', level: 'study', column: 'study.accession_number', kind: 'string' },
  { keyword: 'ReferringPhysicianName', tag: '00080090', vr: 'PN', level: 'study', column: 'study.referring_physician', kind: 'pn' },
  { keyword: 'StudyID', tag: '00200010', vr: 'SH', level: 'study', column: 'study.study_id', kind: 'string' },
  { keyword: 'StudyDescription', tag: '00081030', vr: 'LO', level: 'study', column: 'study.study_description', kind: 'string' },
  { keyword: 'ModalitiesInStudy', tag: '00080061', vr: 'CS', level: 'study', column: 'series.modality', kind: 'modalities' },
  { keyword: 'SeriesInstanceUID', tag: '0020000E', vr: 'UI', level: 'series', column: 'series.series_uid', kind: 'uid' },
  { keyword: 'Modality', tag: '00080060', vr: 'CS', level: 'series', column: 'series.modality', kind: 'string' },
  { keyword: 'SeriesNumber', tag: '00200011', vr: 'IS', level: 'series', column: 'series.series_number', kind: 'number' },
  { keyword: 'SeriesDescription', tag: '0008103E', vr: 'LO', level: 'series', column: 'series.series_description', kind: 'string' },
  { keyword: 'BodyPartExamined', tag: '00180015', vr: 'CS', level: 'series', column: 'series.body_part', kind: 'string' },
  { keyword: 'SOPInstanceUID', tag: '00080018', vr: 'UI', level: 'instance', column: 'instance.sop_instance_uid', kind: 'uid' },
  { keyword: 'SOPClassUID', tag: '00080016', vr: 'UI', level: 'instance', column: 'instance.sop_class_uid', kind: 'uid' },
  { keyword: 'InstanceNumber', tag: '00200013', vr: 'IS', level: 'instance', column: 'instance.instance_number', kind: 'number' },
];

const BY_NAME = new Map<string, MatchingKey>(MATCHING_KEYS.flatMap((key) => [[key.keyword.toLowerCase(), key], [key.tag.toLowerCase(), key]]));

export function matchingKey(name: string): MatchingKey | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Attributes a result carries by default (PS3.18 Tables 10.6.3-3, -4, -5). */
export const DEFAULT_STUDY_TAGS = ['00080005', '00080020', '00080030', '00080050', '00080056', '00080061', '00080090', '00081190', '00100010', '00100020', '00100030', '00100040', '0020000D', '00200010', '00201206', '00201208'];
export const DEFAULT_SERIES_TAGS = ['00080005', '00080056', '00080060', '0008103E', '00081190', '0020000D', '0020000E', '00200011', '00201209'];
export const DEFAULT_INSTANCE_TAGS = ['00080005', '00080016', '00080018', '00080056', '00081190', '0020000D', '0020000E', '00200013', '00280008', '00280010', '00280011', '00280100'];

/**
 * Attributes of the Patient and Study modules (PS3.3 C.7.1.1, C.7.2.1, C.7.2.2), the ones that
 * `includefield=all` adds at study level from a representative instance.
 */
export const STUDY_LEVEL_GROUPS = (tag: string): boolean => tag.startsWith('0010') || ['00080020', '00080030', '00080050', '00080090', '00081030', '00081032', '00081060', '0020000D', '00200010', '00101010', '00101020', '00101030'].includes(tag);
