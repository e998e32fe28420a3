import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/** A throwaway PostgreSQL cluster (Debian's binaries) for the benchmark; one database per server under test. */
export interface BenchPostgres {
  readonly version: string;
  readonly host: string;
  readonly port: number;
  /** User with trust authentication on 127.0.0.1. */
  readonly user: string;
  /** Creates an empty database and returns its postgres:// URL. */
  createDatabase(name: string): string;
  stop(): void;
}

const root = '/usr/lib/postgresql';

export function postgresAvailable(): boolean {
  const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
  return version !== undefined && existsSync(join(root, version, 'bin', 'initdb'));
}

/**
 * Starts the cluster as scripts/test-postgres.mjs does (as the postgres user when we are root,
 * because initdb refuses root), with one difference: durability stays at PostgreSQL's defaults
 * (fsync=on, synchronous_commit=on), because the benchmark compares committed, durable ingest.
 */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const version = readdirSync(root).sort().pop();
  if (version === undefined) throw new Error('PostgreSQL is not installed (Debian: postgresql)');
  const bin = join(root, version, 'bin');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] as const : [command, args] as const;
    execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const dir = mkdtempSync(join(tmpdir(), 'keyhole-bench-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const user = 'bench';
  run(join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale']);
  run(join(bin, 'pg_ctl'), ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, '-l', join(dir, 'log'), '-w', 'start']);
  const psql = join(bin, 'psql');
  return {
    version,
    host: '127.0.0.1',
    port,
    user,
    createDatabase: (name) => {
      if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      execFileSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-q', '-c', `CREATE DATABASE ${name}`], { stdio: ['ignore', 'ignore', 'inherit'] });
      return `postgres://${user}@127.0.0.1:${port}/${name}`;
    },
    stop: () => {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
