import type { Kysely } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import type { Database } from '../db/schema.ts';
import { nowIso } from '../db/connect.ts';

/** The measurement and annotation kinds the viewer draws (names independent of the viewer library). */
export const ANNOTATION_TOOLS = ['length', 'angle', 'cobb-angle', 'rectangle-roi', 'ellipse-roi', 'arrow', 'probe'] as const;
export type AnnotationTool = (typeof ANNOTATION_TOOLS)[number];

export type LpsPoint = readonly [number, number, number];

/** What the viewer sends: the geometry in DICOM patient coordinates (LPS, mm) and where it was drawn. */
export interface AnnotationData {
  readonly tool: AnnotationTool;
  readonly seriesUid: string;
  /** The image it was drawn on (stack viewports); absent when drawn on a reformatted (MPR) plane. */
  readonly sopInstanceUid?: string;
  readonly frameOfReferenceUid?: string;
  /** Handle points, LPS mm: 2 for a length, 3 for an angle, 4 for a Cobb angle. */
  readonly points: readonly LpsPoint[];
  /** The plane it was drawn in (unit normal and up, LPS), so it can be shown on the same plane again. */
  readonly viewPlaneNormal?: LpsPoint;
  readonly viewUp?: LpsPoint;
  readonly label?: string;
  /** Values the viewer computed when it was drawn (for lists and reports; the points are the truth). */
  readonly measured?: { readonly lengthMm?: number; readonly angleDeg?: number };
  /** The case it belongs to; its patient must be the study's. */
  readonly caseId?: number;
}

export interface StoredAnnotation extends AnnotationData {
  readonly uid: string;
  readonly studyUid: string;
  readonly createdBy: string;
  readonly updatedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface StudyRef {
  readonly id: number;
  readonly patientRef: number;
  readonly patientId: string;
}

/** The study's row and its patient; NOT_FOUND when the archive has no such study. */
export async function studyRef(db: Kysely<Database>, studyUid: string): Promise<StudyRef> {
  const row = await db
    .selectFrom('study')
    .innerJoin('patient', 'patient.id', 'study.patient_ref')
    .select(['study.id as id', 'study.patient_ref as patientRef', 'patient.patient_id as patientId'])
    .where('study.study_uid', '=', studyUid)
    .executeTakeFirst();
  if (row === undefined) throw new KeyholeError('NOT_FOUND', { path: 'study', message: `no study ${studyUid} in the archive` });
  return row;
}

/** Point counts each tool needs (a handle too few or too many is a client bug, refused by name). */
const POINTS: Readonly<Record<AnnotationTool, readonly [number, number]>> = {
  length: [2, 2], angle: [3, 3], 'cobb-angle': [4, 4], 'rectangle-roi': [2, 4], 'ellipse-roi': [2, 4], arrow: [2, 2], probe: [1, 1],
};

export interface ListAnnotationsOptions {
  readonly db: Kysely<Database>;
  readonly studyUid: string;
  readonly caseId?: number;
}

export async function listAnnotations(options: ListAnnotationsOptions): Promise<{ study: StudyRef; annotations: StoredAnnotation[] }> {
  const study = await studyRef(options.db, options.studyUid);
  let query = options.db.selectFrom('annotation').selectAll().where('study_ref', '=', study.id);
  if (options.caseId !== undefined) query = query.where('case_ref', '=', options.caseId);
  const rows = await query.orderBy('id').execute();
  return {
    study,
    annotations: rows.map((row) => ({
      ...(JSON.parse(row.data_json) as AnnotationData),
      uid: row.annotation_uid,
      studyUid: options.studyUid,
      createdBy: row.created_by,
      updatedBy: row.updated_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    })),
  };
}

export interface SaveAnnotationOptions {
  readonly db: Kysely<Database>;
  readonly studyUid: string;
  readonly uid: string;
  readonly data: AnnotationData;
  readonly userName: string;
}

/** Creates or replaces the annotation `uid` of the study; returns whether it was new. */
export async function saveAnnotation(options: SaveAnnotationOptions): Promise<{ study: StudyRef; created: boolean; annotation: StoredAnnotation }> {
  const { db, data } = options;
  const study = await studyRef(db, options.studyUid);
  const [min, max] = POINTS[data.tool];
  if (data.points.length < min || data.points.length > max) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'body.points', message: `a ${data.tool} has ${min === max ? min : `${min} to ${max}`} points, not ${data.points.length}` });
  }
  if (data.caseId !== undefined) {
    const found = await db.selectFrom('clinical_case').select('patient_ref').where('id', '=', data.caseId).executeTakeFirst();
    if (found === undefined) throw new KeyholeError('NOT_FOUND', { path: 'body.caseId', message: `no case ${data.caseId}` });
    if (found.patient_ref !== study.patientRef) throw new KeyholeError('VALIDATION_FAILED', { path: 'body.caseId', message: `case ${data.caseId} belongs to another patient than study ${options.studyUid}` });
  }
  const existing = await db.selectFrom('annotation').select(['id', 'study_ref', 'created_by', 'created_at']).where('annotation_uid', '=', options.uid).executeTakeFirst();
  if (existing !== undefined && existing.study_ref !== study.id) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'uid', message: `annotation ${options.uid} belongs to another study` });
  }
  const now = nowIso();
  const values = { series_uid: data.seriesUid, tool: data.tool, case_ref: data.caseId ?? null, data_json: JSON.stringify(data), updated_by: options.userName, updated_at: now };
  if (existing === undefined) {
    await db.insertInto('annotation').values({ ...values, annotation_uid: options.uid, study_ref: study.id, created_by: options.userName, created_at: now }).execute();
  } else {
    await db.updateTable('annotation').set(values).where('id', '=', existing.id).execute();
  }
  return {
    study,
    created: existing === undefined,
    annotation: { ...data, uid: options.uid, studyUid: options.studyUid, createdBy: existing?.created_by ?? options.userName, updatedBy: options.userName, createdAt: existing?.created_at ?? now, updatedAt: now },
  };
}

export interface DeleteAnnotationOptions {
  readonly db: Kysely<Database>;
  readonly studyUid: string;
  readonly uid: string;
}

export async function deleteAnnotation(options: DeleteAnnotationOptions): Promise<{ study: StudyRef }> {
  const study = await studyRef(options.db, options.studyUid);
  const result = await options.db.deleteFrom('annotation').where('annotation_uid', '=', options.uid).where('study_ref', '=', study.id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new KeyholeError('NOT_FOUND', { path: 'uid', message: `no annotation ${options.uid} on study ${options.studyUid}` });
  return { study };
}
