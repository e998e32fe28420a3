import type { FastifyInstance } from 'fastify';
import { KeyholeError } from '@keyhole/core';
import { appendAudit } from '../audit/audit-log.ts';
import { ROLES } from '../auth/roles.ts';
import { createUser, listUsers, updateUser, USER_NAME_PATTERN } from './users.ts';
import { createBearerToken, listTokens, revokeToken } from './user-tokens.ts';

const userSchema = {
  type: 'object',
  required: ['id', 'name', 'role', 'disabled', 'hasPassword', 'createdAt'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' }, disabled: { type: 'boolean' }, hasPassword: { type: 'boolean' }, createdAt: { type: 'string' } },
} as const;

const tokenSchema = {
  type: 'object',
  required: ['id', 'userName', 'label', 'createdAt'],
  properties: { id: { type: 'integer' }, userName: { type: 'string' }, kind: { type: 'string' }, label: { type: 'string' }, expiresAt: { type: ['string', 'null'] }, createdAt: { type: 'string' } },
} as const;

/** Accounts for admins (`/api/users`) and bearer tokens (`/api/tokens`, each user for themself). */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const policy = { minLength: app.accounts.settings.passwordMinLength };
  const auditAdmin = (request: { principal: { name: string; role: string } | undefined; url: string; ip: string }, action: string, detail: string): Promise<void> =>
    appendAudit(app.keyhole.db, { userName: request.principal?.name ?? 'anonymous', role: request.principal?.role ?? '', action, outcome: 'success', resource: request.url, sourceAddress: request.ip, detail });

  app.get('/api/users', {
    config: { access: 'admin' },
    schema: { summary: 'List user accounts', tags: ['accounts'], response: { 200: { type: 'array', items: userSchema } } },
  }, async () => listUsers(app.keyhole.db));

  app.post('/api/users', {
    config: { access: 'admin' },
    schema: {
      summary: 'Create a user account',
      tags: ['accounts'],
      body: {
        type: 'object',
        required: ['name', 'role'],
        additionalProperties: false,
        properties: { name: { type: 'string', pattern: USER_NAME_PATTERN }, role: { type: 'string', enum: [...ROLES] }, password: { type: 'string' } },
      },
      response: { 201: userSchema },
    },
  }, async (request, reply) => {
    const body = request.body as { name: string; role: string; password?: string };
    const user = await createUser({ db: app.keyhole.db, name: body.name, role: body.role, ...(body.password !== undefined ? { password: body.password } : {}), policy });
    await auditAdmin(request, 'user.create', `${user.name} (${user.role})`);
    return reply.status(201).send(user);
  });

  app.patch('/api/users/:name', {
    config: { access: 'admin' },
    schema: {
      summary: 'Change a user\'s role, disable or enable the account, or set a new password',
      tags: ['accounts'],
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { role: { type: 'string', enum: [...ROLES] }, disabled: { type: 'boolean' }, password: { type: 'string' } },
      },
      response: { 200: userSchema },
    },
  }, async (request) => {
    const { name } = request.params as { name: string };
    const body = request.body as { role?: string; disabled?: boolean; password?: string };
    const user = await updateUser({ db: app.keyhole.db, name, ...body, policy });
    const changed = Object.keys(body).map((key) => (key === 'password' ? 'password' : `${key}=${String(body[key as keyof typeof body])}`));
    await auditAdmin(request, 'user.update', `${name}: ${changed.join(', ')}`);
    return user;
  });

  app.get('/api/tokens', {
    config: { access: 'signed-in' },
    schema: { summary: 'Your bearer tokens (all tokens for admins with ?all=true)', tags: ['accounts'], querystring: { type: 'object', properties: { all: { type: 'boolean' } } }, response: { 200: { type: 'array', items: tokenSchema } } },
  }, async (request) => {
    const principal = request.principal!;
    const all = (request.query as { all?: boolean }).all === true;
    if (all && principal.role !== 'admin') throw new KeyholeError('FORBIDDEN', { path: 'all', message: 'only admins may list every token' });
    return listTokens(app.keyhole.db, all ? undefined : principal.userId);
  });

  app.post('/api/tokens', {
    config: { access: 'signed-in' },
    schema: {
      summary: 'Create a bearer token for yourself (shown once)',
      tags: ['accounts'],
      body: { type: 'object', additionalProperties: false, properties: { label: { type: 'string', maxLength: 200 }, expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 } } },
      response: { 201: { type: 'object', required: ['id', 'token'], properties: { id: { type: 'integer' }, token: { type: 'string' } } } },
    },
  }, async (request, reply) => {
    const principal = request.principal!;
    const body = (request.body ?? {}) as { label?: string; expiresInDays?: number };
    const created = await createBearerToken({ db: app.keyhole.db, userId: principal.userId, ...(body.label !== undefined ? { label: body.label } : {}), ...(body.expiresInDays !== undefined ? { ttlMs: body.expiresInDays * 86_400_000 } : {}) });
    await auditAdmin(request, 'token.create', `token ${created.id} for ${principal.name}${body.label !== undefined ? ` (${body.label})` : ''}`);
    return reply.status(201).send(created);
  });

  app.delete('/api/tokens/:id', {
    config: { access: 'signed-in' },
    schema: { summary: 'Revoke a bearer token (yours, or any for admins)', tags: ['accounts'], params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }, response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    await revokeToken(app.keyhole.db, id, request.principal!);
    await auditAdmin(request, 'token.revoke', `token ${id}`);
    return reply.status(204).send();
  });
}
