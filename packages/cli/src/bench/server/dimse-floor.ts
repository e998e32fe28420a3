/**
 * The C-STORE floor (see packages/server/src/dimse/floor-scp.ts): a dcmjs-dimse SCP that stores
 * nothing (`dimse-floor`), or that only writes each data set to a new file and fdatasyncs it
 * before answering (`dimse-floor-fsync`, Orthanc's per-instance durability). storescu's time
 * against it bounds what any archive on dcmjs-dimse can reach with that durability on this machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchServer } from './bench-server.ts';
import { freePort } from './free-port.ts';

const floorScp = resolve(import.meta.dirname, '../../../../server/src/dimse/floor-scp.ts');

export async function startDimseFloor(options: { readonly fsync: boolean }): Promise<BenchServer> {
  const folder = mkdtempSync(join(tmpdir(), 'keyhole-bench-floor-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', floorScp], { env: { ...process.env, FLOOR_PORT: String(port), FLOOR_MODE: options.fsync ? 'fsync' : 'none', FLOOR_DIR: join(folder, 'files') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`the C-STORE floor SCP did not start: ${log.slice(-1000)}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-5000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the C-STORE floor SCP exited (${code}): ${log.slice(-1000)}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  };
  return { name: options.fsync ? 'dimse-floor-fsync' : 'dimse-floor', dicomwebUrl: '', headers: {}, dicomPort: port, aeTitle: 'FLOOR', pid: child.pid ?? 0, stop };
}
