import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_LIMITS } from '../config.ts';
import { testServer, tokenFor } from '../test-support.ts';
import { phantomSeries } from '../store/test-fixtures.ts';
import { stowBody } from './test-support.ts';

type Json = Record<string, { vr: string; Value?: unknown[] }>;

describe('STOW-RS and QIDO-RS through inject()', () => {
  let app: FastifyInstance;
  let writer: string;
  let reader: string;
  const phantom = phantomSeries(21);
  const other = phantomSeries(22);
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    writer = await tokenFor(app, 'wanda', 'resident');
    reader = await tokenFor(app, 'vera', 'viewer');
  });
  afterAll(async () => app.close());

  const stow = (files: Array<{ bytes: Uint8Array }>, token: string | undefined, url = '/dicom-web/studies') => {
    const { body, contentType } = stowBody(files);
    return app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) } });
  };

  it('refuses STOW anonymously (401) and for a viewer (403), and audits both', async () => {
    expect((await stow(phantom.files, undefined)).statusCode).toBe(401);
    expect((await stow(phantom.files, reader)).statusCode).toBe(403);
    const entries = await app.keyhole.db.selectFrom('audit').selectAll().where('resource', '=', '/dicom-web/studies').execute();
    expect(entries.map((e) => e.outcome)).toEqual(['denied', 'denied']);
  });

  it('stores a series: 200 with ReferencedSOPSequence and RetrieveURL; audited with patient and study', async () => {
    const response = await stow(phantom.files, writer);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/dicom\+json/);
    const body = response.json<Json>();
    expect(body['00081199']?.Value).toHaveLength(phantom.files.length);
    expect(body['00081198']).toBeUndefined();
    expect(body['00081190']?.Value?.[0]).toMatch(new RegExp(`/dicom-web/studies/${phantom.studyUid}$`));
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'stow').where('outcome', '=', 'success').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ study_uid: phantom.studyUid, patient_id: phantom.patientId, user_name: 'wanda' });
  });

  it('a second send of the same instances stores them once (200, still referenced)', async () => {
    const response = await stow(phantom.files, writer);
    expect(response.statusCode).toBe(200);
    const count = await app.keyhole.db.selectFrom('instance').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(phantom.files.length);
  });

  it('refuses a malformed instance with a FailureReason and stores the rest (202)', async () => {
    const broken = { bytes: new TextEncoder().encode('not dicom'.repeat(30)) };
    const response = await stow([other.files[0]!, broken, other.files[1]!], writer);
    expect(response.statusCode).toBe(202);
    const body = response.json<Json>();
    expect(body['00081199']?.Value).toHaveLength(2);
    const failed = body['00081198']?.Value as Json[];
    expect(failed).toHaveLength(1);
    expect(failed[0]!['00081197']).toEqual({ vr: 'US', Value: [0xc000] });
    expect(String(response.headers['warning'])).toMatch(/part 2.*not a DICOM file/);
    await stow(other.files.slice(2), writer);
  });

  it('all refused → 409; an instance of another study than the URL names is refused', async () => {
    const response = await stow([phantom.files[0]!], writer, `/dicom-web/studies/${other.studyUid}`);
    expect(response.statusCode).toBe(409);
    expect(String(response.headers['warning'])).toMatch(/belongs to study/);
  });

  const qido = async (url: string, token = reader) => {
    const response = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    return { response, body: response.statusCode === 200 ? response.json<Json[]>() : [] };
  };

  it('QIDO studies: counts, modalities, patient name case-insensitive and wildcard, dates, UID lists', async () => {
    const { response, body } = await qido('/dicom-web/studies');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/dicom\+json/);
    expect(body).toHaveLength(2);
    const mine = body.find((s) => s['0020000D']?.Value?.[0] === phantom.studyUid)!;
    expect(mine['00201206']?.Value).toEqual([1]);
    expect(mine['00201208']?.Value).toEqual([phantom.files.length]);
    expect(mine['00080061']?.Value).toEqual(['MR']);
    const name = (mine['00100010']?.Value?.[0] as { Alphabetic: string }).Alphabetic;
    expect((await qido(`/dicom-web/studies?PatientName=${encodeURIComponent(name.toLowerCase())}`)).body.length).toBeGreaterThanOrEqual(1);
    expect((await qido(`/dicom-web/studies?PatientName=${encodeURIComponent(name.slice(0, 3))}*`)).body.length).toBeGreaterThanOrEqual(1);
    expect((await qido('/dicom-web/studies?PatientName=nobody*')).body).toEqual([]);
    expect((await qido('/dicom-web/studies?StudyDate=20240101-20251231')).body).toHaveLength(2);
    expect((await qido('/dicom-web/studies?StudyDate=-20201231')).body).toHaveLength(0);
    expect((await qido(`/dicom-web/studies?StudyInstanceUID=${phantom.studyUid},${other.studyUid}`)).body).toHaveLength(2);
    expect((await qido(`/dicom-web/studies?0020000D=${phantom.studyUid}`)).body).toHaveLength(1);
    expect((await qido('/dicom-web/studies?ModalitiesInStudy=CT')).body).toHaveLength(0);
    expect((await qido('/dicom-web/studies?limit=1&offset=1')).body).toHaveLength(1);
  });

  it('QIDO series and instances, includefield, fuzzymatching warning, 401 and audit', async () => {
    const series = await qido(`/dicom-web/studies/${phantom.studyUid}/series`);
    expect(series.body).toHaveLength(1);
    expect(series.body[0]!['00201209']?.Value).toEqual([phantom.files.length]);
    expect(series.body[0]!['0020000E']?.Value).toEqual([phantom.seriesUid]);
    expect((await qido('/dicom-web/series?Modality=MR')).body).toHaveLength(2);
    const instances = await qido(`/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances?includefield=00200032&includefield=PixelSpacing`);
    expect(instances.body).toHaveLength(phantom.files.length);
    expect(instances.body[0]!['00200032']?.Value).toHaveLength(3);
    expect(instances.body[0]!['00280030']?.Value).toHaveLength(2);
    const all = await qido(`/dicom-web/studies?StudyInstanceUID=${phantom.studyUid}&includefield=all`);
    expect(all.body[0]!['00100020']).toBeDefined();
    const fuzzy = await qido('/dicom-web/studies?fuzzymatching=true');
    expect(String(fuzzy.response.headers['warning'])).toMatch(/fuzzymatching/);
    expect((await app.inject({ url: '/dicom-web/studies' })).statusCode).toBe(401);
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'qido.series').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0]).toMatchObject({ study_uid: phantom.studyUid, outcome: 'success' });
  });
});

describe('STOW-RS limits', () => {
  it('413 with a clear message when the body exceeds maxRequestBytes or the instance count its limit', async () => {
    const app = await testServer({ limits: { ...DEFAULT_LIMITS, maxRequestBytes: 20_000, maxInstancesPerRequest: 2 } });
    const token = await tokenFor(app, 'wanda', 'resident');
    const phantom = phantomSeries(23);
    const big = stowBody(phantom.files);
    const tooBig = await app.inject({ method: 'POST', url: '/dicom-web/studies', payload: big.body, headers: { 'content-type': big.contentType, authorization: `Bearer ${token}` } });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'REQUEST_TOO_LARGE', message: expect.stringMatching(/maxRequestBytes/) });
    await app.close();
    const app2 = await testServer({ limits: { ...DEFAULT_LIMITS, maxInstancesPerRequest: 2 } });
    const token2 = await tokenFor(app2, 'wanda', 'resident');
    const many = stowBody(phantom.files.slice(0, 3));
    const tooMany = await app2.inject({ method: 'POST', url: '/dicom-web/studies', payload: many.body, headers: { 'content-type': many.contentType, authorization: `Bearer ${token2}` } });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({ code: 'REQUEST_TOO_LARGE', message: expect.stringMatching(/maxInstancesPerRequest/) });
    await app2.close();
  });
});
