import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { matchCondition, type MatchKind } from './query-match.ts';

/**
 * C-FIND against the archive tables, Study Root Query/Retrieve Information Model – FIND
 * (PS3.4 §C.6.2), at STUDY and SERIES level. The identifier arrives "naturalized" by dcmjs
 * (keyword → value); each answer carries the keys that were asked for (PS3.4 §C.4.1.1.3.2: the
 * response holds exactly the requested keys), filled from the database.
 */
export type FindLevel = 'STUDY' | 'SERIES';

export interface CFindOptions {
  readonly db: Kysely<Database>;
  readonly identifier: Readonly<Record<string, unknown>>;
  /** Most answers to return (a runaway query must not flood the association). */
  readonly limit?: number;
}

export interface CFindResult {
  readonly level: FindLevel | undefined;
  readonly matches: Array<Record<string, unknown>>;
  /** Patient IDs and study UIDs of the matches, for the audit log. */
  readonly studyUids: string[];
  readonly patientIds: string[];
}

/** A naturalized dcmjs value as text: strings, numbers, arrays (multi-valued) and PN objects. */
export function dicomText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(dicomText).join('\\');
  if (typeof value === 'object') {
    const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
    return alphabetic === undefined ? '' : dicomText(alphabetic);
  }
  return String(value);
}

interface KeySpec {
  readonly column: string;
  readonly kind: MatchKind;
}

const STUDY_KEYS: Readonly<Record<string, KeySpec>> = {
  PatientName: { column: 'patient.patient_name', kind: 'person-name' },
  PatientID: { column: 'patient.patient_id', kind: 'text' },
  PatientBirthDate: { column: 'patient.birth_date', kind: 'date' },
  PatientSex: { column: 'patient.sex', kind: 'text' },
  StudyInstanceUID: { column: 'study.study_uid', kind: 'uid' },
  StudyDate: { column: 'study.study_date', kind: 'date' },
  StudyTime: { column: 'study.study_time', kind: 'time' },
  AccessionNumber: { column: 'study.accession_number', kind: 'text' },
  StudyDescription: { column: 'study.study_description', kind: 'text' },
  ReferringPhysicianName: { column: 'study.referring_physician', kind: 'person-name' },
  StudyID: { column: 'study.study_id', kind: 'text' },
  ModalitiesInStudy: { column: 'study.modalities', kind: 'multi-valued' },
};

const SERIES_KEYS: Readonly<Record<string, KeySpec>> = {
  StudyInstanceUID: { column: 'study.study_uid', kind: 'uid' },
  SeriesInstanceUID: { column: 'series.series_uid', kind: 'uid' },
  Modality: { column: 'series.modality', kind: 'text' },
  SeriesDescription: { column: 'series.series_description', kind: 'text' },
  BodyPartExamined: { column: 'series.body_part', kind: 'text' },
};

function conditions(identifier: Readonly<Record<string, unknown>>, keys: Readonly<Record<string, KeySpec>>): Array<RawBuilder<boolean>> {
  const out: Array<RawBuilder<boolean>> = [];
  for (const [keyword, spec] of Object.entries(keys)) {
    const condition = matchCondition(spec.column, dicomText(identifier[keyword]), spec.kind);
    if (condition !== undefined) out.push(condition);
  }
  return out;
}

/** Copies the requested keys from a row into the answer (plus the level and the unique keys). */
function answer(identifier: Readonly<Record<string, unknown>>, values: Record<string, string | number | null>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const keyword of Object.keys(identifier)) {
    if (keyword === 'QueryRetrieveLevel' || keyword === '_vrMap' || keyword === 'SpecificCharacterSet') continue;
    const value = values[keyword];
    if (keyword === 'PatientName' || keyword === 'ReferringPhysicianName') out[keyword] = value === undefined || value === null || value === '' ? '' : [{ Alphabetic: String(value) }];
    else if (keyword === 'ModalitiesInStudy') out[keyword] = value === undefined || value === null || value === '' ? '' : String(value).split('\\');
    else out[keyword] = value ?? '';
  }
  // Text is stored as Unicode; when an answer holds anything beyond ASCII, say it is UTF-8
  // (PS3.3 §C.12.1.1.2, ISO_IR 192) so that the peer decodes names correctly.
  if (Object.values(values).some((v) => typeof v === 'string' && /[^\x00-\x7f]/.test(v))) out['SpecificCharacterSet'] = 'ISO_IR 192';
  return out;
}

export async function runCFind(options: CFindOptions): Promise<CFindResult> {
  const { db, identifier } = options;
  const level = dicomText(identifier['QueryRetrieveLevel']).trim().toUpperCase();
  const limit = options.limit ?? 10_000;
  if (level === 'STUDY') {
    let query = db
      .selectFrom('study')
      .innerJoin('patient', 'patient.id', 'study.patient_ref')
      .select([
        'patient.patient_name', 'patient.patient_id', 'patient.birth_date', 'patient.sex',
        'study.study_uid', 'study.study_date', 'study.study_time', 'study.accession_number', 'study.study_description',
        'study.referring_physician', 'study.study_id', 'study.modalities', 'study.series_count', 'study.instance_count',
      ]);
    for (const condition of conditions(identifier, STUDY_KEYS)) query = query.where(condition);
    const rows = await query.orderBy('study.study_date').orderBy('study.study_uid').limit(limit).execute();
    return {
      level: 'STUDY',
      matches: rows.map((row) =>
        ({
          QueryRetrieveLevel: 'STUDY',
          ...answer(identifier, {
            PatientName: row.patient_name, PatientID: row.patient_id, PatientBirthDate: row.birth_date, PatientSex: row.sex,
            StudyInstanceUID: row.study_uid, StudyDate: row.study_date, StudyTime: row.study_time, AccessionNumber: row.accession_number,
            StudyDescription: row.study_description, ReferringPhysicianName: row.referring_physician, StudyID: row.study_id,
            ModalitiesInStudy: row.modalities, NumberOfStudyRelatedSeries: row.series_count, NumberOfStudyRelatedInstances: row.instance_count,
          }),
          StudyInstanceUID: row.study_uid,
        }),
      ),
      studyUids: rows.map((row) => row.study_uid),
      patientIds: rows.map((row) => row.patient_id),
    };
  }
  if (level === 'SERIES') {
    let query = db
      .selectFrom('series')
      .innerJoin('study', 'study.id', 'series.study_ref')
      .innerJoin('patient', 'patient.id', 'study.patient_ref')
      .select(['patient.patient_id', 'study.study_uid', 'series.series_uid', 'series.modality', 'series.series_number', 'series.series_description', 'series.body_part', 'series.instance_count']);
    for (const condition of conditions(identifier, SERIES_KEYS)) query = query.where(condition);
    const seriesNumber = dicomText(identifier['SeriesNumber']).trim();
    if (seriesNumber !== '' && /^\d+$/.test(seriesNumber)) query = query.where('series.series_number', '=', Number(seriesNumber));
    const rows = await query.orderBy('series.series_number').orderBy('series.series_uid').limit(limit).execute();
    return {
      level: 'SERIES',
      matches: rows.map((row) => ({
        QueryRetrieveLevel: 'SERIES',
        ...answer(identifier, {
          StudyInstanceUID: row.study_uid, SeriesInstanceUID: row.series_uid, Modality: row.modality, SeriesNumber: row.series_number,
          SeriesDescription: row.series_description, BodyPartExamined: row.body_part, NumberOfSeriesRelatedInstances: row.instance_count,
        }),
        StudyInstanceUID: row.study_uid,
        SeriesInstanceUID: row.series_uid,
      })),
      studyUids: [...new Set(rows.map((row) => row.study_uid))],
      patientIds: [...new Set(rows.map((row) => row.patient_id))],
    };
  }
  return { level: undefined, matches: [], studyUids: [], patientIds: [] };
}
