import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KeyholeError } from '@keyhole/core';
import { appendAudit } from '../audit/audit-log.ts';
import { hashToken, issueToken } from '../auth/tokens.ts';
import { verifyPassword, ARGON2ID_PARAMETERS, hashPassword } from '../auth/passwords.ts';
import { SESSION_COOKIE } from '../plugins/access.ts';
import { findUser, updateUser } from './users.ts';

const signInBody = {
  type: 'object',
  required: ['name', 'password'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;

const meResponse = {
  type: 'object',
  required: ['name', 'role', 'via'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' }, via: { type: 'string' } },
} as const;

/** Cookie attributes of the browser session (OWASP Session Management Cheat Sheet, "Cookies"). */
export function sessionCookieOptions(request: FastifyRequest, maxAgeMs: number): { httpOnly: true; sameSite: 'strict'; secure: boolean; path: '/'; maxAge: number } {
  return { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/', maxAge: Math.floor(maxAgeMs / 1000) };
}

/**
 * Sign-in, sign-out and the signed-in user. Failed sign-ins are rate-limited per name and per
 * source address and audited (action `sign-in`); the password never reaches a log.
 */
export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { settings, limiter } = app.accounts;
  // A hash to verify against when the user is unknown, so that timing does not reveal which names exist.
  const decoyHash = await hashPassword(`decoy-${ARGON2ID_PARAMETERS.memoryCost}`);

  // Sliding expiry: every request made with the session cookie pushes its end 8 h ahead.
  app.addHook('onRequest', async (request, reply) => {
    const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    if (request.principal?.via !== 'session' || cookie === undefined || request.headers.authorization !== undefined) return;
    await app.keyhole.db.updateTable('token').set({ expires_at: new Date(Date.now() + settings.sessionTtlMs).toISOString() }).where('token_hash', '=', hashToken(cookie)).execute();
    void reply.setCookie(SESSION_COOKIE, cookie, sessionCookieOptions(request, settings.sessionTtlMs));
  });

  app.post('/api/session', {
    config: { access: 'public' },
    schema: { summary: 'Sign in with name and password; sets the httpOnly session cookie', tags: ['accounts'], body: signInBody, response: { 200: meResponse } },
  }, async (request, reply) => {
    const { name, password } = request.body as { name: string; password: string };
    const audit = (outcome: 'success' | 'failed' | 'denied', detail: string): Promise<void> =>
      appendAudit(app.keyhole.db, { userName: name, role: '', action: 'sign-in', outcome, resource: request.url, sourceAddress: request.ip, detail });
    const nameKey = `name:${name.toLowerCase()}`;
    const addressKey = `address:${request.ip}`;
    const wait = Math.max(limiter.retryAfterSeconds(nameKey), limiter.retryAfterSeconds(addressKey));
    if (wait > 0) {
      await audit('denied', `rate limited: too many failed sign-ins; retry after ${wait} s`);
      void reply.header('retry-after', String(wait));
      throw new KeyholeError('RATE_LIMITED', { message: `too many failed sign-ins for "${name}" or from ${request.ip}; try again in ${wait} seconds`, details: { retryAfterSeconds: wait } });
    }
    const user = await findUser(app.keyhole.db, name);
    const ok = await verifyPassword(user?.passwordHash ?? decoyHash, password);
    if (user === undefined || user.passwordHash === null || !ok || user.disabled) {
      limiter.recordFailure(nameKey);
      limiter.recordFailure(addressKey);
      const why = user === undefined ? 'unknown user' : user.disabled ? 'account disabled' : user.passwordHash === null ? 'no password set' : 'wrong password';
      await audit(user?.disabled === true ? 'denied' : 'failed', why);
      // One message for every cause: the answer must not tell which names exist.
      throw new KeyholeError('AUTH_REQUIRED', { message: 'the name or password is wrong, or the account is disabled' });
    }
    limiter.reset(nameKey);
    const token = await issueToken({ db: app.keyhole.db, userId: user.id, kind: 'session', label: 'browser', ttlMs: settings.sessionTtlMs });
    await appendAudit(app.keyhole.db, { userName: user.name, role: user.role, action: 'sign-in', outcome: 'success', resource: request.url, sourceAddress: request.ip, detail: 'session' });
    void reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(request, settings.sessionTtlMs));
    return { id: user.id, name: user.name, role: user.role, via: 'session' };
  });

  app.delete('/api/session', {
    config: { access: 'public' },
    schema: { summary: 'Sign out: ends the session and clears the cookie', tags: ['accounts'], response: { 204: { type: 'null' } } },
  }, async (request, reply: FastifyReply) => {
    const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    if (cookie !== undefined) await app.keyhole.db.deleteFrom('token').where('token_hash', '=', hashToken(cookie)).where('kind', '=', 'session').execute();
    if (request.principal !== undefined) {
      await appendAudit(app.keyhole.db, { userName: request.principal.name, role: request.principal.role, action: 'sign-out', outcome: 'success', resource: request.url, sourceAddress: request.ip });
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.put('/api/me/password', {
    config: { access: 'signed-in' },
    schema: {
      summary: 'Change your own password (the current one is required); ends all your browser sessions, so sign in again',
      tags: ['accounts'],
      body: { type: 'object', required: ['current', 'password'], additionalProperties: false, properties: { current: { type: 'string', maxLength: 4096 }, password: { type: 'string', maxLength: 4096 } } },
      response: { 204: { type: 'null' } },
    },
  }, async (request, reply) => {
    const principal = request.principal;
    if (principal === undefined) throw new KeyholeError('AUTH_REQUIRED', { message: 'not signed in' });
    const { current, password } = request.body as { current: string; password: string };
    const nameKey = `name:${principal.name.toLowerCase()}`;
    const wait = limiter.retryAfterSeconds(nameKey);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new KeyholeError('RATE_LIMITED', { message: `too many failed attempts for "${principal.name}"; try again in ${wait} seconds`, details: { retryAfterSeconds: wait } });
    }
    const user = await findUser(app.keyhole.db, principal.name);
    if (user === undefined || user.passwordHash === null || !(await verifyPassword(user.passwordHash, current))) {
      limiter.recordFailure(nameKey);
      await appendAudit(app.keyhole.db, { userName: principal.name, role: principal.role, action: 'password.change', outcome: 'failed', resource: request.url, sourceAddress: request.ip, detail: 'current password wrong' });
      throw new KeyholeError('FORBIDDEN', { path: 'current', message: 'the current password is wrong' });
    }
    await updateUser({ db: app.keyhole.db, name: principal.name, password, policy: { minLength: settings.passwordMinLength } });
    await appendAudit(app.keyhole.db, { userName: principal.name, role: principal.role, action: 'password.change', outcome: 'success', resource: request.url, sourceAddress: request.ip });
    return reply.status(204).send();
  });

  app.get('/api/me', {
    config: { access: 'signed-in' },
    schema: { summary: 'The signed-in user', tags: ['accounts'], response: { 200: meResponse } },
  }, async (request) => {
    const principal = request.principal;
    if (principal === undefined) throw new KeyholeError('AUTH_REQUIRED', { message: 'not signed in' });
    return { id: principal.userId, name: principal.name, role: principal.role, via: principal.via };
  });
}
