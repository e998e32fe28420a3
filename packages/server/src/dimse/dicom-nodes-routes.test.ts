import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, tokenFor } from '../test-support.ts';
import { allowedCallersFromDatabase, callerAllowed } from './dicom-nodes.ts';

describe('/api/dicom-nodes', () => {
  let app: FastifyInstance;
  let admin: string;
  let surgeon: string;
  beforeAll(async () => {
    app = await testServer();
    admin = await tokenFor(app, 'root', 'admin');
    surgeon = await tokenFor(app, 'doc', 'surgeon');
  });
  afterAll(async () => app?.close());

  const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

  it('is for admins only: 401 anonymous, 403 for a surgeon', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/dicom-nodes' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/dicom-nodes', headers: auth(surgeon) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/dicom-nodes', headers: auth(surgeon), payload: { name: 'x', kind: 'local-caller', aeTitle: 'X' } })).statusCode).toBe(403);
  });

  it('adds, lists and deletes nodes; the SCP sees the callers at once; the DICOMweb credential is never returned', async () => {
    const ct = await app.inject({ method: 'POST', url: '/api/dicom-nodes', headers: auth(admin), payload: { name: 'ct-scanner', kind: 'local-caller', aeTitle: 'CT01', host: '10.0.0.5' } });
    expect(ct.statusCode).toBe(201);
    const pacs = await app.inject({ method: 'POST', url: '/api/dicom-nodes', headers: auth(admin), payload: { name: 'pacs', kind: 'remote-pacs', aeTitle: 'PACS', host: 'pacs.local', port: 104, dicomwebUrl: 'http://pacs.local/dicom-web/', dicomwebAuth: 'Basic c2VjcmV0' } });
    expect(pacs.statusCode).toBe(201);
    expect(pacs.json()).toMatchObject({ name: 'pacs', dicomwebUrl: 'http://pacs.local/dicom-web', hasDicomwebAuth: true });
    const list = await app.inject({ method: 'GET', url: '/api/dicom-nodes', headers: auth(admin) });
    expect(list.json().map((n: { name: string }) => n.name)).toEqual(['ct-scanner', 'pacs']);
    expect(list.body).not.toContain('c2VjcmV0');

    const callers = await allowedCallersFromDatabase(app.keyhole.db);
    expect(callerAllowed(callers, 'CT01', '::ffff:10.0.0.5')).toBe(true);
    expect(callerAllowed(callers, 'CT01', '10.0.0.6')).toBe(false);
    expect(callerAllowed(callers, 'PACS', '192.168.1.1')).toBe(true);
    expect(callerAllowed(callers, 'OTHER', '10.0.0.5')).toBe(false);

    expect((await app.inject({ method: 'DELETE', url: '/api/dicom-nodes/ct-scanner', headers: auth(admin) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/api/dicom-nodes/ct-scanner', headers: auth(admin) })).statusCode).toBe(404);
    expect(callerAllowed(await allowedCallersFromDatabase(app.keyhole.db), 'CT01', '10.0.0.5')).toBe(false);
  });

  it('refuses bad input naming the field: an AE title with a backslash, a duplicate name, a PACS without an address', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/dicom-nodes', headers: auth(admin), payload: { name: 'bad', kind: 'local-caller', aeTitle: 'A\\B' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body.aeTitle' });
    const duplicate = await app.inject({ method: 'POST', url: '/api/dicom-nodes', headers: auth(admin), payload: { name: 'pacs', kind: 'local-caller', aeTitle: 'P2' } });
    expect(duplicate.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body.name' });
    const noAddress = await app.inject({ method: 'POST', url: '/api/dicom-nodes', headers: auth(admin), payload: { name: 'p3', kind: 'remote-pacs', aeTitle: 'P3' } });
    expect(noAddress.statusCode).toBe(400);
    const tooLong = await app.inject({ method: 'POST', url: '/api/dicom-nodes', headers: auth(admin), payload: { name: 'p4', kind: 'local-caller', aeTitle: 'A'.repeat(17) } });
    expect(tooLong.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
