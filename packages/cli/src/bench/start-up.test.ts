/**
 * The CLI's fast start-up (bin/precompiled.js, used by bin/keyhole.js and the benchmark): sources
 * bundled once by esbuild into node_modules/.cache/keyhole and rebuilt when a source changes.
 * Here beside the benchmark because Vitest only collects tests under packages/<pkg>/src.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tool } from '../test-support.ts';

interface PrecompiledApi {
  ensureBundle(entry: string): Promise<string>;
}

const binDir = resolve(import.meta.dirname, '../../bin');
const precompiledUrl = pathToFileURL(join(binDir, 'precompiled.js')).href;
const load = async (): Promise<PrecompiledApi> => (await import(precompiledUrl)) as PrecompiledApi;

describe('precompiled start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhole-start-up-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles an entry, keeps import.meta.dirname pointing at the source, reuses the bundle, rebuilds when a source changes', async () => {
    const { ensureBundle } = await load();
    const entry = join(dir, 'entry.ts');
    const helper = join(dir, 'helper.ts');
    writeFileSync(entry, "import { value } from './helper.ts';\nexport const answer: number = value;\nexport const where: string = import.meta.dirname;\n");
    writeFileSync(helper, 'export const value: number = 1;\n');
    const first = await ensureBundle(entry);
    // The volume loader's worker thread is bundled beside every entry (@keyhole/io loadVolumeInThreads).
    expect(existsSync(join(dirname(first), 'load-slices-worker.js'))).toBe(true);
    const a = (await import(pathToFileURL(first).href)) as { answer: number; where: string };
    expect(a.answer).toBe(1);
    expect(a.where).toBe(dir);
    expect(await ensureBundle(entry)).toBe(first);

    writeFileSync(helper, 'export const value: number = 2;\n');
    // Same size, so make sure the modification time moves even on coarse file systems.
    const later = new Date(Date.now() + 5000);
    utimesSync(helper, later, later);
    const second = await ensureBundle(entry);
    expect(second).not.toBe(first);
    const b = (await import(pathToFileURL(second).href)) as { answer: number };
    expect(b.answer).toBe(2);
  });

  it('keyhole runs the same through the bundle and through tsx (KEYHOLE_TSX=1)', () => {
    const run = (env: NodeJS.ProcessEnv): string => {
      const result = spawnSync(process.execPath, [join(binDir, 'keyhole.js'), '--version'], { env: { ...process.env, ...env }, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return result.stdout.trim();
    };
    expect(run({})).toBe('0.1.0');
    expect(run({ KEYHOLE_TSX: '1' })).toBe('0.1.0');
  });

  const jpegLs = tool('dcmcjpls');
  it.skipIf(!jpegLs)('keyhole convert through the bundle decodes a compressed series with its bundled worker thread (no fallback warning)', { timeout: 180_000 }, async () => {
    const { generatePhantomStudy } = await import('@keyhole/core');
    const study = generatePhantomStudy({ seed: 9, modality: 'ct', levels: { from: 'L4', to: 'L5' }, grid: { size: [192, 176, 40], spacing: [1.5, 1.5, 3] } });
    const raw = join(dir, 'raw');
    const series = join(dir, 'series');
    mkdirSync(raw);
    mkdirSync(series);
    study.series[0]!.files.forEach((file, i) => {
      writeFileSync(join(raw, `${i}.dcm`), file.bytes);
      // JPEG-LS: workers are used for compressed series (decoding dominates), not for uncompressed ones.
      const compressed = spawnSync('dcmcjpls', [join(raw, `${i}.dcm`), join(series, `${i}.dcm`)], { encoding: 'utf8' });
      expect(compressed.status, compressed.stderr).toBe(0);
    });
    const result = spawnSync(process.execPath, [join(binDir, 'keyhole.js'), 'convert', series, '-o', join(dir, 'out.nii')], { env: { ...process.env, KEYHOLE_THREADS: '2' }, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/worker thread failed/);
    expect(existsSync(join(dir, 'out.nii'))).toBe(true);
  });
});
