import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../stats.ts';

/**
 * Median milliseconds to create, write and fsync a 512 KB file in the system temp folder (where
 * both servers keep their data). Both archives sync every instance, so on a shared disk this
 * latency, more than CPU, sets the C-STORE rate: it is printed with the results.
 */
export async function fsyncLatencyMs(samples = 20): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'keyhole-bench-fsync-'));
  const bytes = new Uint8Array(512 * 1024).fill(7);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      const handle = await open(join(dir, `f${i}`), 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      times.push(performance.now() - started);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return median(times);
}
