import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDcm2niix } from '../dicom/write/test-support/external-tools.ts';
import { compareLattices, valueAtSameVoxel } from '../dicom/write/test-support/lattice.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import { readNifti } from '../nifti/read-nifti.ts';
import { compareGrids, indexToWorld, worldToIndex, type Volume } from '../volume/volume.ts';
import { parseDicom } from '../dicom/parse/parse-dicom.ts';
import { describeDicom, listVolumeSets } from '../dicom/series/describe-dicom.ts';
import { loadVolume } from '../dicom/series/load-volume.ts';
import type { PhantomStudy, PhantomStudyOptions } from './imaging/generate-study.ts';
import { generatePhantomStudy, parsePhantomSpec } from './study.ts';

// The acceptance criterion of the foundation issue: dcm2niix reads the phantom's DICOM onto the
// same grid as its truth labels (< 0.01 mm), for every protocol and patient position, and the
// voxel values survive. Run on the real anatomy; a stand-in scene covers the same ground faster
// in imaging/generate-study.test.ts.

const environment = { spawnSync, env: process.env, warn: console.warn };
const dcm2niix = checkDcm2niix(environment);
const scratch = mkdtempSync(join(tmpdir(), 'keyhole-phantom-study-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function valueAt(volume: Volume, index: Vec3): number {
  return volume.data[index[0] + volume.size[0] * (index[1] + volume.size[1] * index[2])]!;
}

function inside(volume: Volume, index: Vec3, margin: number): boolean {
  return index.every((v, axis) => v >= margin && v < volume.size[axis as 0 | 1 | 2] - margin);
}

/** Landmarks whose voxel and its 26 neighbours are all one tissue: there the image must show that tissue's value. */
function uniformLandmarkVoxels(study: PhantomStudy, volume: Volume): Array<{ name: string; index: Vec3; tissue: string }> {
  const out: Array<{ name: string; index: Vec3; tissue: string }> = [];
  for (const [name, landmark] of Object.entries(study.truthJson.landmarks)) {
    const index = worldToIndex(volume, landmark.point).map((v) => Math.round(v)) as unknown as Vec3;
    if (!inside(volume, index, 2)) continue;
    const tissue = study.scene.classify(indexToWorld(volume, index)).tissue;
    let uniform = true;
    for (let dk = -2; dk <= 2 && uniform; dk++) {
      for (let dj = -2; dj <= 2 && uniform; dj++) {
        for (let di = -2; di <= 2 && uniform; di++) {
          uniform = study.scene.classify(indexToWorld(volume, [index[0] + di, index[1] + dj, index[2] + dk])).tissue === tissue;
        }
      }
    }
    if (uniform) out.push({ name, index, tissue });
  }
  return out;
}

describe('generatePhantomStudy (real anatomy)', () => {
  it('writes CT whose HU at landmarks match the tissue there, with truth on the same grid', () => {
    const study = generatePhantomStudy({ seed: 3, modality: 'ct', levels: { from: 'L3', to: 'S1' }, dicom: false });
    const [series] = study.series;
    expect(series!.volume.data).toBeInstanceOf(Int16Array);
    expect(compareGrids(series!.volume, series!.labels).same).toBe(true);
    const checked = uniformLandmarkVoxels(study, series!.volume);
    expect(checked.length).toBeGreaterThan(3);
    for (const { name, index, tissue } of checked) {
      const expected = study.truthJson.tissueValues[tissue]!;
      expect(Math.abs(valueAt(series!.volume, index) - expected), `${name} (${tissue})`).toBeLessThan(5 * 15);
    }
    expect(JSON.parse(JSON.stringify(study.truthJson))).toEqual(study.truthJson);
  });

  it('passes the CLI grammar straight through', () => {
    const spec = parsePhantomSpec({ modality: 'mr-t2', seed: 5, levels: 'L3-S1', pathology: ['herniation:L4-L5:left:subarticular:extrusion:down'] });
    const study = generatePhantomStudy({ ...spec, dicom: false, grid: { size: [48, 48, 3] } });
    expect(study.truthJson.pathology[0]).toMatchObject({ kind: 'disc-herniation', level: 'L4-L5', side: 'left' });
    expect(study.truthJson.protocol).toBe('sagittal');
  });

  // Two implementations agree: Keyhole's own DICOM reader (dicom/parse + dicom/series) places the
  // phantom's files on the truth grid too, with the same values, whatever the patient position.
  it.each<[PhantomStudyOptions['modality'], NonNullable<PhantomStudyOptions['protocol']>, NonNullable<PhantomStudyOptions['position']>]>([
    ['ct', '3d', 'prone'],
    ['mr-t2', 'sagittal', 'decubitus-left'],
    ['mr-t1', 'axial-angled', 'decubitus-right'],
  ])('Keyhole reads its own %s %s %s phantom back onto the truth grid', async (modality, protocol, position) => {
    const study = generatePhantomStudy({ seed: 12, modality, protocol, position, levels: { from: 'L4', to: 'S1' }, axialSeries: 'single' });
    const instances = study.series.flatMap((s) => s.files).map((file) => parseDicom({ bytes: file.bytes, source: file.name }));
    const sets = listVolumeSets(describeDicom({ instances }));
    const loaded = await Promise.all(sets.flatMap(({ set }) => set.volumes.map((volume) => loadVolume({ volume, codecs: new Map() }))));
    expect(loaded).toHaveLength(study.series.length);
    for (const series of study.series) {
      const match = loaded.find((v) => compareLattices(series.labels, v).maxCornerDistanceMm < 0.01);
      expect(match, series.description).toBeDefined();
      for (const index of [[0, 0, 0], [series.volume.size[0] - 1, series.volume.size[1] - 1, series.volume.size[2] - 1], [5, 7, 0]] as Vec3[]) {
        expect(valueAtSameVoxel(series.volume, match!, index)).toBe(valueAt(series.volume, index));
      }
    }
  });

  describe.skipIf(!dcm2niix.available)(`dcm2niix lands the phantom on its truth grid ${dcm2niix.skipReason}`, () => {
    const convert = (folder: string): Volume[] => {
      const out = join(folder, 'nii');
      mkdirSync(out, { recursive: true });
      const run = spawnSync(dcm2niix.command, ['-z', 'n', '-b', 'n', '-f', '%s_%j', '-o', out, folder], { encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const warnings = run.stdout.split('\n').filter((line) => /warning/i.test(line) && !/Unable to determine manufacturer/.test(line));
      expect(warnings).toEqual([]);
      return readdirSync(out).filter((f) => f.endsWith('.nii')).sort().map((name) => readNifti({ bytes: readFileSync(join(out, name)), source: name }).volumes[0]!);
    };

    it.each<[PhantomStudyOptions['modality'], NonNullable<PhantomStudyOptions['protocol']>, NonNullable<PhantomStudyOptions['position']>]>([
      ['mr-t2', 'sagittal', 'supine'],
      ['mr-t1', 'sagittal', 'prone'],
      ['mr-t2', 'axial-angled', 'supine'],
      ['mr-t2', 'axial-angled', 'decubitus-left'],
      ['ct', '3d', 'supine'],
      ['ct', '3d', 'prone'],
      ['ct', 'sagittal', 'decubitus-right'],
    ])('%s %s %s', (modality, protocol, position) => {
      const study = generatePhantomStudy({ seed: 11, modality, protocol, position, levels: { from: 'L3', to: 'S1' } });
      for (const series of study.series) {
        const folder = join(scratch, `${modality}-${protocol}-${position}-${series.seriesNumber}`);
        mkdirSync(folder, { recursive: true });
        for (const file of series.files) writeFileSync(join(folder, file.name), file.bytes);
        const volumes = convert(folder);
        expect(volumes).toHaveLength(1);
        const lattice = compareLattices(series.labels, volumes[0]!);
        expect(lattice.sizesMatch, series.description).toBe(true);
        expect(lattice.maxCornerDistanceMm, series.description).toBeLessThan(0.01);
        for (const { index } of uniformLandmarkVoxels(study, series.volume).slice(0, 5)) {
          expect(valueAtSameVoxel(series.volume, volumes[0]!, index)).toBe(valueAt(series.volume, index));
        }
      }
    });
  });
});
