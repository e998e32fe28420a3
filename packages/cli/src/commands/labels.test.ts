/**
 * `keyhole labels` end to end, as a user runs it: TotalSegmentator import of the real CT's output,
 * and a phantom's truth label map → DICOM SEG on its DICOM series (dciodvfy-checked) → back to
 * NIfTI + legend with the same labels; a bad legend is refused with the path of the bad field.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti, type Volume } from '@keyhole/core';
import { hasSharedData, keyhole, sharedData, tool } from '../test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'keyhole-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readVolume = (path: string): Volume => readNifti({ bytes: readFileSync(path), source: path, units: 'label' }).volumes[0]!;
/** A legend in Keyhole's form ({"labels":[…]}) or the phantom's value → name form. */
function readLegend(path: string): Map<number, string> {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { labels?: { value: number; name: string }[] } & Record<string, unknown>;
  if (json.labels !== undefined) return new Map(json.labels.map((e) => [e.value, e.name]));
  return new Map(Object.entries(json).map(([value, name]) => [Number(value), String(name)]));
}

describe.skipIf(!hasSharedData)(`keyhole labels import (TotalSegmentator output of the real CT)${hasSharedData ? '' : ' (skipped: ../shared/data is absent)'}`, () => {
  it('writes Keyhole names and reports the structures kept under their own names', async () => {
    const ct = join(sharedData, 'ct-abdomen-pelvis-3mm');
    const out = join(dir, 'ts.nii.gz');
    const legend = join(dir, 'ts-legend.json');
    const run = await keyhole(['labels', 'import', join(ct, 'reference-total-fast.nii.gz'), '--labels', join(sharedData, 'labels-totalsegmentator-total.json'),
      '--reference', join(ct, 'ct.nii.gz'), '-o', out, '--legend', legend, '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const summary = JSON.parse(run.stdout) as { foreign: string[]; resampled: boolean };
    expect(summary.resampled).toBe(false);
    expect(summary.foreign).toContain('liver');
    const names = [...readLegend(legend).values()];
    for (const name of ['T12', 'L1', 'L5', 'S1', 'sacrum', 'aorta', 'ivc', 'kidney_left', 'bowel', 'iliac_vein_right']) expect(names).toContain(name);
    expect(readVolume(out).size).toEqual([122, 101, 112]);
  });
});

describe('keyhole labels to-seg / from-seg on a phantom', () => {
  const phantom = join(dir, 'phantom');
  beforeAll(async () => {
    const made = await keyhole(['phantom', '-o', phantom, '--modality', 'ct', '--seed', '4', '--levels', 'L3-S1', '--size', '96,96,48', '--spacing', '2,2,2.5']);
    expect(made.code, made.stderr).toBe(0);
  }, 120_000);

  it('round-trips the truth label map through a DICOM SEG that references the phantom series', async () => {
    const seg = join(dir, 'truth-seg.dcm');
    const toSeg = await keyhole(['labels', 'to-seg', join(phantom, 'truth.nii.gz'), '--legend', join(phantom, 'truth-legend.json'), '--reference', join(phantom, 'dicom'), '-o', seg, '--json']);
    expect(toSeg.code, toSeg.stderr + toSeg.stdout).toBe(0);
    const summary = JSON.parse(toSeg.stdout) as { frames: number; framesWithSourceImage: number; segments: unknown[] };
    expect(summary.framesWithSourceImage).toBe(summary.frames);
    expect(summary.segments.length).toBeGreaterThan(10);
    if (tool('dciodvfy')) {
      let output = '';
      try {
        output = execFileSync('dciodvfy', [seg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
      }
      const errors = output.split('\n').filter((line) => /^Error/.test(line.trim()));
      expect(errors, output).toEqual([]);
    }

    const back = join(dir, 'back.nii.gz');
    const backLegend = join(dir, 'back-legend.json');
    const fromSeg = await keyhole(['labels', 'from-seg', seg, '-o', back, '--legend', backLegend, '--reference', join(phantom, 'dicom')]);
    expect(fromSeg.code, fromSeg.stderr + fromSeg.stdout).toBe(0);
    const truth = readVolume(join(phantom, 'truth.nii.gz'));
    const truthNames = readLegend(join(phantom, 'truth-legend.json'));
    const backVolume = readVolume(back);
    const backNames = readLegend(backLegend);
    expect(backVolume.size).toEqual(truth.size);
    let differ = 0;
    for (let n = 0; n < truth.data.length; n++) {
      const a = truth.data[n]! === 0 ? '' : truthNames.get(truth.data[n]!);
      const b = backVolume.data[n]! === 0 ? '' : backNames.get(backVolume.data[n]!);
      if (a !== b) differ++;
    }
    expect(differ).toBe(0);
  });

  it('refuses a legend with an unknown structure, naming the field', async () => {
    const legend = join(dir, 'bad-legend.json');
    writeFileSync(legend, JSON.stringify({ labels: [{ value: 24, name: 'L4' }, { value: 25, name: 'L7' }] }));
    const run = await keyhole(['labels', 'to-seg', join(phantom, 'truth.nii.gz'), '--legend', legend, '--reference', join(phantom, 'dicom'), '-o', join(dir, 'bad.dcm')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('labels[1].name: unknown structure "L7"');
  });
});
