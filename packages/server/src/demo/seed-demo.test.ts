import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseDicom, Tag } from '@keyhole/core';
import { testServer, tokenFor } from '../test-support.ts';
import { settleAudit } from '../audit/settle-audit.ts';
import { storeInstances } from '../store/index.ts';
import { phantomSeries } from '../store/test-fixtures.ts';
import { DEMO_CASE_TITLE, DEMO_PATIENT_ID, DEMO_PATIENT_NAME, DEMO_STUDY_UID, makeDemoStudy, type DemoSeriesPlan } from './demo-study.ts';
import { seedDemoCase } from './seed-demo.ts';

/** The demo's series on tiny grids: the same code path in well under a second (the CLI test runs the real size). */
const SMALL: readonly DemoSeriesPlan[] = [
  { modality: 'ct', protocol: '3d', grid: { size: [48, 48, 12], spacing: [4, 4, 4] } },
  { modality: 'mr-t2', protocol: 'sagittal', grid: { size: [48, 64, 5], spacing: [4, 4, 5] } },
];

interface DcmjsLike {
  data: { DicomMessage: { readFile(buffer: ArrayBuffer): { dict: Record<string, unknown>; write(): ArrayBuffer } } };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsLike;

/** A phantom instance without its Synthetic Data marker: what a real patient's image looks like to the flag. */
function withoutSyntheticMarker(bytes: Uint8Array): Uint8Array {
  const message = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  delete message.dict['0008001C'];
  return new Uint8Array(message.write());
}

type Json = Record<string, { Value?: unknown[] }>;
const value = (dataset: Json, tag: string): unknown => dataset[tag]?.Value?.[0];

describe('demo study', () => {
  it('is one study of a synthetic patient with a CT and an MR T2 series, every instance marked Synthetic Data = YES', () => {
    const study = makeDemoStudy({ series: SMALL });
    expect(study.series.map((s) => [s.modality, s.instances])).toEqual([['CT', 12], ['MR', 5]]);
    expect(study.files).toHaveLength(17);
    const uids = new Set<string>();
    for (const file of study.files) {
      const { dataset, sopInstanceUid } = parseDicom({ bytes: file.bytes, source: file.source });
      expect(dataset.string(Tag.PatientName)).toBe(DEMO_PATIENT_NAME);
      expect(dataset.string(Tag.PatientID)).toBe(DEMO_PATIENT_ID);
      expect(dataset.string(Tag.StudyInstanceUID)).toBe(DEMO_STUDY_UID);
      expect(dataset.string('x0008001c')).toBe('YES');
      expect(dataset.string('x00081030')).toMatch(/SYNTHETIC.*not a patient/);
      uids.add(sopInstanceUid);
    }
    expect(uids.size).toBe(17);
  });
});

describe('seedDemoCase', () => {
  let app: FastifyInstance;
  let viewer: { authorization: string };
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    viewer = { authorization: `Bearer ${await tokenFor(app, 'demo-viewer', 'viewer')}` };
  });
  afterAll(async () => app.close());

  it('stores the synthetic study through the store and opens a case marked synthetic; QIDO finds it with its counts', async () => {
    const stages: string[] = [];
    const result = await seedDemoCase({ db: app.keyhole.db, dataDir: app.keyhole.options.dataDir, series: SMALL, onProgress: (_f, stage) => stages.push(stage) });
    expect(result).toMatchObject({ status: 'created', patientId: DEMO_PATIENT_ID, studyUid: DEMO_STUDY_UID, caseTitle: DEMO_CASE_TITLE, instanceCount: 17 });
    expect(stages.some((s) => s.startsWith('CT phantom'))).toBe(true);
    expect(stages.some((s) => s.startsWith('MR T2 phantom'))).toBe(true);
    expect(stages.at(-1)).toBe('done');

    const studies = await app.inject({ url: `/dicom-web/studies?PatientID=${DEMO_PATIENT_ID}&includefield=0008001C`, headers: viewer });
    expect(studies.statusCode, studies.body).toBe(200);
    const [found, ...more] = studies.json() as Json[];
    expect(more).toHaveLength(0);
    expect(value(found!, '0020000D')).toBe(DEMO_STUDY_UID);
    expect(value(found!, '00100010')).toEqual({ Alphabetic: DEMO_PATIENT_NAME });
    expect(value(found!, '00201206')).toBe(2);
    expect(value(found!, '00201208')).toBe(17);
    expect(value(found!, '0008001C')).toBe('YES');
    const series = (await app.inject({ url: `/dicom-web/studies/${DEMO_STUDY_UID}/series`, headers: viewer })).json() as Json[];
    expect(series.map((s) => [value(s, '00080060'), value(s, '00201209')]).sort()).toEqual([['CT', 12], ['MR', 5]]);

    const cases = (await app.inject({ url: `/api/cases?patientId=${DEMO_PATIENT_ID}`, headers: viewer })).json() as Array<Record<string, unknown>>;
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ id: result.caseId, title: DEMO_CASE_TITLE, synthetic: true, studies: [{ studyUid: DEMO_STUDY_UID, role: 'pre-op', synthetic: true }], document: { schemaVersion: 1, summary: expect.stringMatching(/^SYNTHETIC DEMO, NOT A PATIENT/) } });
    const study = await app.inject({ url: `/api/studies/${DEMO_STUDY_UID}`, headers: viewer });
    expect(study.json()).toMatchObject({ studyUid: DEMO_STUDY_UID, patientId: DEMO_PATIENT_ID, patientName: DEMO_PATIENT_NAME, modalities: 'CT\\MR', seriesCount: 2, instanceCount: 17, synthetic: true });

    await settleAudit(app);
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'demo.seed').execute();
    expect(audit.map((a) => `${a.user_name}:${a.patient_id}:${a.study_uid}:${a.outcome}`)).toEqual([`system:${DEMO_PATIENT_ID}:${DEMO_STUDY_UID}:success`]);
  });

  it('is idempotent: a second start finds the case and adds no copy', async () => {
    const again = await seedDemoCase({ db: app.keyhole.db, dataDir: app.keyhole.options.dataDir, series: SMALL, mode: 'always' });
    expect(again).toMatchObject({ status: 'present', instanceCount: 17 });
    expect((await app.inject({ url: `/api/cases?patientId=${DEMO_PATIENT_ID}`, headers: viewer })).json()).toHaveLength(1);
    const instances = await app.keyhole.db.selectFrom('instance').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(instances.n)).toBe(17);
  });

  it('a study without the Synthetic Data marker is not flagged', async () => {
    const phantom = phantomSeries(11);
    const files = phantom.files.map((f) => ({ bytes: withoutSyntheticMarker(f.bytes), source: f.source }));
    const stored = await storeInstances({ archive: { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir }, files });
    expect(stored.failed).toEqual([]);
    const listed = (await app.inject({ url: '/api/studies', headers: viewer })).json() as Array<{ studyUid: string; synthetic: boolean }>;
    expect(listed.map((s) => [s.studyUid, s.synthetic])).toEqual([[DEMO_STUDY_UID, true], [phantom.studyUid, false]]);
    const opened = await app.inject({ method: 'POST', url: '/api/cases', headers: { authorization: `Bearer ${await tokenFor(app, 'demo-surgeon', 'surgeon')}` }, payload: { patientId: phantom.patientId, title: 'x', studies: [{ studyUid: phantom.studyUid, role: 'pre-op' }] } });
    expect(opened.json()).toMatchObject({ synthetic: false, studies: [{ synthetic: false }] });
  });
});

describe('seedDemoCase on an archive that already holds patient data', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    const phantom = phantomSeries(12);
    await storeInstances({ archive: { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir }, files: phantom.files });
  });
  afterAll(async () => app.close());

  it('adds no demo unless asked (mode always)', async () => {
    const skipped = await seedDemoCase({ db: app.keyhole.db, dataDir: app.keyhole.options.dataDir, series: SMALL });
    expect(skipped).toMatchObject({ status: 'skipped', instanceCount: 0, reason: expect.stringMatching(/already holds 1 patient.*--demo/) });
    expect(await app.keyhole.db.selectFrom('study').select('study_uid').where('study_uid', '=', DEMO_STUDY_UID).executeTakeFirst()).toBeUndefined();
    const asked = await seedDemoCase({ db: app.keyhole.db, dataDir: app.keyhole.options.dataDir, series: SMALL, mode: 'always' });
    expect(asked).toMatchObject({ status: 'created', instanceCount: 17 });
  });
});
