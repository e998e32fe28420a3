import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, tokenFor } from '../test-support.ts';
import { objectsDir } from '../store/index.ts';
import { phantomSeries, type PhantomFixture } from '../store/test-fixtures.ts';
import { addDicomNode } from '../dimse/dicom-nodes.ts';
import { datasetOfPart10 } from '../dimse/part10.ts';
import { startDimseServer, type DimseServer } from '../dimse/scp.ts';
import { requireTools } from '../dimse/test-support/external-tools.ts';
import { dicomwebPluginPath, orthancBinary, startOrthanc, type OrthancInstance } from './test-support/orthanc.ts';

const tools = requireTools(orthancBinary() !== undefined && dicomwebPluginPath() !== undefined ? [] : ['Orthanc', 'libOrthancDicomWeb.so'], 'remote PACS against Orthanc');

describe.skipIf(!tools.available)('remote PACS: Orthanc with DICOMweb as the peer', () => {
  let app: FastifyInstance;
  let dimse: DimseServer;
  let orthanc: OrthancInstance;
  let writer: string;
  const pulledWeb = phantomSeries(21);
  const pulledDimse = phantomSeries(22);
  const pushed = phantomSeries(23);

  beforeAll(async () => {
    app = await testServer({ aeTitle: 'KEYHOLE' });
    dimse = await startDimseServer({ app, port: 0, aeTitle: 'KEYHOLE' });
    orthanc = await startOrthanc({ modalities: { keyhole: { aeTitle: 'KEYHOLE', host: '127.0.0.1', port: dimse.port } } });
    await addDicomNode(app.keyhole.db, { name: 'orthanc', kind: 'remote-pacs', aeTitle: orthanc.aeTitle, host: '127.0.0.1', port: orthanc.dicomPort, dicomwebUrl: orthanc.dicomwebUrl });
    for (const fixture of [pulledWeb, pulledDimse, pushed]) await orthanc.upload(fixture.files.map((f) => f.bytes));
    writer = await tokenFor(app, 'resident', 'resident');
  });
  afterAll(async () => {
    await orthanc?.stop();
    await dimse?.close();
    await app?.close();
  });

  const post = (url: string, token: string | undefined, payload: unknown) =>
    app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}) });

  async function storedFiles(fixture: PhantomFixture): Promise<Map<string, Buffer>> {
    const rows = await app.keyhole.db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select(['instance.sop_instance_uid', 'instance.file_path']).where('series.series_uid', '=', fixture.seriesUid).execute();
    return new Map(rows.map((r) => [r.sop_instance_uid, readFileSync(join(objectsDir(app.keyhole.options.dataDir), r.file_path))]));
  }

  /** Every original instance is stored once, with its data set bytes unchanged. */
  async function expectStoredAsOriginal(fixture: PhantomFixture): Promise<void> {
    const stored = await storedFiles(fixture);
    expect(stored.size).toBe(fixture.files.length);
    const storedDatasets = [...stored.values()].map((bytes) => Buffer.from(datasetOfPart10(bytes)));
    for (const file of fixture.files) {
      const original = Buffer.from(datasetOfPart10(file.bytes));
      expect(storedDatasets.some((d) => d.equals(original))).toBe(true);
    }
  }

  it('lists the configured PACS for the import dialog: names and protocols, no addresses or credentials', async () => {
    const listed = await app.inject({ url: '/api/remote', headers: { authorization: `Bearer ${writer}` } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([{ name: 'orthanc', aeTitle: orthanc.aeTitle, via: ['dicomweb', 'dimse'] }]);
    expect(listed.body).not.toContain('127.0.0.1');
  });

  it('refuses anonymous callers (401) and roles that may not write (403)', async () => {
    expect((await post('/api/remote/orthanc/query', undefined, {})).statusCode).toBe(401);
    const viewer = await tokenFor(app, 'viewer', 'viewer');
    expect((await post('/api/remote/orthanc/query', viewer, {})).statusCode).toBe(403);
    expect((await post('/api/remote/nowhere/query', writer, {})).statusCode).toBe(404);
  });

  it('finds the studies over QIDO-RS and over C-FIND, at study and series level', async () => {
    for (const via of ['dicomweb', 'dimse'] as const) {
      const studies = await post('/api/remote/orthanc/query', writer, { via, level: 'study', query: { PatientID: pulledWeb.patientId } });
      expect(studies.statusCode, studies.body).toBe(200);
      const matches = studies.json().matches as Array<{ studyUid: string; instances?: number; patientId: string }>;
      expect(matches.map((m) => m.studyUid)).toEqual([pulledWeb.studyUid]);
      expect(matches[0]).toMatchObject({ patientId: pulledWeb.patientId, instances: pulledWeb.files.length });
      const series = await post('/api/remote/orthanc/query', writer, { via, level: 'series', studyUid: pulledDimse.studyUid });
      expect(series.statusCode, series.body).toBe(200);
      expect(series.json().matches).toEqual([expect.objectContaining({ studyUid: pulledDimse.studyUid, seriesUid: pulledDimse.seriesUid, instances: pulledDimse.files.length })]);
    }
    const all = await post('/api/remote/orthanc/query', writer, { via: 'dimse', level: 'study', query: { PatientID: '*' } });
    expect(all.json().matches).toHaveLength(3);
  });

  it('pulls a study over WADO-RS: stored once (a second pull finds duplicates), bytes equal, audited', async () => {
    const first = await post('/api/remote/orthanc/retrieve', writer, { via: 'dicomweb', studyUid: pulledWeb.studyUid });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ received: pulledWeb.files.length, stored: pulledWeb.files.length, duplicates: 0, failed: [] });
    const again = await post('/api/remote/orthanc/retrieve', writer, { via: 'dicomweb', studyUid: pulledWeb.studyUid });
    expect(again.json()).toMatchObject({ stored: 0, duplicates: pulledWeb.files.length });
    await expectStoredAsOriginal(pulledWeb);
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'remote.retrieve').where('study_uid', '=', pulledWeb.studyUid).execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ user_name: 'resident', outcome: 'success', patient_id: pulledWeb.patientId });
  });

  it('pulls a study over C-MOVE to our own AE title: it arrives over C-STORE, stored once, bytes equal', async () => {
    const moved = await post('/api/remote/orthanc/retrieve', writer, { via: 'dimse', studyUid: pulledDimse.studyUid });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ completed: pulledDimse.files.length, failed: 0 });
    await expectStoredAsOriginal(pulledDimse);
    const stores = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'dimse.c-store').where('study_uid', '=', pulledDimse.studyUid).execute();
    expect(stores).toHaveLength(pulledDimse.files.length);
    expect(stores.every((s) => s.user_name === orthanc.aeTitle)).toBe(true);
  });

  it('receives a study that Orthanc pushes to us (REST /modalities/keyhole/store → C-STORE)', async () => {
    const studies = await orthanc.rest<Array<{ ID: string; MainDicomTags: { StudyInstanceUID: string } }>>('/studies?expand');
    const study = studies.find((s) => s.MainDicomTags.StudyInstanceUID === pushed.studyUid);
    expect(study).toBeDefined();
    await orthanc.rest('/modalities/keyhole/store', { method: 'POST', body: { Resources: [study!.ID], Synchronous: true } });
    await expectStoredAsOriginal(pushed);
  });

  it('names the node and the problem when the remote cannot be reached', async () => {
    await addDicomNode(app.keyhole.db, { name: 'gone', kind: 'remote-pacs', aeTitle: 'GONE', host: '127.0.0.1', port: 1, dicomwebUrl: 'http://127.0.0.1:1/dicom-web' });
    for (const via of ['dicomweb', 'dimse'] as const) {
      const failed = await post('/api/remote/gone/query', writer, { via });
      expect(failed.statusCode).toBe(502);
      expect(failed.json()).toMatchObject({ code: 'REMOTE_NODE_FAILED' });
      expect(failed.json().message).toMatch(/127\.0\.0\.1:1/);
    }
  });
});
