import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVolume, readNifti, writeNifti, type SpineModel } from '@keyhole/core';
import { keyhole, sharedData } from '../test-support.ts';

const realCt = resolve(sharedData, 'ct-abdomen-pelvis-3mm/ct.nii.gz');

describe('keyhole segment', () => {
  it.skipIf(!existsSync(realCt))('writes the label map, the legend and the model of the real CT (needs ../shared/data)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-segment-'));
    const run = await keyhole(['segment', realCt, '-o', join(dir, 'seg.nii.gz'), '--legend', join(dir, 'legend.json'), '--json', join(dir, 'model.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/levels: T12 L1 L2 L3 L4 L5 sacrum/);
    const legend = JSON.parse(readFileSync(join(dir, 'legend.json'), 'utf8')) as { labels: Array<{ value: number; name: string }> };
    expect(legend.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['T12', 'L1', 'L5', 'sacrum', 'L4-L5', 'L5-S1']));
    const seg = readNifti({ bytes: readFileSync(join(dir, 'seg.nii.gz')), source: 'seg' }).volumes[0]!;
    expect(seg.size).toEqual([122, 101, 112]);
    const values = new Set(seg.data);
    for (const l of legend.labels) expect(values.has(l.value), l.name).toBe(true);
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as SpineModel;
    expect(model.space).toBe('LPS');
    expect(model.levelCount.verified).toBe(true);
    expect(model.vertebrae.find((v) => v.name === 'L4')!.centroid).toHaveLength(3);
  });

  it('says plainly when there is no spine, and writes no label map', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-segment-'));
    const size = [40, 40, 40];
    const data = new Int16Array(40 * 40 * 40).fill(40);
    const input = join(dir, 'soft-tissue.nii.gz');
    writeFileSync(input, writeNifti({ volumes: [createVolume({ size, spacing: [3, 3, 3], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, units: 'HU' })], gzip: true }));
    const run = await keyhole(['segment', input, '-o', join(dir, 'seg.nii.gz'), '--legend', join(dir, 'legend.json')]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/no spine found/);
    expect(existsSync(join(dir, 'seg.nii.gz'))).toBe(false);
  });
});
