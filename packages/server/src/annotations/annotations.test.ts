import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from '../test-support.ts';
import { nowIso } from '../db/connect.ts';
import { settleAudit } from '../audit/settle-audit.ts';

const STUDY = '1.2.826.9.1';
const OTHER_STUDY = '1.2.826.9.2';
const SERIES = '1.2.826.9.1.1';

/** Two patients with one study each, as the store would index them (annotations only refer to them). */
async function seed(app: FastifyInstance): Promise<void> {
  const db = app.keyhole.db;
  for (const [patientId, study] of [['ANN-1', STUDY], ['ANN-2', OTHER_STUDY]] as const) {
    const { id } = await db.insertInto('patient').values({ patient_id: patientId, issuer: '', patient_name: 'Phantom^Synthetic', birth_date: '', sex: 'O', created_at: nowIso() }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('study').values({ patient_ref: id, study_uid: study, study_date: '', study_time: '', accession_number: '', study_description: '', referring_physician: '', study_id: '', modalities: 'CT', series_count: 0, instance_count: 0, created_at: nowIso() }).execute();
  }
}

const length = { tool: 'length', seriesUid: SERIES, sopInstanceUid: '1.2.826.9.1.1.7', points: [[0, 0, 10], [30, 40, 10]], viewPlaneNormal: [0, 0, 1], measured: { lengthMm: 50 } };

describe('annotations API', () => {
  let app: FastifyInstance;
  let surgeon: { authorization: string };
  let viewer: { authorization: string };
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    await seed(app);
    surgeon = { authorization: `Bearer ${await tokenFor(app, 'sam', 'surgeon')}` };
    viewer = { authorization: `Bearer ${await tokenFor(app, 'vic', 'viewer')}` };
  });
  afterAll(async () => app.close());

  it('saves a length, lists it with who and when, replaces it under the same id, deletes it; every step audited with the patient', async () => {
    const created = await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/a-1`, headers: surgeon, payload: length });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ uid: 'a-1', studyUid: STUDY, tool: 'length', points: [[0, 0, 10], [30, 40, 10]], createdBy: 'sam' });
    const moved = await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/a-1`, headers: surgeon, payload: { ...length, points: [[0, 0, 10], [0, 60, 10]], measured: { lengthMm: 60 } } });
    expect(moved.statusCode).toBe(200);
    const list = await app.inject({ url: `/api/studies/${STUDY}/annotations`, headers: viewer });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toHaveLength(1);
    expect(list.json()[0]).toMatchObject({ uid: 'a-1', points: [[0, 0, 10], [0, 60, 10]], measured: { lengthMm: 60 }, createdBy: 'sam', updatedBy: 'sam' });
    const removed = await app.inject({ method: 'DELETE', url: `/api/studies/${STUDY}/annotations/a-1`, headers: surgeon });
    expect(removed.statusCode).toBe(204);
    expect((await app.inject({ url: `/api/studies/${STUDY}/annotations`, headers: viewer })).json()).toEqual([]);
    await settleAudit(app);
    const audit = await app.keyhole.db.selectFrom('audit').select(['action', 'user_name', 'patient_id', 'study_uid', 'outcome']).where('action', 'like', 'annotation.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['annotation.create', 'annotation.update', 'annotation.list', 'annotation.delete', 'annotation.list']);
    expect(audit.every((a) => a.patient_id === 'ANN-1' && a.study_uid === STUDY && a.outcome === 'success')).toBe(true);
  });

  it('keeps an angle with its case and filters by case; refuses a case of another patient', async () => {
    const opened = await app.inject({ method: 'POST', url: '/api/cases', headers: surgeon, payload: { patientId: 'ANN-1', title: 'L5-S1', studies: [{ studyUid: STUDY, role: 'pre-op' }] } });
    const caseId = opened.json().id as number;
    const angle = { tool: 'angle', seriesUid: SERIES, points: [[10, 0, 0], [0, 0, 0], [0, 10, 0]], caseId, measured: { angleDeg: 90 } };
    expect((await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/ang-1`, headers: surgeon, payload: angle })).statusCode).toBe(201);
    expect((await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/len-2`, headers: surgeon, payload: length })).statusCode).toBe(201);
    const ofCase = await app.inject({ url: `/api/studies/${STUDY}/annotations?caseId=${caseId}`, headers: viewer });
    expect(ofCase.json().map((a: { uid: string }) => a.uid)).toEqual(['ang-1']);
    const other = await app.inject({ method: 'POST', url: '/api/cases', headers: surgeon, payload: { patientId: 'ANN-2', title: 'other', studies: [] } });
    const wrong = await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/ang-2`, headers: surgeon, payload: { ...angle, caseId: other.json().id } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body.caseId' });
  });

  it('refuses bad geometry by field, an unknown study (404), a viewer writing (403) and anonymous reads (401)', async () => {
    const threePointLength = await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/bad`, headers: surgeon, payload: { ...length, points: [[0, 0, 0], [1, 1, 1], [2, 2, 2]] } });
    expect(threePointLength.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body.points' });
    const notANumber = await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/bad`, headers: surgeon, payload: { ...length, points: [[0, 0, 'x'], [1, 1, 1]] } });
    expect(notANumber.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(notANumber.json().path).toContain('body.points');
    expect((await app.inject({ url: '/api/studies/1.2.3.4/annotations', headers: viewer })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PUT', url: `/api/studies/${STUDY}/annotations/v-1`, headers: viewer, payload: length })).statusCode).toBe(403);
    expect((await app.inject({ url: `/api/studies/${STUDY}/annotations` })).statusCode).toBe(401);
    // An id of another study's annotation cannot be taken over through this study.
    const moved = await app.inject({ method: 'PUT', url: `/api/studies/${OTHER_STUDY}/annotations/len-2`, headers: surgeon, payload: length });
    expect(moved.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'uid' });
  });
});
