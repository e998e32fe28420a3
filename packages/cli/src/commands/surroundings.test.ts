import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '@keyhole/core';
import { keyhole, sharedData } from '../test-support.ts';

const realCt = resolve(sharedData, 'ct-abdomen-pelvis-3mm/ct.nii.gz');
if (!existsSync(realCt)) console.warn('keyhole surroundings test skipped: ../shared/data/ct-abdomen-pelvis-3mm is absent');

describe('keyhole surroundings', () => {
  it.skipIf(!existsSync(realCt))('writes the spine and its surroundings of the real CT as one label map (needs ../shared/data)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-surroundings-'));
    const run = await keyhole(['surroundings', realCt, '-o', join(dir, 'labels.nii.gz'), '--legend', join(dir, 'legend.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/keep-out \(treat as keep-out when planning\): retroperitoneal_keep_out, peritoneal_keep_out, bowel_gas/);
    const legend = JSON.parse(readFileSync(join(dir, 'legend.json'), 'utf8')) as { labels: Array<{ value: number; name: string }> };
    expect(legend.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['L4', 'L4-L5', 'psoas_left', 'paraspinal_right', 'retroperitoneal_keep_out', 'fat']));
    const labels = readNifti({ bytes: readFileSync(join(dir, 'labels.nii.gz')), source: 'labels' }).volumes[0]!;
    expect(labels.size).toEqual([122, 101, 112]);
    const values = new Set(labels.data);
    for (const l of legend.labels) expect(values.has(l.value), l.name).toBe(true);
  });
});
