import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from '../test-support.ts';
import { nowIso } from '../db/connect.ts';
import { settleAudit } from '../audit/settle-audit.ts';

/** Patients and studies as the store would index them (the cases API only links to them). */
async function seedStudies(app: FastifyInstance): Promise<void> {
  const db = app.keyhole.db;
  for (const [patientId, studies] of [['PAT-1', ['1.2.826.1.1', '1.2.826.1.2']], ['PAT-2', ['1.2.826.2.1']]] as const) {
    const { id } = await db.insertInto('patient').values({ patient_id: patientId, issuer: '', patient_name: 'Phantom^Synthetic', birth_date: '19700101', sex: 'O', created_at: nowIso() }).returning('id').executeTakeFirstOrThrow();
    for (const uid of studies) await db.insertInto('study').values({ patient_ref: id, study_uid: uid, study_date: '20260101', study_time: '', accession_number: '', study_description: '', referring_physician: '', study_id: '', modalities: 'CT', series_count: 0, instance_count: 0, created_at: nowIso() }).execute();
  }
}

describe('cases API', () => {
  let app: FastifyInstance;
  let surgeon: { authorization: string };
  let viewer: { authorization: string };
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    await seedStudies(app);
    surgeon = { authorization: `Bearer ${await tokenFor(app, 'sam', 'surgeon')}` };
    viewer = { authorization: `Bearer ${await tokenFor(app, 'vic', 'viewer')}` };
  });
  afterAll(async () => app.close());

  it('creates a case with its studies and roles, lists and reads it; audited with the patient', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/cases', headers: surgeon, payload: { patientId: 'PAT-1', title: 'L4-L5 herniation', studies: [{ studyUid: '1.2.826.1.1', role: 'pre-op' }, { studyUid: '1.2.826.1.2', role: 'follow-up' }] } });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ patientId: 'PAT-1', title: 'L4-L5 herniation', status: 'open', document: { schemaVersion: 1 } });
    // Rows without instances carry no Synthetic Data marker: not synthetic.
    expect(body.studies).toEqual([{ studyUid: '1.2.826.1.1', role: 'pre-op', synthetic: false }, { studyUid: '1.2.826.1.2', role: 'follow-up', synthetic: false }]);
    expect(body.synthetic).toBe(false);
    const read = await app.inject({ url: `/api/cases/${body.id}`, headers: viewer });
    expect(read.json()).toMatchObject({ id: body.id, patientId: 'PAT-1' });
    const list = await app.inject({ url: '/api/cases?patientId=PAT-1', headers: viewer });
    expect(list.json()).toHaveLength(1);
    expect((await app.inject({ url: '/api/cases?patientId=PAT-2', headers: viewer })).json()).toHaveLength(0);
    await settleAudit(app);
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', 'like', 'case.%').orderBy('id').execute();
    expect(audit.map((e) => `${e.user_name}:${e.action}:${e.patient_id}:${e.outcome}`)).toEqual(['sam:case.create:PAT-1:success', 'vic:case.read:PAT-1:success', 'vic:case.list:PAT-1:success', 'vic:case.list:PAT-2:success']);
  });

  it('refuses unknown patients, unknown studies and another patient\'s study, naming the field', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/cases', headers: surgeon, payload: { patientId: 'NOPE', title: 't' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ path: 'patientId' });
    const foreign = await app.inject({ method: 'POST', url: '/api/cases', headers: surgeon, payload: { patientId: 'PAT-1', title: 't', studies: [{ studyUid: '1.2.826.2.1', role: 'pre-op' }] } });
    expect(foreign.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'studies.0.studyUid' });
    const badRole = await app.inject({ method: 'POST', url: '/api/cases', headers: surgeon, payload: { patientId: 'PAT-1', title: 't', studies: [{ studyUid: '1.2.826.1.1', role: 'pre-operative' }] } });
    expect(badRole.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body.studies.0.role' });
    expect((await app.inject({ method: 'POST', url: '/api/cases', headers: viewer, payload: { patientId: 'PAT-1', title: 't' } })).statusCode).toBe(403);
  });

  it('PATCH stores a schema-versioned document; a bad field is refused with its path', async () => {
    const { id } = (await app.inject({ method: 'POST', url: '/api/cases', headers: surgeon, payload: { patientId: 'PAT-2', title: 'Stenosis' } })).json() as { id: number };
    const document = { schemaVersion: 1, summary: 'Neurogenic claudication', symptoms: [{ description: 'left leg pain', side: 'left', level: 'L5', since: '2026-09-01' }], findings: [{ description: 'central stenosis', level: 'L4-L5' }] };
    const patched = await app.inject({ method: 'PATCH', url: `/api/cases/${id}`, headers: surgeon, payload: { status: 'planned', document, studies: [{ studyUid: '1.2.826.2.1', role: 'pre-op' }] } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'planned', document, studies: [{ studyUid: '1.2.826.2.1', role: 'pre-op' }] });

    const cases: Array<[unknown, string]> = [
      [{ document: { ...document, schemaVersion: 2 } }, 'body.document.schemaVersion'],
      [{ document: { ...document, symptoms: [{ description: 'pain', side: 'up' }] } }, 'body.document.symptoms.0.side'],
      [{ document: { ...document, findings: [{ description: 'x', level: 'L9' }] } }, 'body.document.findings.0.level'],
      [{ document: { ...document, symptoms: [{ side: 'left' }] } }, 'body.document.symptoms.0'],
      [{ document: { ...document, diagnosis: 'unknown field' } }, 'body.document'],
      [{ status: 'done' }, 'body.status'],
    ];
    for (const [payload, path] of cases) {
      const response = await app.inject({ method: 'PATCH', url: `/api/cases/${id}`, headers: surgeon, payload: payload as object });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json(), JSON.stringify(payload)).toMatchObject({ code: 'VALIDATION_FAILED', path });
    }
    expect((await app.inject({ url: `/api/cases/${id}`, headers: viewer })).json()).toMatchObject({ document });
    expect((await app.inject({ method: 'PATCH', url: '/api/cases/9999', headers: surgeon, payload: { title: 'x' } })).statusCode).toBe(404);
  });
});
