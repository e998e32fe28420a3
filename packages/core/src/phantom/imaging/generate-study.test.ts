import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDcm2niix, checkDcmdump } from '../../dicom/write/test-support/external-tools.ts';
import { compareLattices, valueAtSameVoxel } from '../../dicom/write/test-support/lattice.ts';
import { mat3Column } from '../../geometry/matrix.ts';
import type { Vec3 } from '../../geometry/vec3.ts';
import { readNifti } from '../../nifti/read-nifti.ts';
import { compareGrids, indexToWorld, worldToIndex, type Volume } from '../../volume/volume.ts';
import { generateStudyWith, type PhantomStudy, type PhantomStudyOptions } from './generate-study.ts';
import { STAND_IN_ANATOMY } from './test-support/stand-in-scene.ts';

const environment = { spawnSync, env: process.env, warn: console.warn };
const dcmdump = checkDcmdump(environment);
const dcm2niix = checkDcm2niix(environment);
const scratch = mkdtempSync(join(tmpdir(), 'keyhole-phantom-imaging-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const generate = (options: Omit<PhantomStudyOptions, 'seed'> & { seed?: number }): PhantomStudy =>
  generateStudyWith(STAND_IN_ANATOMY, { seed: 7, ...options });

function nearestVoxel(volume: Volume, point: Vec3): Vec3 | undefined {
  const index = worldToIndex(volume, point).map((v) => Math.round(v)) as unknown as Vec3;
  return index.every((v, axis) => v >= 0 && v < volume.size[axis as 0 | 1 | 2]) ? index : undefined;
}

function valueAt(volume: Volume, index: Vec3): number {
  return volume.data[index[0] + volume.size[0] * (index[1] + volume.size[1] * index[2])]!;
}

/** dcm2niix over a folder of one series; returns every volume it wrote. */
function dcm2niixVolumes(folder: string): { volumes: Volume[]; log: string } {
  const out = join(folder, 'nii');
  mkdirSync(out, { recursive: true });
  const run = spawnSync(dcm2niix.command, ['-z', 'n', '-b', 'n', '-f', '%s_%j', '-o', out, folder], { encoding: 'utf8' });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  // The only warning allowed: dcm2niix does not know the vendor "Keyhole" (it tunes for real vendors).
  const warnings = run.stdout.split('\n').filter((line) => /warning/i.test(line) && !/Unable to determine manufacturer/.test(line));
  expect(warnings).toEqual([]);
  const names = readdirSync(out).filter((f) => f.endsWith('.nii')).sort();
  return { volumes: names.map((name) => readNifti({ bytes: readFileSync(join(out, name)), source: name }).volumes[0]!), log: run.stdout };
}

function writeSeries(name: string, files: { name: string; bytes: Uint8Array }[]): string {
  const folder = join(scratch, name);
  mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(join(folder, file.name), file.bytes);
  return folder;
}

describe('generateStudyWith (stand-in anatomy)', () => {
  it('is deterministic: same options, same bytes', () => {
    const a = generate({ modality: 'ct', grid: { size: [40, 40, 6] } });
    const b = generate({ modality: 'ct', grid: { size: [40, 40, 6] } });
    expect(a.series[0]!.files.map((f) => f.bytes)).toEqual(b.series[0]!.files.map((f) => f.bytes));
    const c = generateStudyWith(STAND_IN_ANATOMY, { seed: 8, modality: 'ct', grid: { size: [40, 40, 6] } });
    expect(c.series[0]!.volume.data).not.toEqual(a.series[0]!.volume.data);
    expect(c.truthJson.frameOfReferenceUid).not.toBe(a.truthJson.frameOfReferenceUid);
  });

  it('shares one frame of reference across modalities and positions of one anatomy', () => {
    const ct = generate({ modality: 'ct', grid: { size: [8, 8, 2] } });
    const mr = generate({ modality: 'mr-t2', position: 'prone', grid: { size: [8, 8, 2] } });
    expect(mr.truthJson.frameOfReferenceUid).toBe(ct.truthJson.frameOfReferenceUid);
    expect(mr.truthJson.studyInstanceUid).not.toBe(ct.truthJson.studyInstanceUid);
  });

  it('reports progress from 0 to 1', () => {
    const seen: number[] = [];
    generate({ modality: 'mr-t1', protocol: 'axial-angled', grid: { size: [10, 10, 2] }, dicom: false, onProgress: (f) => seen.push(f) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });

  it('puts intensities and truth labels on one grid, with the expected tissue values at landmarks', () => {
    const study = generate({ modality: 'ct' });
    const [series] = study.series;
    expect(compareGrids(series!.volume, series!.labels).same).toBe(true);
    const cancellous = study.truthJson.tissueValues['cancellous_bone']!;
    const index = nearestVoxel(series!.volume, study.truthJson.landmarks['L4 body centre']!.point)!;
    expect(Math.abs(valueAt(series!.volume, index) - cancellous)).toBeLessThan(4 * 15);
    const kidney = nearestVoxel(series!.volume, [60, 10, 20]);
    if (kidney !== undefined) expect(Math.abs(valueAt(series!.volume, kidney) - study.truthJson.tissueValues['kidney']!)).toBeLessThan(4 * 15);
  });

  it('honours grid overrides (the benchmark asks for 512 × 512 × 300) and keeps the stack centred', () => {
    const plain = generate({ modality: 'ct', dicom: false }).series[0]!;
    const custom = generate({ modality: 'ct', dicom: false, grid: { size: [64, 48, 20], spacing: [0.7, 0.7, 0.5] } }).series[0]!;
    expect(custom.volume.size).toEqual([64, 48, 20]);
    expect(custom.volume.spacing).toEqual([0.7, 0.7, 0.5]);
    expect(custom.description).toBe('CT LSPINE 3D 0.5 mm');
    expect(custom.sliceThicknessMm).toBe(0.5);
    const centre = (v: Volume): Vec3 => indexToWorld(v, [(v.size[0] - 1) / 2, (v.size[1] - 1) / 2, (v.size[2] - 1) / 2]);
    centre(custom.volume).forEach((c, axis) => expect(c).toBeCloseTo(centre(plain.volume)[axis]!, 9));
    expect(() => generate({ modality: 'ct', grid: { size: [64, 0, 2] } })).toThrow(/at grid.size: expected three positive whole numbers/);
  });

  it('orients images in the scanner frame of the patient position', () => {
    const axial = (position: NonNullable<PhantomStudyOptions['position']>): [Vec3, Vec3] => {
      const v = generate({ modality: 'ct', position, grid: { size: [4, 4, 2] }, dicom: false }).series[0]!.volume;
      return [mat3Column(v.direction, 0), mat3Column(v.direction, 1)];
    };
    expect(axial('supine')).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(axial('prone')).toEqual([[-1, 0, 0], [0, -1, 0]]);
    expect(axial('decubitus-left')).toEqual([[0, -1, 0], [1, 0, 0]]);
    expect(axial('decubitus-right')).toEqual([[0, 1, 0], [-1, 0, 0]]);
    const sagittal = generate({ modality: 'mr-t2', grid: { size: [4, 4, 2] }, dicom: false }).series[0]!.volume;
    expect([mat3Column(sagittal.direction, 0), mat3Column(sagittal.direction, 1)]).toEqual([[0, 1, 0], [-0, -0, -1]]);
  });

  it('angles one axial stack along each disc, 5 slices of 4 mm, slices along the disc normal', () => {
    const study = generate({ modality: 'mr-t2', protocol: 'axial-angled', dicom: false, grid: { size: [30, 30, 5], spacing: [0.7, 0.7, 4] } });
    expect(study.series.map((s) => s.disc)).toEqual(['L3-L4', 'L4-L5', 'L5-S1']);
    expect(study.series.map((s) => s.seriesNumber)).toEqual([801, 802, 803]);
    for (const [n, series] of study.series.entries()) {
      const disc = study.scene.discs[n]!;
      const k = mat3Column(series.volume.direction, 2);
      expect(k[0] * disc.normal[0] + k[1] * disc.normal[1] + k[2] * disc.normal[2]).toBeCloseTo(1, 9);
      // The middle slice passes through the disc centre.
      const index = worldToIndex(series.volume, disc.centre);
      expect(index[2]).toBeCloseTo(2, 6);
    }
  });

  describe.skipIf(!dcmdump.available)(`DCMTK parses every file ${dcmdump.skipReason}`, () => {
    it('mr-t1 axial-angled, all stacks', () => {
      const study = generate({ modality: 'mr-t1', protocol: 'axial-angled', grid: { size: [64, 64, 5], spacing: [0.7, 0.7, 4] } });
      for (const series of study.series) {
        const folder = writeSeries(`dcmdump-${series.seriesNumber}`, series.files);
        for (const file of series.files) {
          const run = spawnSync(dcmdump.command, ['+E', '-q', join(folder, file.name)], { encoding: 'utf8' });
          expect(run.status, run.stderr).toBe(0);
          expect(run.stderr).toBe('');
        }
      }
    });
  });

  describe.skipIf(!dcm2niix.available)(`dcm2niix lands every series on the truth grid ${dcm2niix.skipReason}`, () => {
    it.each([
      ['mr-t2', 'sagittal', 'supine'],
      ['mr-t2', 'sagittal', 'decubitus-left'],
      ['mr-t1', 'axial-angled', 'supine'],
      ['mr-t2', 'axial-angled', 'prone'],
      ['ct', '3d', 'supine'],
      ['ct', '3d', 'prone'],
      ['ct', '3d', 'decubitus-right'],
      ['ct', 'axial-angled', 'decubitus-left'],
      ['mr-t1', '3d', 'prone'],
    ] as const)('%s %s %s: same lattice to 0.01 mm, same voxel values at the landmarks', (modality, protocol, position) => {
      const study = generate({ modality, protocol, position });
      for (const series of study.series) {
        const folder = writeSeries(`${modality}-${protocol}-${position}-${series.seriesNumber}`, series.files);
        const { volumes, log } = dcm2niixVolumes(folder);
        expect(volumes, log).toHaveLength(1);
        const read = volumes[0]!;
        const lattice = compareLattices(series.labels, read);
        expect(lattice.sizesMatch).toBe(true);
        expect(lattice.maxCornerDistanceMm).toBeLessThan(0.01);
        for (const landmark of Object.values(study.truthJson.landmarks)) {
          const index = nearestVoxel(series.volume, landmark.point);
          if (index === undefined) continue;
          expect(valueAtSameVoxel(series.volume, read, index)).toBe(valueAt(series.volume, index));
        }
      }
    });

    it('all angled stacks in ONE series: dcm2niix splits them by orientation into one volume per stack', () => {
      const study = generate({ modality: 'mr-t2', protocol: 'axial-angled', axialSeries: 'single', grid: { size: [64, 64, 5], spacing: [0.7, 0.7, 4] } });
      expect(new Set(study.series.map((s) => s.seriesInstanceUid)).size).toBe(1);
      const folder = writeSeries('single-series', study.series.flatMap((s) => s.files));
      const { volumes, log } = dcm2niixVolumes(folder);
      expect(volumes, log).toHaveLength(study.series.length);
      for (const series of study.series) {
        const best = Math.min(...volumes.map((v) => compareLattices(series.labels, v).maxCornerDistanceMm));
        expect(best).toBeLessThan(0.01);
      }
    });
  });
});
