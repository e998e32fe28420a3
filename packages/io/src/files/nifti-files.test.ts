import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGrids, createVolume, writeNifti } from '@keyhole/core';
import { readNiftiFile, writeNiftiFile } from './nifti-files.ts';
import { writeFileAtomic } from './atomic-write.ts';

const volume = createVolume({
  size: [5, 4, 3], spacing: [0.7, 0.9, 2.5], origin: [-10, 20, 30],
  direction: [0, 0, 1, 1, 0, 0, 0, 1, 0], data: new Int16Array(60).map((_, n) => n * 7 - 100), units: 'HU',
});

describe('NIfTI files', () => {
  it('.nii is written from its parts (no joined copy) byte for byte as writeNifti encodes it, and reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-nii-'));
    const path = join(dir, 'v.nii');
    await writeNiftiFile({ path, volumes: [volume, volume] });
    expect(new Uint8Array(readFileSync(path))).toEqual(writeNifti({ volumes: [volume, volume] }));
    const back = await readNiftiFile({ path });
    expect(back.volumes).toHaveLength(2);
    expect(compareGrids(volume, back.volumes[1]!).same).toBe(true);
    expect(Array.from(back.volumes[1]!.data)).toEqual(Array.from(volume.data));
    expect(readdirSync(dir)).toEqual(['v.nii']); // no .partial left behind
  });

  it('.nii.gz reads back the same volume', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keyhole-nii-')), 'v.nii.gz');
    await writeNiftiFile({ path, volumes: [volume] });
    expect(Array.from((await readNiftiFile({ path })).volumes[0]!.data)).toEqual(Array.from(volume.data));
  });

  it('writeFileAtomic joins parts in order, empty parts included', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keyhole-atomic-')), 'parts.bin');
    await writeFileAtomic(path, [new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3])]);
    expect(Array.from(readFileSync(path))).toEqual([1, 2, 3]);
  });
});
