import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from '../test-support.ts';
import { appendAudit } from './audit-log.ts';
import { atnaEventFor } from './atna.ts';
import { hasTool } from './tool-check.ts';

/** Parses the XML with Python's expat (a real XML parser) and returns each message's fields as JSON. */
function parseAtna(xml: string): Array<Record<string, unknown>> {
  const script = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
assert root.tag == 'AuditMessages', root.tag
out = []
for m in root.findall('AuditMessage'):
    ev = m.find('EventIdentification'); eid = ev.find('EventID'); req = m.find("ActiveParticipant[@UserIsRequestor='true']")
    objs = {o.find('ParticipantObjectIDTypeCode').get('csd-code'): o.get('ParticipantObjectID') for o in m.findall('ParticipantObjectIdentification')}
    out.append({'eventId': eid.get('csd-code'), 'system': eid.get('codeSystemName'), 'action': ev.get('EventActionCode'), 'outcome': ev.get('EventOutcomeIndicator'),
                'at': ev.get('EventDateTime'), 'user': req.get('UserID'), 'address': req.get('NetworkAccessPointID'),
                'source': m.find('AuditSourceIdentification').get('AuditSourceID'), 'patient': objs.get('2'), 'study': objs.get('110180')})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: xml }).toString()) as Array<Record<string, unknown>>;
}

describe('audit log API and ATNA export', () => {
  let app: FastifyInstance;
  let admin: string;
  beforeAll(async () => {
    app = await testServer({ aeTitle: 'KEYHOLE_T' });
    await app.ready();
    admin = await tokenFor(app, 'root', 'admin');
    const db = app.keyhole.db;
    await appendAudit(db, { userName: 'sam', role: 'surgeon', action: 'qido.studies', outcome: 'success', patientId: 'PAT-1', resource: '/dicomweb/studies', sourceAddress: '10.0.0.7' });
    await appendAudit(db, { userName: 'sam', role: 'surgeon', action: 'wado.instance', outcome: 'success', patientId: 'PAT-1', studyUid: '1.2.3.4', resource: '/dicomweb/studies/1.2.3.4', sourceAddress: '10.0.0.7' });
    await appendAudit(db, { userName: 'vic', role: 'viewer', action: 'deidentify.export', outcome: 'denied', patientId: 'PAT-2', studyUid: '1.2.3.5', resource: '/api/studies/1.2.3.5/export', detail: 'a <"quoted"> & odd \u0001 detail' });
    await appendAudit(db, { userName: 'x', role: '', action: 'sign-in', outcome: 'failed', sourceAddress: '10.0.0.9', detail: 'wrong password' });
    await appendAudit(db, { userName: 'orthanc', role: 'surgeon', action: 'stow', outcome: 'partial', patientId: 'PAT-1', studyUid: '1.2.3.4' });
    await appendAudit(db, { userName: 'lit', role: '', action: 'a_b.x', outcome: 'success' });
    await appendAudit(db, { userName: 'lit', role: '', action: 'aXb.y', outcome: 'success' });
  });
  afterAll(async () => app.close());
  const as = { authorization: '' };

  it('is for admins only', async () => {
    const viewer = await tokenFor(app, 'vic', 'viewer');
    expect((await app.inject({ url: '/api/audit', headers: { authorization: `Bearer ${viewer}` } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/audit/export?format=atna' })).statusCode).toBe(401);
  });

  it('filters by user, patient, study, action prefix, outcome, time, with limit and offset', async () => {
    as.authorization = `Bearer ${admin}`;
    const get = async (query: string): Promise<{ total: number; entries: Array<{ action: string; userName: string }> }> => (await app.inject({ url: `/api/audit?${query}`, headers: as })).json();
    expect((await get('user=sam')).entries.map((e) => e.action)).toEqual(['qido.studies', 'wado.instance']);
    expect((await get('patient=PAT-1')).total).toBe(3);
    expect((await get('study=1.2.3.4')).entries.map((e) => e.userName)).toEqual(['sam', 'orthanc']);
    expect((await get('action=wado.*')).entries.map((e) => e.action)).toEqual(['wado.instance']);
    expect((await get('action=a_b*')).entries.map((e) => e.action)).toEqual(['a_b.x']); // _ is literal, not a LIKE wildcard
    expect((await get('outcome=denied')).entries.map((e) => e.userName)).toEqual(['vic']);
    expect((await get('from=2000-01-01&to=2999-12-31')).total).toBeGreaterThanOrEqual(5);
    expect((await get('to=2000-01-01')).total).toBe(0);
    const page = await get('user=sam&limit=1&offset=1');
    expect(page.total).toBe(2);
    expect(page.entries.map((e) => e.action)).toEqual(['wado.instance']);
    const bad = await app.inject({ url: '/api/audit?limit=0', headers: as });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'querystring.limit' });
  });

  it('maps actions to DICOM audit event IDs (PS3.16 CID 400)', () => {
    expect(atnaEventFor('qido.series').eventId.code).toBe('110112');
    expect(atnaEventFor('dimse.c-find').eventId.code).toBe('110112');
    expect(atnaEventFor('stow').eventId.code).toBe('110107');
    expect(atnaEventFor('dimse.c-store').eventId.code).toBe('110107');
    expect(atnaEventFor('wado.frames').eventId.code).toBe('110103');
    expect(atnaEventFor('deidentify.export').eventId.code).toBe('110106');
    expect(atnaEventFor('sign-in').eventId.code).toBe('110114');
    expect(atnaEventFor('PATCH /api/cases/:id')).toMatchObject({ eventId: { code: '110110' }, actionCode: 'U' });
  });

  it.skipIf(!hasTool('python3'))('exports well-formed DICOM audit messages with the event, participant, source and objects', async () => {
    const response = await app.inject({ url: '/api/audit/export?format=atna&action=*', headers: { authorization: `Bearer ${admin}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/xml/);
    const messages = parseAtna(response.body);
    const byUser = (user: string) => messages.filter((m) => m['user'] === user);
    expect(byUser('sam')).toEqual([
      expect.objectContaining({ eventId: '110112', system: 'DCM', action: 'E', outcome: '0', address: '10.0.0.7', source: 'KEYHOLE_T', patient: 'PAT-1', study: null }),
      expect.objectContaining({ eventId: '110103', action: 'R', outcome: '0', patient: 'PAT-1', study: '1.2.3.4' }),
    ]);
    expect(byUser('vic')[0]).toMatchObject({ eventId: '110106', outcome: '4', patient: 'PAT-2', study: '1.2.3.5' });
    expect(byUser('x')[0]).toMatchObject({ eventId: '110114', outcome: '8', address: '10.0.0.9', patient: null });
    expect(byUser('orthanc')[0]).toMatchObject({ eventId: '110107', action: 'C', outcome: '4' });
    for (const m of messages) expect(Date.parse(String(m['at']))).not.toBeNaN();
    expect(response.body).toContain('a &lt;&quot;quoted&quot;&gt; &amp; odd  detail');
  });

  it('reading and exporting the log is itself audited', async () => {
    const used = await app.keyhole.db.selectFrom('audit').selectAll().where('action', 'like', 'audit.%').execute();
    expect(used.map((e) => e.user_name)).toContain('root');
    expect(used.some((e) => e.action === 'audit.query')).toBe(true);
  });
});
