import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from '../test-support.ts';
import { firstAdminLink } from './first-admin.ts';
import { createUser } from './users.ts';
import { SignInLimiter } from '../auth/sign-in-limiter.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';

const PASSWORD = 'correct horse battery';

function sessionCookie(response: { cookies: Array<{ name: string; value: string }> }): string {
  const cookie = response.cookies.find((c) => c.name === 'keyhole_session');
  if (cookie === undefined) throw new Error('no session cookie set');
  return cookie.value;
}

describe('passwords and the sign-in limiter', () => {
  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain(PASSWORD);
    expect(await verifyPassword(stored, PASSWORD)).toBe(true);
    expect(await verifyPassword(stored, `${PASSWORD}!`)).toBe(false);
    expect(await verifyPassword('not a hash', PASSWORD)).toBe(false);
  });

  it('locks a key after the limit and frees it when the window slides past', () => {
    let now = 0;
    const limiter = new SignInLimiter({ maxFailures: 3, windowMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('k')).toBe(0);
      limiter.recordFailure('k');
      now += 100;
    }
    expect(limiter.retryAfterSeconds('k')).toBe(1);
    now = 1001;
    expect(limiter.retryAfterSeconds('k')).toBe(0);
  });
});

describe('first admin, sign-in, sessions', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
  });
  afterAll(async () => app.close());

  it('an empty archive gives a one-time setup link; the token creates the first admin once', async () => {
    const link = await firstAdminLink(app, { baseUrl: 'http://localhost:8080' });
    expect(link).toMatch(/^http:\/\/localhost:8080\/setup\?token=[\w-]{43}$/);
    const token = new URL(link!).searchParams.get('token')!;
    const page = await app.inject({ url: `/setup?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);

    const wrong = await app.inject({ method: 'POST', url: '/api/setup', payload: { token: 'nope', name: 'ada', password: PASSWORD } });
    expect(wrong.statusCode).toBe(403);
    const short = await app.inject({ method: 'POST', url: '/api/setup', payload: { token, name: 'ada', password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'password' });

    const created = await app.inject({ method: 'POST', url: '/api/setup', payload: { token, name: 'ada', password: PASSWORD } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'ada', role: 'admin' });
    const me = await app.inject({ url: '/api/me', cookies: { keyhole_session: sessionCookie(created) } });
    expect(me.json()).toMatchObject({ name: 'ada', role: 'admin', via: 'session' });

    const again = await app.inject({ method: 'POST', url: '/api/setup', payload: { token, name: 'eve', password: PASSWORD } });
    expect(again.statusCode).toBe(403);
    expect(await firstAdminLink(app)).toBeUndefined();
  });

  it('sign-in sets an httpOnly SameSite=Strict session cookie; sign-out ends it', async () => {
    await createUser({ db: app.keyhole.db, name: 'sam', role: 'surgeon', password: PASSWORD, policy: { minLength: 12 } });
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'sam', password: PASSWORD }, remoteAddress: '10.0.0.1' });
    expect(signIn.statusCode).toBe(200);
    const header = String(signIn.headers['set-cookie']);
    expect(header).toMatch(/keyhole_session=/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Max-Age=28800/);
    expect(header).not.toMatch(/Secure/); // plain HTTP here; Secure is set behind TLS
    const cookie = sessionCookie(signIn);
    const row = await app.keyhole.db.selectFrom('token').selectAll().where('kind', '=', 'session').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.token_hash).not.toBe(cookie);
    const ttl = Date.parse(row.expires_at!) - Date.now();
    expect(ttl).toBeGreaterThan(7.9 * 3600_000);

    const me = await app.inject({ url: '/api/me', cookies: { keyhole_session: cookie } });
    expect(me.json()).toMatchObject({ name: 'sam', role: 'surgeon' });
    expect(String(me.headers['set-cookie'])).toMatch(/keyhole_session=/); // sliding expiry renews the cookie

    const out = await app.inject({ method: 'DELETE', url: '/api/session', cookies: { keyhole_session: cookie } });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', cookies: { keyhole_session: cookie } })).statusCode).toBe(401);
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('user_name', '=', 'sam').orderBy('id').execute();
    expect(audit.map((e) => `${e.action}:${e.outcome}`)).toEqual(['sign-in:success', 'sign-out:success']);
  });

  it('a session cookie is not accepted as a bearer token kind mix-up: bearer tokens cannot be used as cookies', async () => {
    const bearer = await tokenFor(app, 'bob', 'viewer');
    expect((await app.inject({ url: '/api/me', cookies: { keyhole_session: bearer } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${bearer}` } })).json()).toMatchObject({ name: 'bob', via: 'bearer' });
  });

  it('failed sign-ins: one answer for every cause, audited, 429 with Retry-After after 5 per name', async () => {
    await createUser({ db: app.keyhole.db, name: 'rita', role: 'radiologist', password: PASSWORD, policy: { minLength: 12 } });
    const unknown = await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'nobody', password: PASSWORD }, remoteAddress: '10.0.1.1' });
    const wrong = await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'rita', password: 'wrong password!' }, remoteAddress: '10.0.1.2' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().message).toBe(wrong.json().message);
    for (let i = 3; i <= 6; i++) {
      expect((await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'rita', password: 'wrong password!' }, remoteAddress: `10.0.1.${i}` })).statusCode).toBe(401);
    }
    // Fifth failure for rita reached: even the right password from a fresh address is refused now.
    const limited = await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'rita', password: PASSWORD }, remoteAddress: '10.0.1.99' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'sign-in').where('user_name', '=', 'rita').orderBy('id').execute();
    expect(audit.map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'denied']);
    expect(audit.every((e) => !e.detail.includes('wrong password!'))).toBe(true);
  });

  it('a user changes their own password with the current one; their sessions end', async () => {
    await createUser({ db: app.keyhole.db, name: 'paula', role: 'resident', password: PASSWORD, policy: { minLength: 12 } });
    const first = sessionCookie(await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'paula', password: PASSWORD }, remoteAddress: '10.0.2.1' }));
    const wrong = await app.inject({ method: 'PUT', url: '/api/me/password', cookies: { keyhole_session: first }, payload: { current: 'not it at all', password: 'a brand new passphrase' } });
    expect(wrong.statusCode).toBe(403);
    const short = await app.inject({ method: 'PUT', url: '/api/me/password', cookies: { keyhole_session: first }, payload: { current: PASSWORD, password: 'short' } });
    expect(short.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'password' });
    const changed = await app.inject({ method: 'PUT', url: '/api/me/password', cookies: { keyhole_session: first }, payload: { current: PASSWORD, password: 'a brand new passphrase' } });
    expect(changed.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', cookies: { keyhole_session: first } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'paula', password: PASSWORD }, remoteAddress: '10.0.2.2' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'paula', password: 'a brand new passphrase' }, remoteAddress: '10.0.2.3' })).statusCode).toBe(200);
  });

  it('429 per source address across names', async () => {
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: 'POST', url: '/api/session', payload: { name: `guess${i}`, password: 'whatever12345' }, remoteAddress: '10.9.9.9' });
    }
    const limited = await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'sam', password: PASSWORD }, remoteAddress: '10.9.9.9' });
    expect(limited.statusCode).toBe(429);
    expect((await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'sam', password: PASSWORD }, remoteAddress: '10.9.9.8' })).statusCode).toBe(200);
  });
});

describe('users and tokens API', () => {
  let app: FastifyInstance;
  let admin: string;
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    admin = await tokenFor(app, 'root', 'admin');
  });
  afterAll(async () => app.close());
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('admins create, list and change users; others may not', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'rex', role: 'resident', password: PASSWORD } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'rex', role: 'resident', disabled: false, hasPassword: true });
    expect(created.body).not.toContain('argon2');
    const badRole = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'x', role: 'god' } });
    expect(badRole.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body.role' });
    const dup = await app.inject({ method: 'POST', url: '/api/users', headers: as(admin), payload: { name: 'rex', role: 'viewer' } });
    expect(dup.statusCode).toBe(400);

    const list = await app.inject({ url: '/api/users', headers: as(admin) });
    expect(list.json().map((u: { name: string }) => u.name)).toEqual(['rex', 'root']);

    const viewer = await tokenFor(app, 'vic', 'viewer');
    expect((await app.inject({ url: '/api/users', headers: as(viewer) })).statusCode).toBe(403);

    const promoted = await app.inject({ method: 'PATCH', url: '/api/users/rex', headers: as(admin), payload: { role: 'surgeon' } });
    expect(promoted.json()).toMatchObject({ role: 'surgeon' });
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'rex', password: PASSWORD } });
    const cookie = sessionCookie(signIn);
    const disabled = await app.inject({ method: 'PATCH', url: '/api/users/rex', headers: as(admin), payload: { disabled: true } });
    expect(disabled.json()).toMatchObject({ disabled: true });
    expect((await app.inject({ url: '/api/me', cookies: { keyhole_session: cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'rex', password: PASSWORD } })).statusCode).toBe(401);

    const lastAdmin = await app.inject({ method: 'PATCH', url: '/api/users/root', headers: as(admin), payload: { role: 'viewer' } });
    expect(lastAdmin.statusCode).toBe(400);
    expect(lastAdmin.json().message).toMatch(/last active admin/);
    expect((await app.inject({ method: 'PATCH', url: '/api/users/ghost', headers: as(admin), payload: { role: 'viewer' } })).statusCode).toBe(404);
  });

  it('each user creates and revokes their own bearer tokens', async () => {
    const sara = await tokenFor(app, 'sara', 'surgeon');
    const created = await app.inject({ method: 'POST', url: '/api/tokens', headers: as(sara), payload: { label: 'slicer' } });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json() as { id: number; token: string };
    expect((await app.inject({ url: '/api/me', headers: as(token) })).json()).toMatchObject({ name: 'sara' });
    const mine = await app.inject({ url: '/api/tokens', headers: as(sara) });
    expect(mine.json().some((t: { id: number; label: string }) => t.id === id && t.label === 'slicer')).toBe(true);

    const other = await tokenFor(app, 'otto', 'surgeon');
    expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: as(other) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: as(sara) })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: as(token) })).statusCode).toBe(401);
  });
});
