import type { Kysely } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import type { Database } from '../db/schema.ts';
import { syntheticStudyRefs } from './synthetic-studies.ts';

/**
 * A study as the Keyhole API lists it for picking one into a case: plain JSON, not DICOM JSON
 * (QIDO-RS gives that), with the `synthetic` flag that says when the images are a phantom.
 */
export interface StudySummary {
  readonly studyUid: string;
  readonly patientId: string;
  readonly issuer: string;
  readonly patientName: string;
  readonly studyDate: string;
  readonly description: string;
  /** Modalities in the study, e.g. `CT\MR`. */
  readonly modalities: string;
  readonly seriesCount: number;
  readonly instanceCount: number;
  /** Synthetic Data (0008,001C) = YES in its images (synthetic-studies.ts): a phantom, not a patient. */
  readonly synthetic: boolean;
}

export interface ListStudiesFilter {
  readonly studyUid?: string;
  readonly patientId?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export async function listStudies(db: Kysely<Database>, filter: ListStudiesFilter = {}): Promise<StudySummary[]> {
  let query = db
    .selectFrom('study')
    .innerJoin('patient', 'patient.id', 'study.patient_ref')
    .select(['study.id as ref', 'study.study_uid as studyUid', 'patient.patient_id as patientId', 'patient.issuer as issuer', 'patient.patient_name as patientName', 'study.study_date as studyDate', 'study.study_description as description', 'study.modalities as modalities', 'study.series_count as seriesCount', 'study.instance_count as instanceCount'])
    .orderBy('study.id')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0);
  if (filter.studyUid !== undefined) query = query.where('study.study_uid', '=', filter.studyUid);
  if (filter.patientId !== undefined) query = query.where('patient.patient_id', '=', filter.patientId);
  const rows = await query.execute();
  const synthetic = await syntheticStudyRefs(db, rows.map((r) => r.ref));
  return rows.map(({ ref, seriesCount, instanceCount, ...row }) => ({ ...row, seriesCount: Number(seriesCount), instanceCount: Number(instanceCount), synthetic: synthetic.has(ref) }));
}

export async function getStudy(db: Kysely<Database>, studyUid: string): Promise<StudySummary> {
  const [found] = await listStudies(db, { studyUid, limit: 1 });
  if (found === undefined) throw new KeyholeError('NOT_FOUND', { path: 'study', message: `no study ${studyUid} in the archive` });
  return found;
}
