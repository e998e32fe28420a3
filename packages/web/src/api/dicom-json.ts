/** Reading values from DICOM JSON (PS3.18 F.2), as QIDO-RS and WADO-RS metadata return it. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string } | undefined>;

/** Tags the app reads, by keyword (group+element, upper-case hex, as DICOM JSON keys them). */
export const TAG = {
  PatientName: '00100010',
  PatientID: '00100020',
  IssuerOfPatientID: '00100021',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  StudyInstanceUID: '0020000D',
  StudyDate: '00080020',
  StudyTime: '00080030',
  StudyDescription: '00081030',
  AccessionNumber: '00080050',
  ModalitiesInStudy: '00080061',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  SeriesInstanceUID: '0020000E',
  SeriesNumber: '00200011',
  SeriesDescription: '0008103E',
  Modality: '00080060',
  NumberOfSeriesRelatedInstances: '00201209',
  SOPInstanceUID: '00080018',
  InstanceNumber: '00200013',
  ImagePositionPatient: '00200032',
  ImageOrientationPatient: '00200037',
  FrameOfReferenceUID: '00200052',
  PatientPosition: '00185100',
  PixelSpacing: '00280030',
  Rows: '00280010',
  Columns: '00280011',
} as const;

export function text(dataset: DicomJson, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    // Person Name: { Alphabetic: 'Family^Given' }
    const alphabetic = (value as { Alphabetic?: string }).Alphabetic;
    return alphabetic ?? '';
  }
  return String(value);
}

export function numbers(dataset: DicomJson, tag: string): number[] {
  return (dataset[tag]?.Value ?? []).map((v) => Number(v));
}

export function integer(dataset: DicomJson, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? undefined : n;
}

/** 'Family^Given' → 'Family, Given' for display. */
export function personName(raw: string): string {
  const [family = '', given = ''] = raw.split('^');
  return given !== '' ? `${family}, ${given}` : family;
}

/** 'YYYYMMDD' → 'YYYY-MM-DD' (unchanged when not a DICOM date). */
export function dicomDate(raw: string): string {
  return /^\d{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}` : raw;
}
