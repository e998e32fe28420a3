import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from './test-support.ts';

describe('server skeleton: health, docs, default deny, audit append-only', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer();
    app.get('/test/patient-data', { config: { access: 'patient-data:read' } }, async (request) => {
      request.audit.patientId = 'P1';
      return { ok: true };
    });
    app.get('/test/admin', { config: { access: 'admin' } }, async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => app.close());

  it('GET /healthz answers without sign-in and names the database', async () => {
    const response = await app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('serves the OpenAPI description at /docs', async () => {
    const response = await app.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toHaveProperty('openapi');
  });

  it('refuses a route that declares no access rule at start-up', async () => {
    const other = await testServer();
    expect(() => other.get('/oops', async () => ({}))).toThrow(/declares no config.access/);
    await other.close();
  });

  it('401 without credentials, 403 for a role without the right, 200 with it; each audited', async () => {
    expect((await app.inject({ url: '/test/patient-data' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/test/patient-data', headers: { authorization: 'Bearer nonsense' } })).statusCode).toBe(401);
    const viewer = await tokenFor(app, 'vera', 'viewer');
    expect((await app.inject({ url: '/test/patient-data', headers: { authorization: `Bearer ${viewer}` } })).statusCode).toBe(200);
    const denied = await app.inject({ url: '/test/admin', headers: { authorization: `Bearer ${viewer}` } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN' });
    const entries = await app.keyhole.db.selectFrom('audit').selectAll().where('resource', '=', '/test/patient-data').execute();
    expect(entries.map((e) => `${e.user_name}:${e.outcome}`)).toEqual(['anonymous:denied', 'anonymous:denied', 'vera:success']);
    expect(entries[2]!.patient_id).toBe('P1');
  });

  it('the audit log refuses updates and deletes', async () => {
    await expect(app.keyhole.db.updateTable('audit').set({ outcome: 'success' }).execute()).rejects.toThrow(/append-only/);
    await expect(app.keyhole.db.deleteFrom('audit').execute()).rejects.toThrow(/append-only/);
  });
});
