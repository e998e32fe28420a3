import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generatePhantomStudy } from '@keyhole/core';
import { stowBody } from '../dicomweb/test-support.ts';
import { testServer, tokenFor } from '../test-support.ts';

interface Status {
  state: string;
  progress: number;
  message: string;
  levelCount?: { labels: string[]; verified: boolean; confidence: number; cues: unknown[] };
  segSeriesUid?: string;
  confirmation?: { by: string; labels: string[] };
}

describe('spine anatomy of a stored series: run on a worker, SEG stored in the study, numbering confirmed by a surgeon', () => {
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  // The phantom CT the core pipeline is evaluated on (seed 3, its own grid).
  const study = generatePhantomStudy({ seed: 3, modality: 'ct' });
  const series = study.series[0]!;
  const studyUid = study.truthJson.studyInstanceUid;
  const base = `/api/studies/${studyUid}/series/${series.seriesInstanceUid}/anatomy`;
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    tokens['resident'] = await tokenFor(app, 'rhea', 'resident');
    tokens['surgeon'] = await tokenFor(app, 'sam', 'surgeon');
    tokens['viewer'] = await tokenFor(app, 'vic', 'viewer');
    const { body, contentType } = stowBody(series.files.map((f) => ({ bytes: f.bytes, source: f.name })));
    const stored = await app.inject({ method: 'POST', url: '/dicom-web/studies', payload: body, headers: { 'content-type': contentType, ...as('resident') } });
    expect(stored.statusCode).toBe(200);
  });
  afterAll(async () => app.close());

  it('refuses what is not there and who may not: unknown series 404, a viewer may not start a run (403)', async () => {
    expect((await app.inject({ url: base, headers: as('viewer') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/studies/${studyUid}/series/1.2.3.4/anatomy`, headers: as('resident') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: base, headers: as('viewer') })).statusCode).toBe(403);
  });

  it('runs, reports progress, stores the SEG in the study, and lets a surgeon (not a resident) confirm exactly the proposed numbering', async () => {
    const started = await app.inject({ method: 'POST', url: base, headers: as('resident') });
    expect(started.statusCode, started.body).toBe(202);
    expect((started.json() as Status).state).toBe('running');
    // A second start while it runs is the same run.
    expect(((await app.inject({ method: 'POST', url: base, headers: as('resident') })).json() as Status).state).toBe('running');
    let status: Status = started.json() as Status;
    const deadline = Date.now() + 240_000;
    while (status.state === 'running' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await app.inject({ url: base, headers: as('viewer') })).json() as Status;
      expect(status.progress).toBeGreaterThanOrEqual(0);
    }
    expect(status.state, status.message).toBe('done');
    // The phantom's truth names the vertebrae it drew (T10 … L5, then the sacrum).
    const truth = (study.truthJson as unknown as { sceneLevels: { vertebrae: string[] } }).sceneLevels.vertebrae;
    expect(status.levelCount?.labels).toEqual(truth);
    expect(status.message).toMatch(new RegExp(`${truth[0]}–${truth[truth.length - 1]}, ${truth.length} vertebrae`));
    // The label map is a DICOM SEG in the same study, found by QIDO like any series.
    const qido = await app.inject({ url: `/dicom-web/studies/${studyUid}/series?Modality=SEG`, headers: as('viewer') });
    const segSeries = (qido.json() as Array<Record<string, { Value?: unknown[] }>>).map((s) => s['0020000E']?.Value?.[0]);
    expect(segSeries).toEqual([status.segSeriesUid]);

    const labels = status.levelCount!.labels;
    const confirm = (who: string, body: unknown) => app.inject({ method: 'POST', url: `${base}/confirm`, headers: { ...as(who), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect((await confirm('resident', { labels })).statusCode).toBe(403);
    const shifted = await confirm('surgeon', { labels: ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'S1'] });
    expect(shifted.statusCode).toBe(409);
    expect(shifted.json()).toMatchObject({ code: 'ANATOMY_NOT_READY', path: 'labels' });
    const missing = await confirm('surgeon', {});
    expect(missing.statusCode).toBe(400);
    const confirmed = await confirm('surgeon', { labels });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((confirmed.json() as Status).confirmation).toMatchObject({ by: 'sam (surgeon)', labels });

    const audit = await app.keyhole.db.selectFrom('audit').select(['action', 'outcome', 'user_name', 'resource', 'detail']).orderBy('id').execute();
    const anatomy = audit.filter((a) => a.action.startsWith('anatomy.'));
    expect(anatomy.map((a) => [a.action, a.outcome])).toEqual(expect.arrayContaining([['anatomy.start', 'success'], ['anatomy.completed', 'success'], ['anatomy.read', 'success'], ['anatomy.confirm', 'failed'], ['anatomy.confirm', 'success']]));
    expect(anatomy.find((a) => a.action === 'anatomy.completed')?.user_name).toBe('rhea');
    expect(anatomy.find((a) => a.action === 'anatomy.confirm' && a.outcome === 'success')?.detail).toMatch(/confirmed by sam \(surgeon\)/);
    // The resident's attempt is in the log too, refused.
    expect(audit.some((a) => a.outcome === 'denied' && a.user_name === 'rhea' && a.resource.endsWith('/anatomy/confirm'))).toBe(true);
  }, 300_000);
});
