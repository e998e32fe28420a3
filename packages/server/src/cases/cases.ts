import type { Kysely } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import type { Database } from '../db/schema.ts';
import { nowIso } from '../db/connect.ts';
import { EMPTY_CASE_DOCUMENT, type CaseDocumentV1 } from './document-schema.ts';
import { syntheticStudyRefs } from './synthetic-studies.ts';

export const CASE_STUDY_ROLES = ['pre-op', 'intra-op', 'follow-up'] as const;
export type CaseStudyRole = (typeof CASE_STUDY_ROLES)[number];
export const CASE_STATUSES = ['open', 'planned', 'operated', 'follow-up', 'closed'] as const;

export interface CaseStudyLink {
  readonly studyUid: string;
  readonly role: CaseStudyRole;
}

/** A linked study as the API returns it: `synthetic` when its images say they were made artificially (synthetic-studies.ts). */
export interface CaseStudy extends CaseStudyLink {
  readonly synthetic: boolean;
}

export interface ClinicalCase {
  readonly id: number;
  readonly patientId: string;
  readonly issuer: string;
  readonly title: string;
  readonly status: string;
  readonly studies: CaseStudy[];
  /** True when any of its studies is synthetic (a phantom, the demo case): never a patient's images. */
  readonly synthetic: boolean;
  readonly document: CaseDocumentV1;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CreateCaseOptions {
  readonly db: Kysely<Database>;
  readonly patientId: string;
  readonly issuer?: string;
  readonly title: string;
  readonly studies: readonly CaseStudyLink[];
}

async function patientRef(db: Kysely<Database>, patientId: string, issuer: string): Promise<number> {
  const row = await db.selectFrom('patient').select('id').where('patient_id', '=', patientId).where('issuer', '=', issuer).executeTakeFirst();
  if (row === undefined) throw new KeyholeError('NOT_FOUND', { path: 'patientId', message: `no patient "${patientId}"${issuer !== '' ? ` (issuer ${issuer})` : ''} in the archive` });
  return row.id;
}

/** Study rows for the links; each study must exist and belong to the case's patient. */
async function studyRefs(db: Kysely<Database>, patient: number, studies: readonly CaseStudyLink[]): Promise<Array<{ ref: number; role: CaseStudyRole }>> {
  const refs: Array<{ ref: number; role: CaseStudyRole }> = [];
  for (const [index, link] of studies.entries()) {
    const row = await db.selectFrom('study').select(['id', 'patient_ref']).where('study_uid', '=', link.studyUid).executeTakeFirst();
    if (row === undefined) throw new KeyholeError('NOT_FOUND', { path: `studies.${index}.studyUid`, message: `no study ${link.studyUid} in the archive` });
    if (row.patient_ref !== patient) throw new KeyholeError('VALIDATION_FAILED', { path: `studies.${index}.studyUid`, message: `study ${link.studyUid} belongs to another patient` });
    if (refs.some((r) => r.ref === row.id)) throw new KeyholeError('VALIDATION_FAILED', { path: `studies.${index}.studyUid`, message: `study ${link.studyUid} is listed twice` });
    refs.push({ ref: row.id, role: link.role });
  }
  return refs;
}

export async function createCase(options: CreateCaseOptions): Promise<ClinicalCase> {
  const { db } = options;
  const patient = await patientRef(db, options.patientId, options.issuer ?? '');
  const links = await studyRefs(db, patient, options.studies);
  const now = nowIso();
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('clinical_case').values({ patient_ref: patient, title: options.title, status: 'open', document_json: JSON.stringify(EMPTY_CASE_DOCUMENT), created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    if (links.length > 0) await trx.insertInto('case_study').values(links.map((l) => ({ case_ref: row.id, study_ref: l.ref, role: l.role }))).execute();
    return row.id;
  });
  return getCase(db, id);
}

export interface UpdateCaseOptions {
  readonly db: Kysely<Database>;
  readonly id: number;
  readonly title?: string;
  readonly status?: string;
  /** Replaces the study links when given. */
  readonly studies?: readonly CaseStudyLink[];
  /** Replaces the document when given (validated against its schema by the route). */
  readonly document?: CaseDocumentV1;
}

export async function updateCase(options: UpdateCaseOptions): Promise<ClinicalCase> {
  const { db } = options;
  const existing = await db.selectFrom('clinical_case').select(['id', 'patient_ref']).where('id', '=', options.id).executeTakeFirst();
  if (existing === undefined) throw new KeyholeError('NOT_FOUND', { path: 'id', message: `no case ${options.id}` });
  const links = options.studies !== undefined ? await studyRefs(db, existing.patient_ref, options.studies) : undefined;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('clinical_case')
      .set({
        updated_at: nowIso(),
        ...(options.title !== undefined ? { title: options.title } : {}),
        ...(options.status !== undefined ? { status: options.status } : {}),
        ...(options.document !== undefined ? { document_json: JSON.stringify(options.document) } : {}),
      })
      .where('id', '=', options.id)
      .execute();
    if (links !== undefined) {
      await trx.deleteFrom('case_study').where('case_ref', '=', options.id).execute();
      if (links.length > 0) await trx.insertInto('case_study').values(links.map((l) => ({ case_ref: options.id, study_ref: l.ref, role: l.role }))).execute();
    }
  });
  return getCase(db, options.id);
}

export async function getCase(db: Kysely<Database>, id: number): Promise<ClinicalCase> {
  const found = await listCases(db, { id });
  const only = found[0];
  if (only === undefined) throw new KeyholeError('NOT_FOUND', { path: 'id', message: `no case ${id}` });
  return only;
}

export interface ListCasesFilter {
  readonly id?: number;
  readonly patientId?: string;
}

export async function listCases(db: Kysely<Database>, filter: ListCasesFilter = {}): Promise<ClinicalCase[]> {
  let query = db
    .selectFrom('clinical_case')
    .innerJoin('patient', 'patient.id', 'clinical_case.patient_ref')
    .select(['clinical_case.id as id', 'patient.patient_id as patientId', 'patient.issuer as issuer', 'clinical_case.title as title', 'clinical_case.status as status', 'clinical_case.document_json as documentJson', 'clinical_case.created_at as createdAt', 'clinical_case.updated_at as updatedAt'])
    .orderBy('clinical_case.id');
  if (filter.id !== undefined) query = query.where('clinical_case.id', '=', filter.id);
  if (filter.patientId !== undefined) query = query.where('patient.patient_id', '=', filter.patientId);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('case_study')
    .innerJoin('study', 'study.id', 'case_study.study_ref')
    .select(['case_study.case_ref as caseRef', 'study.id as studyRef', 'study.study_uid as studyUid', 'case_study.role as role'])
    .where('case_study.case_ref', 'in', rows.map((r) => r.id))
    .orderBy('study.study_uid')
    .execute();
  const synthetic = await syntheticStudyRefs(db, [...new Set(links.map((l) => l.studyRef))]);
  return rows.map(({ documentJson, ...row }) => {
    const studies = links.filter((l) => l.caseRef === row.id).map((l) => ({ studyUid: l.studyUid, role: l.role as CaseStudyRole, synthetic: synthetic.has(l.studyRef) }));
    return { ...row, studies, synthetic: studies.some((s) => s.synthetic), document: JSON.parse(documentJson) as CaseDocumentV1 };
  });
}
