import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { serverOptions, type ServerOptions } from './config.ts';
import { issueToken } from './auth/tokens.ts';
import { nowIso } from './db/connect.ts';
import type { Role } from './auth/roles.ts';

/**
 * A server on a fresh data folder for one test file. With KEYHOLE_TEST_DATABASE_URL set (CI starts
 * Debian's PostgreSQL), it runs on PostgreSQL in a fresh schema-less database instead of SQLite,
 * so every suite passes on both dialects.
 */
export async function testServer(overrides: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-server-'));
  const databaseUrl = process.env['KEYHOLE_TEST_DATABASE_URL'];
  return buildApp({ options: serverOptions({ dataDir, ...(databaseUrl !== undefined ? { databaseUrl } : {}), ...overrides }) });
}

/** Creates a user with the role and returns a bearer token for it. */
export async function tokenFor(app: FastifyInstance, name: string, role: Role): Promise<string> {
  const existing = await app.keyhole.db.selectFrom('app_user').select('id').where('name', '=', name).executeTakeFirst();
  const id = existing?.id ?? (await app.keyhole.db.insertInto('app_user').values({ name, role, password_hash: null, created_at: nowIso() }).returning('id').executeTakeFirstOrThrow()).id;
  return issueToken({ db: app.keyhole.db, userId: id, kind: 'bearer', label: 'test' });
}
