import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDicom, generatePhantomStudy, loadVolume, type KeyholeError, type VolumeDescriptor } from '@keyhole/core';
import { createNodeCodecRegistry } from '../codecs/index.ts';
import { run, tempFolder, tools } from '../codecs/test-support/external-tools.ts';
import { filePathOf } from '../dicom-input/file-backed.ts';
import { readFileStart } from '../dicom-input/read-file-start.ts';
import { readDicomInput } from '../dicom-input/read-dicom-input.ts';
import { pixelsFrom, syntheticDicomBytes } from '../../../core/src/dicom/series/test-support/synthetic-dicom.ts';
import { loadVolumeInThreads } from './load-volume-in-threads.ts';

// 192×160 slices: 61 KB of pixels per file, past the header-first threshold once the header is added.
const grid = { size: [192, 176, 40] as [number, number, number], spacing: [1.5, 1.5, 3] as [number, number, number] };
const folder = tempFolder('threads');
afterAll(folder.remove);

async function writeStudy(name: string, modality: 'ct' | 'mr-t2'): Promise<{ dir: string; expected: Int16Array | Uint16Array | Float32Array; descriptor: () => Promise<VolumeDescriptor> }> {
  const study = generatePhantomStudy({ seed: 5, modality, levels: { from: 'L4', to: 'L5' }, grid });
  const series = study.series[0]!;
  const dir = join(folder.path, name);
  rmSync(dir, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  series.files.forEach((file, i) => writeFileSync(join(dir, `${String(i).padStart(4, '0')}.dcm`), file.bytes));
  return {
    dir,
    expected: series.volume.data as Int16Array,
    descriptor: async () => {
      const input = await readDicomInput({ paths: [dir] });
      expect(input.problems).toEqual([]);
      return describeDicom({ instances: input.instances }).patients[0]!.studies[0]!.series[0]!.volumeSets[0]!.volumes[0]!;
    },
  };
}

describe('loadVolumeInThreads: one volume, filled by several threads', () => {
  it('reads large uncompressed files header first and fills the same volume with two threads as loadVolume with one', { timeout: 120_000 }, async () => {
    const codecs = await createNodeCodecRegistry();
    for (const modality of ['ct', 'mr-t2'] as const) {
      const study = await writeStudy(modality, modality);
      expect((await readFileStart(join(study.dir, '0000.dcm'))).kind).toBe('deferred');
      const descriptor = await study.descriptor();
      expect(descriptor.geometry.slices.every((slice) => filePathOf(slice.instance) !== undefined)).toBe(true);
      const progress: number[] = [];
      const threaded = await loadVolumeInThreads({ volume: descriptor, codecs, threads: 2, minSlicesForThreads: 8, onProgress: (p) => progress.push(p.done) });
      const single = await loadVolume({ volume: descriptor, codecs });
      expect(threaded.size).toEqual(single.size);
      expect(threaded.origin).toEqual(single.origin);
      expect(threaded.direction).toEqual(single.direction);
      expect(threaded.data.constructor).toBe(single.data.constructor);
      expect(Array.from(threaded.data)).toEqual(Array.from(single.data));
      // And both equal the phantom's own voxels (MR is written as unsigned words: compare values).
      expect(Array.from(threaded.data).slice(0, 5000)).toEqual(Array.from(study.expected).slice(0, 5000));
      expect(progress.at(-1)).toBe(40);
      // The same with every slice left to the worker thread (the calling thread only waits).
      const byWorker = await loadVolumeInThreads({ volume: descriptor, codecs, threads: 2, minSlicesForThreads: 8, callingThreadWorks: false });
      expect(Array.from(byWorker.data)).toEqual(Array.from(single.data));
    }
  });

  it('switches to float32 as loadVolume does when unsigned 16-bit values leave int16 (words rescaled in place are read again)', { timeout: 60_000 }, async () => {
    const dir = join(folder.path, 'mr-high');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    for (let k = 0; k < 40; k++) {
      // 200×200 unsigned words up to 60,000 (beyond int16) from slice 20 on.
      const pixels = pixelsFrom(200, 200, (i, j) => (k >= 20 ? 60_000 : 3_000) - i - j, false);
      writeFileSync(join(dir, `${k}.dcm`), syntheticDicomBytes({ position: [0, 0, 2 * k], orientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [1, 1], rows: 200, columns: 200, pixels, instanceNumber: k + 1, modality: 'MR' }));
    }
    const input = await readDicomInput({ paths: [dir] });
    const descriptor = describeDicom({ instances: input.instances }).patients[0]!.studies[0]!.series[0]!.volumeSets[0]!.volumes[0]!;
    const codecs = await createNodeCodecRegistry();
    const threaded = await loadVolumeInThreads({ volume: descriptor, codecs, threads: 2, minSlicesForThreads: 8 });
    const single = await loadVolume({ volume: descriptor, codecs });
    expect(threaded.data).toBeInstanceOf(Float32Array);
    expect(Array.from(threaded.data)).toEqual(Array.from(single.data));
    expect(threaded.data[200 * 200 * 39]).toBe(60_000);
  });

  const jpegLs = tools(['dcmcjpls']);
  it.skipIf(!jpegLs.ok)(`decodes a compressed (JPEG-LS) series in both threads to the same volume ${jpegLs.note}`, { timeout: 120_000 }, async () => {
    const study = await writeStudy('jpeg-ls-source', 'ct');
    const dir = join(folder.path, 'jpeg-ls');
    const { mkdirSync, readdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(study.dir)) run('dcmcjpls', [join(study.dir, name), join(dir, name)]);
    const input = await readDicomInput({ paths: [dir] });
    const descriptor = describeDicom({ instances: input.instances }).patients[0]!.studies[0]!.series[0]!.volumeSets[0]!.volumes[0]!;
    const codecs = await createNodeCodecRegistry();
    const warnings: string[] = [];
    for (const callingThreadWorks of [true, false]) {
      const volume = await loadVolumeInThreads({ volume: descriptor, codecs, threads: 2, minSlicesForThreads: 8, callingThreadWorks, onWarning: (message) => warnings.push(message) });
      expect(volume.data).toBeInstanceOf(Int16Array);
      expect(Array.from(volume.data)).toEqual(Array.from(study.expected));
    }
    // The worker did its part: no fallback to the calling thread.
    expect(warnings).toEqual([]);
    // A file gone before a worker re-opens it: the worker's error comes back naming the file.
    rmSync(join(dir, '0017.dcm'));
    const missing = await loadVolumeInThreads({ volume: descriptor, codecs, threads: 2, minSlicesForThreads: 8, callingThreadWorks: false }).catch((error: KeyholeError) => error);
    expect(missing).toMatchObject({ code: 'FILE_NOT_FOUND', file: join(dir, '0017.dcm') });
  });

  it('loads archive entries in the calling thread (they are not files a worker can open)', { timeout: 60_000 }, async () => {
    const study = await writeStudy('zip-source', 'ct');
    const { readdirSync, readFileSync } = await import('node:fs');
    const entries = Object.fromEntries(readdirSync(study.dir).map((name) => [name, readFileSync(join(study.dir, name))]));
    const zipPath = join(folder.path, 'series.zip');
    writeFileSync(zipPath, zipSync(entries, { level: 1 }));
    const input = await readDicomInput({ paths: [zipPath] });
    const descriptor = describeDicom({ instances: input.instances }).patients[0]!.studies[0]!.series[0]!.volumeSets[0]!.volumes[0]!;
    expect(filePathOf(descriptor.geometry.slices[0]!.instance)).toBeUndefined();
    const volume = await loadVolumeInThreads({ volume: descriptor, codecs: await createNodeCodecRegistry(), threads: 2, minSlicesForThreads: 8 });
    expect(Array.from(volume.data)).toEqual(Array.from(study.expected));
  });

  it('names the file when one disappears or changes after its header was read, whichever thread meets it', { timeout: 60_000 }, async () => {
    const codecs = await createNodeCodecRegistry();
    const gone = await writeStudy('gone', 'ct');
    const goneDescriptor = await gone.descriptor();
    rmSync(join(gone.dir, '0031.dcm'));
    for (const callingThreadWorks of [true, false]) {
      const missing = await loadVolumeInThreads({ volume: goneDescriptor, codecs, threads: 2, minSlicesForThreads: 8, callingThreadWorks }).catch((error: KeyholeError) => error);
      expect(missing).toMatchObject({ code: 'FILE_NOT_FOUND', file: join(gone.dir, '0031.dcm') });
    }

    const changed = await writeStudy('changed', 'ct');
    const changedDescriptor = await changed.descriptor();
    utimesSync(join(changed.dir, '0007.dcm'), new Date(), new Date(Date.now() + 60_000));
    const refused = await loadVolumeInThreads({ volume: changedDescriptor, codecs, threads: 2, minSlicesForThreads: 8 }).catch((error: KeyholeError) => error);
    expect(refused).toMatchObject({ code: 'FILE_UNREADABLE', file: join(changed.dir, '0007.dcm') });
    expect((refused as KeyholeError).message).toMatch(/changed after its header was read/);
  });
});
