import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generatePhantomStudy } from '@keyhole/core';
import { stowBody } from '../dicomweb/test-support.ts';
import { testServer, tokenFor } from '../test-support.ts';

describe('per-study access: a restricted study is neither readable nor listed for others', () => {
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const small = (seed: number) => generatePhantomStudy({ seed, modality: 'mr-t2', levels: { from: 'L4', to: 'L5' }, grid: { size: [48, 40, 6], spacing: [3, 3, 4] } });
  const restricted = small(41);
  const open = small(42);
  const uidOf = (study: ReturnType<typeof small>) => study.truthJson.studyInstanceUid;
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const studiesSeenBy = async (who: string): Promise<string[]> => ((await app.inject({ url: '/dicom-web/studies', headers: as(who) })).json() as Array<Record<string, { Value?: string[] }>>).map((s) => s['0020000D']?.Value?.[0] ?? '').sort();
  const setAccess = (who: string, users: string[]) => app.inject({ method: 'PUT', url: `/api/studies/${uidOf(restricted)}/access`, headers: { ...as(who), 'content-type': 'application/json' }, payload: JSON.stringify({ users }) });

  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    tokens['ada'] = await tokenFor(app, 'ada', 'admin');
    tokens['sam'] = await tokenFor(app, 'sam', 'surgeon');
    tokens['vic'] = await tokenFor(app, 'vic', 'viewer');
    for (const study of [restricted, open]) {
      const { body, contentType } = stowBody(study.series[0]!.files.map((f) => ({ bytes: f.bytes, source: f.name })));
      expect((await app.inject({ method: 'POST', url: '/dicom-web/studies', payload: body, headers: { 'content-type': contentType, ...as('sam') } })).statusCode).toBe(200);
    }
  });
  afterAll(async () => app.close());

  it('only an admin sets the list, and only to existing accounts', async () => {
    expect((await setAccess('sam', ['sam'])).statusCode).toBe(403);
    const unknown = await setAccess('ada', ['sam', 'nobody']);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'users' });
    const set = await setAccess('ada', ['sam']);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject([{ userName: 'sam', grantedBy: 'ada' }]);
  });

  it('hides the study from others everywhere: QIDO lists, study routes, WADO-URI; the named user and admins still see it', async () => {
    const r = uidOf(restricted);
    const series = restricted.series[0]!.seriesInstanceUid;
    const sop = (await app.inject({ url: `/dicom-web/studies/${r}/instances`, headers: as('sam') })).json()[0]['00080018'].Value[0] as string;
    expect(await studiesSeenBy('vic')).toEqual([uidOf(open)]);
    expect(await studiesSeenBy('sam')).toEqual([r, uidOf(open)].sort());
    expect(await studiesSeenBy('ada')).toEqual([r, uidOf(open)].sort());
    const allSeries = ((await app.inject({ url: '/dicom-web/series', headers: as('vic') })).json() as Array<Record<string, { Value?: string[] }>>).map((s) => s['0020000D']?.Value?.[0]);
    expect(allSeries).not.toContain(r);
    for (const url of [`/dicom-web/studies/${r}/series`, `/dicom-web/studies/${r}/series/${series}/metadata`, `/dicom-web/studies/${r}/series/${series}/instances/${sop}`, `/api/studies/${r}/annotations`, `/wado?requestType=WADO&studyUID=${r}&seriesUID=${series}&objectUID=${sop}`]) {
      const refused = await app.inject({ url, headers: as('vic') });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json(), url).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining(`may not see study ${r}`) });
      expect((await app.inject({ url, headers: as('sam') })).statusCode, `${url} for the named user`).toBe(200);
    }
    const denied = await app.keyhole.db.selectFrom('audit').select(['user_name', 'outcome', 'study_uid']).where('user_name', '=', 'vic').where('outcome', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(5);
    expect(denied.every((d) => d.study_uid === r)).toBe(true);
  });

  it('an empty list opens the study again', async () => {
    expect((await setAccess('ada', [])).json()).toEqual([]);
    expect(await studiesSeenBy('vic')).toEqual([uidOf(restricted), uidOf(open)].sort());
  });
});
