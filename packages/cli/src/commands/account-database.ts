import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KeyholeError } from '@keyhole/core';
import { openDatabase, type ArchiveDatabase } from '@keyhole/server';

export interface OpenAccountDatabaseOptions {
  /** The server's data folder (holds keyhole.sqlite). */
  readonly dataDir: string;
  /** Create the folder and database when absent (`user add` on a fresh install). */
  readonly create: boolean;
}

/**
 * The archive database the server uses, opened directly (no server needed): the embedded SQLite
 * file under the data folder, or PostgreSQL when DATABASE_URL is set, exactly as `keyhole serve`.
 */
export async function openAccountDatabase(options: OpenAccountDatabaseOptions): Promise<ArchiveDatabase> {
  const databaseUrl = process.env['DATABASE_URL'];
  const usesSqlite = databaseUrl === undefined || databaseUrl === '';
  if (usesSqlite && !options.create && !existsSync(join(options.dataDir, 'keyhole.sqlite'))) {
    throw new KeyholeError('FILE_NOT_FOUND', { file: options.dataDir, message: `${options.dataDir} holds no Keyhole archive (keyhole.sqlite); check --data` });
  }
  return openDatabase({ dataDir: options.dataDir, ...(usesSqlite ? {} : { databaseUrl }) });
}
