import type { ColumnType, Generated } from 'kysely';

/**
 * The archive's tables, for both SQLite (embedded) and PostgreSQL (scale-out). Types are the
 * lowest common denominator of the two: text, integer (bigint as number where < 2^53), real.
 * Timestamps are ISO-8601 UTC text so that both dialects sort and compare them the same way.
 *
 * DICOM hierarchy: patient → study → series → instance, with the attributes QIDO-RS matches on
 * (PS3.18 §10.6.1.2.3, Table 10.6.1-5) as indexed columns.
 */
export interface PatientTable {
  id: Generated<number>;
  /** PatientID (0010,0020); '' when absent; with issuer, the patient's identity in this archive. */
  patient_id: string;
  issuer: string;
  patient_name: string;
  birth_date: string;
  sex: string;
  created_at: string;
}

export interface StudyTable {
  id: Generated<number>;
  patient_ref: number;
  study_uid: string;
  study_date: string;
  study_time: string;
  accession_number: string;
  study_description: string;
  referring_physician: string;
  study_id: string;
  modalities: string;
  /** Cached counts for QIDO's NumberOfStudyRelatedSeries / Instances. */
  series_count: number;
  instance_count: number;
  created_at: string;
}

export interface SeriesTable {
  id: Generated<number>;
  study_ref: number;
  series_uid: string;
  modality: string;
  series_number: number | null;
  series_description: string;
  body_part: string;
  instance_count: number;
  created_at: string;
}

export interface InstanceTable {
  id: Generated<number>;
  series_ref: number;
  sop_instance_uid: string;
  sop_class_uid: string;
  instance_number: number | null;
  transfer_syntax_uid: string;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  /** Path of the Part 10 file relative to the file store root. */
  file_path: string;
  file_size: number;
  /** SHA-256 of the stored file, checked on read. */
  sha256: string;
  /** DICOM JSON model (PS3.18 F.2) of the non-bulk attributes, for metadata and QIDO includefield. */
  metadata_json: string;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  name: string;
  role: string;
  password_hash: string | null;
  disabled: ColumnType<number, number | undefined, number>;
  created_at: string;
}

export interface TokenTable {
  id: Generated<number>;
  user_ref: number;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  kind: string;
  label: string;
  expires_at: string | null;
  created_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  user_name: string;
  role: string;
  action: string;
  outcome: string;
  patient_id: string;
  study_uid: string;
  resource: string;
  source_address: string;
  detail: string;
}

export interface CaseTable {
  id: Generated<number>;
  patient_ref: number;
  title: string;
  status: string;
  /** Schema-versioned JSON document that later features fill (symptoms, findings, plans, follow-up). */
  document_json: string;
  created_at: string;
  updated_at: string;
}

export interface CaseStudyTable {
  case_ref: number;
  study_ref: number;
  role: string;
}

/** A DICOM peer: a caller allowed to reach our SCP, or a remote PACS we query (see dimse/dicom-node-migration.ts). */
export interface DicomNodeTable {
  id: Generated<number>;
  /** Short unique name used in URLs (`/api/remote/{name}/query`). */
  name: string;
  kind: 'local-caller' | 'remote-pacs';
  ae_title: string;
  /** '' = any address (callers); the PACS address (remote). */
  host: string;
  port: number | null;
  /** DICOMweb root of a remote PACS ('' = none), e.g. http://pacs:8042/dicom-web. */
  dicomweb_url: string;
  /** Authorization header value sent to the DICOMweb root ('' = none). */
  dicomweb_auth: string;
  created_at: string;
}

/** A measurement or annotation drawn in the viewer (see annotations/migration.ts). */
export interface AnnotationTable {
  id: Generated<number>;
  annotation_uid: string;
  study_ref: number;
  case_ref: number | null;
  series_uid: string;
  tool: string;
  /** The annotation as `annotations/annotations.ts` AnnotationData (points in LPS mm). */
  data_json: string;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

/** The spine anatomy of a series and its confirmation (see anatomy/migration.ts). */
export interface AnatomyModelTable {
  id: Generated<number>;
  series_uid: string;
  study_uid: string;
  patient_id: string;
  /** running | done | no-spine | failed | interrupted */
  state: string;
  /** 0–1 */
  progress: number;
  stage: string;
  message: string;
  /** The SpineModel of @keyhole/core as JSON (landmarks in LPS mm); null until a run ends. */
  model_json: string | null;
  /** The DICOM SEG series stored from the run. */
  seg_series_uid: string | null;
  requested_by: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Per-study access lists (see study-access/migration.ts): a study with rows is restricted to those users and admins. */
export interface StudyAccessTable {
  id: Generated<number>;
  study_uid: string;
  user_name: string;
  granted_by: string;
  granted_at: string;
}

export interface Database {
  patient: PatientTable;
  study: StudyTable;
  series: SeriesTable;
  instance: InstanceTable;
  app_user: UserTable;
  token: TokenTable;
  audit: AuditTable;
  clinical_case: CaseTable;
  case_study: CaseStudyTable;
  dicom_node: DicomNodeTable;
  annotation: AnnotationTable;
  anatomy_model: AnatomyModelTable;
  study_access: StudyAccessTable;
}
