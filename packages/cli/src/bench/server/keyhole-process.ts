import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitForHttp } from './free-port.ts';
import type { BenchServer } from './bench-server.ts';

const keyholeBin = resolve(import.meta.dirname, '../../../bin/keyhole.js');

/** The calling AE title the benchmark's storescu uses; configured as an allowed caller. */
export const BENCH_CALLING_AE = 'BENCHSCU';

export interface StartBenchKeyholeOptions {
  /** postgres://… for the PostgreSQL back end; undefined = embedded SQLite in the data folder. */
  readonly databaseUrl?: string;
}

/**
 * A fresh `keyhole serve` in its own process (as users run it: bin/keyhole.js, the cached bundle),
 * on a new data folder in the system temp folder, without the synthetic demo case (--no-demo:
 * the archive holds only what the benchmark sends). Set-up goes through the CLI and the admin API as
 * a user would do it: `keyhole user add` (admin), `keyhole token create`, then
 * `POST /api/dicom-nodes` so that the benchmark's storescu may call.
 */
export async function startBenchKeyhole(options: StartBenchKeyholeOptions = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-bench-keyhole-'));
  const env = { ...process.env, ...(options.databaseUrl !== undefined ? { DATABASE_URL: options.databaseUrl } : {}) };
  if (options.databaseUrl === undefined) delete env['DATABASE_URL'];
  const cli = (args: string[], input?: string): string => execFileSync(process.execPath, [keyholeBin, ...args], { env, encoding: 'utf8', ...(input !== undefined ? { input } : {}), stdio: ['pipe', 'pipe', 'pipe'] });
  cli(['user', 'add', 'bench', '--role', 'admin', '--password-stdin', '--data', dataDir], 'bench-password-not-secret\n');
  const token = cli(['token', 'create', 'bench', '--data', dataDir]).trim().split('\n').pop() ?? '';
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const child = spawn(process.execPath, [keyholeBin, 'serve', '--data', dataDir, '--port', String(httpPort), '--dicom-port', String(dicomPort), '--ae-title', 'KEYHOLE', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const collect = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${httpPort}`;
  const headers = { authorization: `Bearer ${token}` };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs: 60_000, exited: () => child.exitCode !== null, log: () => log });
    const added = await fetch(`${url}/api/dicom-nodes`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench-storescu', kind: 'local-caller', aeTitle: BENCH_CALLING_AE, host: '127.0.0.1' }) });
    if (added.status !== 201) throw new Error(`POST /api/dicom-nodes: HTTP ${added.status} ${await added.text()}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: 'keyhole', dicomwebUrl: `${url}/dicom-web`, headers, dicomPort, aeTitle: 'KEYHOLE', pid: child.pid ?? 0, stop };
}
