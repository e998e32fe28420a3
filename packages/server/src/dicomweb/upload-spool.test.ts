import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { spoolPart } from './upload-spool.ts';

function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** A stream that delivers `data` in chunks of `chunk` bytes, as a socket would. */
function chunked(data: Buffer, chunk: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) parts.push(data.subarray(i, i + chunk));
  return Readable.from(parts);
}

describe('spoolPart', () => {
  it('keeps a part in memory while the budget lasts, and gives the memory back on dispose', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyhole-spool-')), 'req');
    const budget = { remainingBytes: 64 * 1024 };
    const data = bytes(10_000, 1);
    const part = await spoolPart(chunked(data, 4096), { dir, name: '0.part', budget });
    expect(part.where).toBe('memory');
    expect(part.size).toBe(10_000);
    expect([...part.head]).toEqual([...data.subarray(0, 4)]);
    expect(Buffer.from(await part.read()).equals(data)).toBe(true);
    expect(budget.remainingBytes).toBe(64 * 1024 - 10_000);
    expect(existsSync(dir)).toBe(false);
    await part.dispose();
    expect(budget.remainingBytes).toBe(64 * 1024);
  });

  it('sends a part past the budget to a spool file, the chunks it had kept included, and deletes it on dispose', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyhole-spool-')), 'req');
    const budget = { remainingBytes: 64 * 1024 };
    const small = await spoolPart(chunked(bytes(40_000, 2), 8192), { dir, name: '0.part', budget });
    // 1 MiB arrives in 16 KiB chunks: the first ones fit in what is left of the budget, then it spills.
    const data = bytes(1024 * 1024, 3);
    const large = await spoolPart(chunked(data, 16 * 1024), { dir, name: '1.part', budget });
    expect([small.where, large.where]).toEqual(['memory', 'disk']);
    expect(budget.remainingBytes).toBe(64 * 1024 - 40_000);
    expect(statSync(join(dir, '1.part')).size).toBe(data.length);
    expect(Buffer.from(await large.read()).equals(data)).toBe(true);
    await large.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes its spool file when the part breaks off mid-stream', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyhole-spool-')), 'req');
    async function* broken(): AsyncGenerator<Buffer> {
      yield bytes(100_000, 4);
      throw new Error('connection reset');
    }
    await expect(spoolPart(Readable.from(broken()), { dir, name: '0.part', budget: { remainingBytes: 1000 } })).rejects.toThrow('connection reset');
    expect(readdirSync(dir)).toEqual([]);
  });
});
