import { spawn } from 'node:child_process';
import type { BenchServer } from './bench-server.ts';

/**
 * DCMTK `storescu`: all files over one association (storescu's default when every SOP class and
 * transfer syntax fits the proposed presentation contexts), each C-STORE answered before the next
 * is sent (storescu has no asynchronous operations window). TCP_NODELAY=1 (DCMTK's switch; its
 * default in DCMTK 3.6.7 too) keeps Nagle's algorithm off on storescu's side for every server.
 * Returns wall seconds of the process.
 */
export function storescuAll(server: BenchServer, callingAe: string, files: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('storescu', ['-aet', callingAe, '-aec', server.aeTitle, '127.0.0.1', String(server.dicomPort), ...files], { env: { ...process.env, TCP_NODELAY: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-5000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 || /\bE: /.test(stderr)) reject(new Error(`storescu to ${server.name} exited ${code}: ${stderr.slice(-1500)}`));
      else resolve(seconds);
    });
  });
}
