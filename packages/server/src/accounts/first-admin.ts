import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { KeyholeError } from '@keyhole/core';
import { appendAudit } from '../audit/audit-log.ts';
import { hashToken, issueToken, newTokenSecret } from '../auth/tokens.ts';
import { SESSION_COOKIE } from '../plugins/access.ts';
import { countActiveAdmins, countUsers, createUser, USER_NAME_PATTERN } from './users.ts';
import { sessionCookieOptions } from './session-routes.ts';

export interface FirstAdminLinkOptions {
  /** Where the server is reached, e.g. `http://127.0.0.1:8080`; default from the server options (or the bound address). */
  readonly baseUrl?: string;
}

/**
 * First start with an empty archive (no user at all): there is no default password. Instead, as
 * Jupyter does, the server makes a one-time token and prints a link to `/setup?token=…`; whoever
 * can read the server's console creates the first admin there. The token lives in this process only
 * (hashed) and is burnt when used; a restart prints a new one. Returns undefined once a user exists.
 */
export async function firstAdminLink(app: FastifyInstance, options: FirstAdminLinkOptions = {}): Promise<string | undefined> {
  if ((await countUsers(app.keyhole.db)) > 0) {
    app.accounts.setupTokenHash = undefined;
    return undefined;
  }
  const token = newTokenSecret();
  app.accounts.setupTokenHash = hashToken(token);
  return `${options.baseUrl ?? defaultBaseUrl(app)}/setup?token=${token}`;
}

function defaultBaseUrl(app: FastifyInstance): string {
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : app.keyhole.options.port;
  const host = app.keyhole.options.host.includes(':') ? `[${app.keyhole.options.host}]` : app.keyhole.options.host;
  return `http://${host}:${port}`;
}

function tokenMatches(expectedHash: string | undefined, token: string): boolean {
  if (expectedHash === undefined) return false;
  const a = Buffer.from(expectedHash, 'hex');
  const b = Buffer.from(hashToken(token), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const SETUP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keyhole — create the first administrator</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto">
<h1>Create the first administrator</h1>
<p>This link works once. Choose a name and a password of at least 12 characters.</p>
<form id="f"><p><label>Name <input name="name" required autocomplete="username"></label></p>
<p><label>Password <input name="password" type="password" required minlength="12" autocomplete="new-password"></label></p>
<p><button>Create</button></p></form><p id="m" role="status"></p>
<script>
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(e.target);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const r = await fetch('/api/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, name: data.get('name'), password: data.get('password') }) });
  const body = await r.json();
  document.getElementById('m').textContent = r.ok ? 'Done: you are signed in as ' + body.name + '.' : body.message;
  if (r.ok) location.href = '/';
});
</script></body></html>`;

/** `GET /setup` (the page the link opens) and `POST /api/setup` (creates the admin, burns the token, signs in). */
export async function firstAdminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/setup', {
    config: { access: 'public' },
    schema: { summary: 'Page for creating the first administrator (one-time link printed at first start)', tags: ['accounts'], querystring: { type: 'object', properties: { token: { type: 'string' } } } },
  }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(SETUP_PAGE));

  app.post('/api/setup', {
    config: { access: 'public' },
    schema: {
      summary: 'Create the first administrator with the one-time setup token',
      tags: ['accounts'],
      body: {
        type: 'object',
        required: ['token', 'name', 'password'],
        additionalProperties: false,
        properties: { token: { type: 'string', minLength: 1 }, name: { type: 'string', pattern: USER_NAME_PATTERN }, password: { type: 'string' } },
      },
    },
  }, async (request, reply) => {
    const body = request.body as { token: string; name: string; password: string };
    const refuse = async (message: string): Promise<never> => {
      await appendAudit(app.keyhole.db, { userName: body.name, role: '', action: 'setup.first-admin', outcome: 'denied', resource: request.url, sourceAddress: request.ip, detail: message });
      throw new KeyholeError('FORBIDDEN', { path: 'token', message });
    };
    if ((await countActiveAdmins(app.keyhole.db)) > 0 || (await countUsers(app.keyhole.db)) > 0) {
      app.accounts.setupTokenHash = undefined;
      return refuse('the archive already has users; ask an admin for an account');
    }
    if (!tokenMatches(app.accounts.setupTokenHash, body.token)) return refuse('the setup token is wrong or was already used; restart the server for a new link');
    // Burn first: a second request racing this one finds no token.
    app.accounts.setupTokenHash = undefined;
    let user;
    try {
      user = await createUser({ db: app.keyhole.db, name: body.name, role: 'admin', password: body.password, policy: { minLength: app.accounts.settings.passwordMinLength } });
    } catch (error) {
      // A refused password must not cost the one link: restore it.
      app.accounts.setupTokenHash = hashToken(body.token);
      throw error;
    }
    await appendAudit(app.keyhole.db, { userName: user.name, role: user.role, action: 'setup.first-admin', outcome: 'success', resource: request.url, sourceAddress: request.ip, detail: 'first admin created' });
    const session = await issueToken({ db: app.keyhole.db, userId: user.id, kind: 'session', label: 'browser', ttlMs: app.accounts.settings.sessionTtlMs });
    void reply.setCookie(SESSION_COOKIE, session, sessionCookieOptions(request, app.accounts.settings.sessionTtlMs));
    return reply.status(201).send({ id: user.id, name: user.name, role: user.role });
  });
}
