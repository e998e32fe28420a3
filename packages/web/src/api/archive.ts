/** The archive as the worklist and case view see it: studies and series (QIDO-RS), cases, the signed-in user. */
import { api } from './client.ts';
import { integer, personName, text, TAG, dicomDate, type DicomJson } from './dicom-json.ts';

export interface Me {
  readonly id?: number;
  readonly name: string;
  readonly role: string;
  readonly via: string;
}

export interface StudySummary {
  readonly studyUid: string;
  readonly patientName: string;
  readonly patientId: string;
  /** Issuer of Patient ID: a patient is the pair (ID, issuer). */
  readonly issuer: string;
  readonly birthDate: string;
  readonly sex: string;
  readonly studyDate: string;
  readonly description: string;
  readonly accession: string;
  readonly modalities: string;
  readonly seriesCount: number;
  readonly instanceCount: number;
}

export interface SeriesSummary {
  readonly seriesUid: string;
  readonly number: number | undefined;
  readonly modality: string;
  readonly description: string;
  readonly instanceCount: number;
}

export interface CaseStudyLink {
  readonly studyUid: string;
  readonly role: 'pre-op' | 'intra-op' | 'follow-up';
}

export interface ClinicalCase {
  readonly id: number;
  readonly patientId: string;
  readonly issuer: string;
  readonly title: string;
  readonly status: string;
  readonly studies: CaseStudyLink[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

const STUDY_FIELDS = [TAG.IssuerOfPatientID, TAG.PatientBirthDate, TAG.PatientSex, TAG.StudyDescription, TAG.ModalitiesInStudy, TAG.NumberOfStudyRelatedSeries, TAG.NumberOfStudyRelatedInstances].join(',');

function studySummary(d: DicomJson): StudySummary {
  return {
    studyUid: text(d, TAG.StudyInstanceUID),
    patientName: personName(text(d, TAG.PatientName)),
    patientId: text(d, TAG.PatientID),
    issuer: text(d, TAG.IssuerOfPatientID),
    birthDate: dicomDate(text(d, TAG.PatientBirthDate)),
    sex: text(d, TAG.PatientSex),
    studyDate: dicomDate(text(d, TAG.StudyDate)),
    description: text(d, TAG.StudyDescription),
    accession: text(d, TAG.AccessionNumber),
    modalities: (d[TAG.ModalitiesInStudy]?.Value ?? []).map(String).join('/'),
    seriesCount: integer(d, TAG.NumberOfStudyRelatedSeries) ?? 0,
    instanceCount: integer(d, TAG.NumberOfStudyRelatedInstances) ?? 0,
  };
}

export async function searchStudies(limit = 500): Promise<StudySummary[]> {
  const rows = await api<DicomJson[]>(`/dicom-web/studies?limit=${limit}&includefield=${STUDY_FIELDS}`, { accept: 'application/dicom+json' });
  return rows.map(studySummary);
}

export async function findStudy(studyUid: string): Promise<StudySummary | undefined> {
  const rows = await api<DicomJson[]>(`/dicom-web/studies?StudyInstanceUID=${encodeURIComponent(studyUid)}&includefield=${STUDY_FIELDS}`, { accept: 'application/dicom+json' });
  const first = rows[0];
  return first === undefined ? undefined : studySummary(first);
}

/** The studies of one patient (QIDO PatientID match), e.g. to put a prior CT beside today's MR. */
export async function listPatientStudies(patientId: string): Promise<StudySummary[]> {
  const rows = await api<DicomJson[]>(`/dicom-web/studies?PatientID=${encodeURIComponent(patientId)}&includefield=${STUDY_FIELDS}`, { accept: 'application/dicom+json' });
  return rows.map(studySummary);
}

export async function listSeries(studyUid: string): Promise<SeriesSummary[]> {
  const rows = await api<DicomJson[]>(`/dicom-web/studies/${encodeURIComponent(studyUid)}/series?includefield=${TAG.SeriesDescription}`, { accept: 'application/dicom+json' });
  return rows
    .map((d) => ({
      seriesUid: text(d, TAG.SeriesInstanceUID),
      number: integer(d, TAG.SeriesNumber),
      modality: text(d, TAG.Modality),
      description: text(d, TAG.SeriesDescription),
      instanceCount: integer(d, TAG.NumberOfSeriesRelatedInstances) ?? 0,
    }))
    .sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
}

/** Modalities of series that hold no images to show in a viewport (segmentations, reports, presentation states, key objects). */
export const NON_IMAGE_MODALITIES: ReadonlySet<string> = new Set(['SEG', 'SR', 'PR', 'KO', 'RTSTRUCT', 'DOC']);

export const isImageSeries = (s: SeriesSummary): boolean => !NON_IMAGE_MODALITIES.has(s.modality);

export const listCases = (): Promise<ClinicalCase[]> => api<ClinicalCase[]>('/api/cases');
export const getCase = (id: number): Promise<ClinicalCase> => api<ClinicalCase>(`/api/cases/${id}`);
export const createCase = (body: { patientId: string; issuer?: string; title: string; studies: CaseStudyLink[] }): Promise<ClinicalCase> => api<ClinicalCase>('/api/cases', { method: 'POST', body });
export const me = (): Promise<Me> => api<Me>('/api/me');
export const signIn = (name: string, password: string): Promise<Me> => api<Me>('/api/session', { method: 'POST', body: { name, password } });
export const signOut = (): Promise<void> => api<void>('/api/session', { method: 'DELETE' });
