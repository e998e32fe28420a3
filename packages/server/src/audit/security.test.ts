import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from '../test-support.ts';
import { touchesPatientData, type Permission } from '../auth/roles.ts';
import { settleAudit } from './settle-audit.ts';

/** A concrete URL for a route pattern: every parameter and wildcard gets a harmless value. */
function concreteUrl(pattern: string): string {
  return pattern.replace(/:(\w+)/g, (_m, name: string) => (/id$/i.test(name) && !/uid$/i.test(name) ? '1' : '1.2.3.4')).replace(/\*/g, 'x');
}

/** Acceptance (issue 3, security): walk every registered route, not a hand-kept list. */
describe('every protected route: 401 anonymous, 403 without the right, and audited', () => {
  let app: FastifyInstance;
  let tokens: Record<'viewer' | 'resident' | 'surgeon', string>;
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    tokens = { viewer: await tokenFor(app, 'sec-viewer', 'viewer'), resident: await tokenFor(app, 'sec-resident', 'resident'), surgeon: await tokenFor(app, 'sec-surgeon', 'surgeon') };
  });
  afterAll(async () => app.close());

  const protectedRoutes = (): Array<{ method: string; url: string; access: Permission }> =>
    app.routeCatalogue.filter((r): r is { method: string; url: string; access: Permission } => r.access !== undefined && r.access !== 'public' && r.method !== 'OPTIONS');

  it('knows the routes it checks (accounts, audit and cases among them)', () => {
    const urls = protectedRoutes().map((r) => `${r.method} ${r.url}`);
    for (const expected of ['GET /api/users', 'GET /api/audit', 'POST /api/cases', 'PATCH /api/cases/:id', 'GET /api/me']) expect(urls).toContain(expected);
  });

  it('anonymous → 401, a role without the permission → 403, for each route', async () => {
    const refusals: string[] = [];
    for (const route of protectedRoutes()) {
      const url = concreteUrl(route.url);
      const method = route.method as 'GET';
      const anonymous = await app.inject({ method, url });
      if (anonymous.statusCode !== 401) refusals.push(`${route.method} ${route.url}: anonymous got ${anonymous.statusCode}`);
      const forged = await app.inject({ method, url, headers: { authorization: 'Bearer forged' } });
      if (forged.statusCode !== 401) refusals.push(`${route.method} ${route.url}: forged token got ${forged.statusCode}`);
      // The strongest role that still lacks the permission.
      const lacking = route.access === 'admin' ? 'surgeon' : route.access === 'patient-data:export' || route.access === 'patient-data:confirm' ? 'resident' : route.access === 'patient-data:write' ? 'viewer' : undefined;
      if (lacking !== undefined) {
        const denied = await app.inject({ method, url, headers: { authorization: `Bearer ${tokens[lacking]}` } });
        if (denied.statusCode !== 403) refusals.push(`${route.method} ${route.url}: ${lacking} got ${denied.statusCode}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it('every request to a patient-data route in this run left an audit entry', async () => {
    const patientRoutes = protectedRoutes().filter((r) => touchesPatientData(r.access));
    expect(patientRoutes.length).toBeGreaterThan(0);
    await settleAudit(app);
    const entries = await app.keyhole.db.selectFrom('audit').select(['resource', 'outcome', 'user_name']).execute();
    const missing = patientRoutes.filter((r) => !entries.some((e) => e.resource === concreteUrl(r.url) && e.outcome === 'denied' && e.user_name === 'anonymous'));
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    // Anonymous and forged requests to each (2 per route and method) plus the role refusals.
    const denied = entries.filter((e) => e.outcome === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(patientRoutes.length * 2);
  });
});
