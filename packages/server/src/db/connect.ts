import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { KeyholeError } from '@keyhole/core';
import { migrationProvider } from './migrations.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface ArchiveDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  readonly dataDir: string;
  /** `postgres://…`; undefined = embedded SQLite at `<dataDir>/keyhole.sqlite`. */
  readonly databaseUrl?: string;
}

/**
 * Opens the archive database and brings its schema up to date. SQLite runs in WAL mode with
 * synchronous=NORMAL (durable across process crashes; a power cut may lose the last commits, never
 * corrupt) and foreign keys on. Both dialects run the same migrations.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<ArchiveDatabase> {
  let db: Kysely<Database>;
  let dialect: DialectName;
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new KeyholeError('INVALID_ARGUMENT', { path: 'DATABASE_URL', message: 'must start with postgres:// (or be unset for the embedded SQLite database)' });
    }
    dialect = 'postgres';
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: options.databaseUrl, max: 10 }) }) });
  } else {
    dialect = 'sqlite';
    mkdirSync(options.dataDir, { recursive: true });
    const file = new Sqlite(join(options.dataDir, 'keyhole.sqlite'));
    file.pragma('journal_mode = WAL');
    file.pragma('synchronous = NORMAL');
    file.pragma('foreign_keys = ON');
    file.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  }
  const { error } = await new Migrator({ db, provider: migrationProvider(dialect) }).migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw new KeyholeError('INTERNAL', { message: `database migration failed: ${error instanceof Error ? error.message : String(error)}`, cause: error });
  }
  return { db, dialect, close: () => db.destroy() };
}

export const nowIso = (): string => new Date().toISOString();
