import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
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
  const databaseUrl = await freshTestDatabase();
  return buildApp({ options: serverOptions({ dataDir, ...(databaseUrl !== undefined ? { databaseUrl } : {}), ...overrides }) });
}

/**
 * With KEYHOLE_TEST_DATABASE_URL set (scripts/test-postgres.mjs starts a throwaway PostgreSQL),
 * a new empty database on that server for each test server; otherwise undefined (SQLite).
 */
export async function freshTestDatabase(): Promise<string | undefined> {
  const adminUrl = process.env['KEYHOLE_TEST_DATABASE_URL'];
  if (adminUrl === undefined || adminUrl === '') return undefined;
  const name = `keyhole_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a user with the role and returns a bearer token for it. */
export async function tokenFor(app: FastifyInstance, name: string, role: Role): Promise<string> {
  const existing = await app.keyhole.db.selectFrom('app_user').select('id').where('name', '=', name).executeTakeFirst();
  const id = existing?.id ?? (await app.keyhole.db.insertInto('app_user').values({ name, role, password_hash: null, created_at: nowIso() }).returning('id').executeTakeFirstOrThrow()).id;
  return issueToken({ db: app.keyhole.db, userId: id, kind: 'bearer', label: 'test' });
}
