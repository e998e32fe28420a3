/** The anatomy_model rows (migration 004): one per series, the latest run and its confirmation. */
import type { LevelCount, SpineModel } from '@keyhole/core';
import type { Kysely, Selectable } from 'kysely';
import { nowIso } from '../db/connect.ts';
import type { AnatomyModelTable, Database } from '../db/schema.ts';

export type AnatomyState = 'running' | 'done' | 'no-spine' | 'failed' | 'interrupted';

/** What the API returns for a series' anatomy. */
export interface AnatomyStatus {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly state: AnatomyState;
  /** 0–1 while running. */
  readonly progress: number;
  readonly stage: string;
  /** Plain words: what happened, what is wrong and what to do. */
  readonly message: string;
  /** The level count (labels, confidence, verified, cues, reasons, pattern) once the run is done. */
  readonly levelCount?: LevelCount;
  /** The whole spine model (landmarks in LPS mm) once the run is done. */
  readonly model?: SpineModel;
  /** The DICOM SEG series holding the label map, in this study. */
  readonly segSeriesUid?: string;
  readonly requestedBy: string;
  /** The Frame of Reference of the series the run read: its landmarks apply to every series in it. */
  readonly frameOfReferenceUid?: string;
  /** Set once a person has confirmed the level numbering (planning needs it when the count is not verified). */
  readonly confirmation?: { readonly by: string; readonly at: string; readonly labels: readonly string[] };
  readonly updatedAt: string;
}

/** The series' Frame of Reference UID (0020,0052), from the metadata of its first stored instance. */
export async function frameOfReferenceOf(db: Kysely<Database>, seriesUid: string): Promise<string | undefined> {
  const row = await db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select('instance.metadata_json').where('series.series_uid', '=', seriesUid).orderBy('instance.id').limit(1).executeTakeFirst();
  if (row === undefined) return undefined;
  const value = (JSON.parse(row.metadata_json) as Record<string, { Value?: unknown[] }>)['00200052']?.Value?.[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function toStatus(row: Selectable<AnatomyModelTable>, frameOfReferenceUid?: string): AnatomyStatus {
  const model = row.model_json === null ? undefined : (JSON.parse(row.model_json) as SpineModel);
  return {
    studyUid: row.study_uid,
    seriesUid: row.series_uid,
    state: row.state as AnatomyState,
    progress: row.progress,
    stage: row.stage,
    message: row.message,
    ...(model !== undefined ? { levelCount: model.levelCount, model } : {}),
    ...(row.seg_series_uid !== null ? { segSeriesUid: row.seg_series_uid } : {}),
    requestedBy: row.requested_by,
    ...(frameOfReferenceUid !== undefined ? { frameOfReferenceUid } : {}),
    ...(row.confirmed_by !== null && row.confirmed_at !== null && model !== undefined ? { confirmation: { by: row.confirmed_by, at: row.confirmed_at, labels: model.levelCount.labels } } : {}),
    updatedAt: row.updated_at,
  };
}

export async function findAnatomy(db: Kysely<Database>, seriesUid: string): Promise<Selectable<AnatomyModelTable> | undefined> {
  return db.selectFrom('anatomy_model').selectAll().where('series_uid', '=', seriesUid).executeTakeFirst();
}

/** Starts a run: the series' row becomes `running` (a new row, or the previous run's replaced; its confirmation goes with it). */
export async function beginAnatomy(db: Kysely<Database>, ids: { studyUid: string; seriesUid: string; patientId: string }, requestedBy: string): Promise<void> {
  const now = nowIso();
  const fresh = { state: 'running', progress: 0, stage: 'queued', message: 'the spine anatomy is being computed', model_json: null, seg_series_uid: null, requested_by: requestedBy, confirmed_by: null, confirmed_at: null, updated_at: now };
  await db
    .insertInto('anatomy_model')
    .values({ series_uid: ids.seriesUid, study_uid: ids.studyUid, patient_id: ids.patientId, created_at: now, ...fresh })
    .onConflict((oc) => oc.column('series_uid').doUpdateSet(fresh))
    .execute();
}

export async function updateAnatomy(db: Kysely<Database>, seriesUid: string, change: Partial<Pick<AnatomyModelTable, 'state' | 'progress' | 'stage' | 'message' | 'model_json' | 'seg_series_uid' | 'confirmed_by' | 'confirmed_at'>>): Promise<void> {
  await db.updateTable('anatomy_model').set({ ...change, updated_at: nowIso() }).where('series_uid', '=', seriesUid).execute();
}

/** At start-up: runs that were going when the server stopped will not finish; say so. */
export async function markInterruptedRuns(db: Kysely<Database>): Promise<void> {
  await db.updateTable('anatomy_model').set({ state: 'interrupted', message: 'the server stopped while the anatomy was being computed; run it again', updated_at: nowIso() }).where('state', '=', 'running').execute();
}
