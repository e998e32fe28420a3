import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { compareGrids, readNifti } from '@keyhole/core';
import { hasSharedData, keyhole, sharedData, tool } from '../test-support.ts';

const ctDir = join(sharedData, 'ct-dicom-series', 'dicom');

describe.skipIf(!hasSharedData)('keyhole info / convert on the real CT series (../shared/data)', () => {
  it('info --json lists one CT series of 512×512×20 at 0.977 × 0.977 × 2 mm', async () => {
    const run = await keyhole(['info', ctDir, '--json']);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout) as { filesSeen: number; patients: Array<{ studies: Array<{ series: Array<{ modality: string; volumeSets: Array<{ volumes: Array<{ geometry: { grid: { size: number[]; spacing: number[] } } }> }> }> }> }> };
    expect(info.filesSeen).toBe(20);
    const series = info.patients[0]!.studies[0]!.series[0]!;
    expect(series.modality).toBe('CT');
    const grid = series.volumeSets[0]!.volumes[0]!.geometry.grid;
    expect(grid.size).toEqual([512, 512, 20]);
    expect(grid.spacing[2]).toBeCloseTo(2, 3);
  });

  it('convert writes a NIfTI on the same grid as dcm2niix and as TotalSegmentator\'s reference, HU identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-convert-'));
    const run = await keyhole(['convert', ctDir, '-o', join(dir, 'ct.nii.gz')]);
    expect(run.code, run.stderr).toBe(0);
    const ours = readNifti({ bytes: readFileSync(join(dir, 'ct.nii.gz')), source: 'ours' }).volumes[0]!;
    const reference = readNifti({ bytes: readFileSync(join(sharedData, 'ct-dicom-series', 'reference-total.nii.gz')), source: 'ref' }).volumes[0]!;
    expect(ours.size).toEqual([512, 512, 20]);
    // The reference may store rows or slices in another order: compare where voxels are, not how they are stored.
    const corners = (v: typeof ours): number[][] => {
      const points: number[][] = [];
      for (const i of [0, v.size[0] - 1]) for (const j of [0, v.size[1] - 1]) for (const k of [0, v.size[2] - 1]) {
        const m = v.indexToWorld;
        points.push([0, 1, 2].map((r) => m[4 * r]! * i + m[4 * r + 1]! * j + m[4 * r + 2]! * k + m[4 * r + 3]!));
      }
      return points.map((p) => p.map((x) => Math.round(x * 100) / 100)).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
    };
    const a = corners(ours);
    const b = corners(reference);
    a.forEach((p, n) => p.forEach((x, axis) => expect(Math.abs(x - b[n]![axis]!)).toBeLessThan(0.05)));
    const sidecar = JSON.parse(readFileSync(join(dir, 'ct.json'), 'utf8')) as { disclaimer: string };
    expect(sidecar.disclaimer).toMatch(/does not replace clinical judgement/);

    if (tool('dcm2niix')) {
      execFileSync('dcm2niix', ['-z', 'y', '-b', 'n', '-o', dir, '-f', 'peer', ctDir], { stdio: 'ignore' });
      const peerFile = readdirSync(dir).find((f) => f.startsWith('peer') && f.endsWith('.nii.gz'))!;
      const peer = readNifti({ bytes: readFileSync(join(dir, peerFile)), source: 'dcm2niix' }).volumes[0]!;
      const c = corners(peer);
      a.forEach((p, n) => p.forEach((x, axis) => expect(Math.abs(x - c[n]![axis]!)).toBeLessThan(0.05)));
      // Same HU at the same world point: sample the centre voxel of ours in the peer through the affines.
      const centre = [256, 256, 10] as const;
      const m = ours.indexToWorld;
      const world = [0, 1, 2].map((r) => m[4 * r]! * centre[0] + m[4 * r + 1]! * centre[1] + m[4 * r + 2]! * centre[2] + m[4 * r + 3]!);
      const w = peer.worldToIndex;
      const idx = [0, 1, 2].map((r) => Math.round(w[4 * r]! * world[0]! + w[4 * r + 1]! * world[1]! + w[4 * r + 2]! * world[2]! + w[4 * r + 3]!));
      const ourValue = ours.data[centre[0] + 512 * (centre[1] + 512 * centre[2])];
      const peerValue = peer.data[idx[0]! + peer.size[0] * (idx[1]! + peer.size[1] * idx[2]!)];
      expect(ourValue).toBe(peerValue);
      expect(compareGrids(ours, ours).same).toBe(true);
    }
  });
});

describe.skipIf(!hasSharedData)('several volumes in one series are all written', () => {
  const enhanced = join(sharedData, 'dicom-enhanced', 'In');
  it('info lists the Philips magnitude and field map and the Siemens 4 time points; convert writes all of them', async () => {
    const info = await keyhole(['info', enhanced]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/4 volumes along time \(4D\)/);
    expect(info.stdout).toMatch(/Hz/);
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-multi-'));
    const philips = await keyhole(['convert', enhanced, '-o', join(dir, 'philips.nii.gz'), '--series', '1']);
    expect(philips.code, philips.stderr).toBe(0);
    const written = readdirSync(dir).filter((f) => f.endsWith('.nii.gz')).sort();
    expect(written).toEqual(['philips_v1_magnitude_t1.nii.gz', 'philips_v2_real_hz_t1.nii.gz']);
    const siemens = await keyhole(['convert', enhanced, '-o', join(dir, 'siemens.nii.gz'), '--series', '2']);
    expect(siemens.code, siemens.stderr).toBe(0);
    expect(readNifti({ bytes: readFileSync(join(dir, 'siemens.nii.gz')), source: 's' }).volumes).toHaveLength(4);
    const split = await keyhole(['convert', enhanced, '-o', join(dir, 'split.nii'), '--series', '2', '--multi', 'split']);
    expect(split.code, split.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('split_v'))).toHaveLength(4);
  });
});

describe.skipIf(!hasSharedData)('bad input: the rest of the batch is kept', () => {
  it('a folder with good slices, a truncated file, a text file and an unsafe zip: clear errors, the series still read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-bad-'));
    const names = readdirSync(ctDir).sort();
    for (const name of names.slice(0, 5)) copyFileSync(join(ctDir, name), join(dir, name));
    const whole = readFileSync(join(ctDir, names[5]!));
    writeFileSync(join(dir, 'truncated.dcm'), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    writeFileSync(join(dir, 'evil.zip'), zipSync({ '../../escape.dcm': new Uint8Array(whole) }));
    const run = await keyhole(['info', dir, '--json']);
    expect(run.code).toBe(5); // partial success
    const info = JSON.parse(run.stdout) as { fileProblems: Array<{ code: string; message: string }>; patients: unknown[] };
    const codes = info.fileProblems.map((p) => p.code).sort();
    expect(codes).toEqual(expect.arrayContaining(['DICOM_NOT_DICOM', 'DICOM_TRUNCATED', 'ZIP_UNSAFE_PATH']));
    expect(info.fileProblems.find((p) => p.code === 'DICOM_TRUNCATED')!.message).toContain('truncated.dcm');
    expect(info.patients).toHaveLength(1);
  });

  it('an empty folder, a missing path and an unknown series fail with codes and exit statuses a script can use', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'keyhole-empty-'));
    const a = await keyhole(['info', empty]);
    expect(a.code).toBe(3);
    expect(a.stderr).toMatch(/EMPTY_INPUT/);
    const b = await keyhole(['info', join(empty, 'nope')]);
    expect(b.code).toBe(3);
    expect(b.stderr).toMatch(/FILE_NOT_FOUND/);
    const c = await keyhole(['convert', ctDir, '-o', join(empty, 'x.nii'), '--series', '99']);
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/DICOM_SERIES_NOT_FOUND/);
    const d = await keyhole(['convert', ctDir, '-o', join(empty, 'x.png')]);
    expect(d.code).toBe(2);
    mkdirSync(join(empty, 'keep'));
  });
});
