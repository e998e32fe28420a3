/**
 * Acceptance: real enhanced and classic DICOM from the shared data folder, assembled by our code,
 * against dcm2niix's references (committed with the data) and dcm2niix run here.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDicom, listVolumeSets } from './describe-dicom.ts';
import { loadVolume } from './load-volume.ts';
import { compareWithReference, createAcceptanceKit, requireAll } from './test-support/external-tools.ts';

const kit = createAcceptanceKit({ spawnSync, fs, tmpdir, env: process.env, repoRoot: path.resolve(import.meta.dirname, '../../../../..') });
const { makeTempDir, readInstances, readNiftiWithNibabel, requireData, requireDcm2niix, requireNibabel, runDcm2niix, sharedData } = kit;
const noCodecs = new Map();

const enhanced = requireAll(requireData('dicom-enhanced'), requireNibabel());
describe.skipIf(!enhanced.ok)(`enhanced multi-frame against dcm2niix references ${enhanced.reason}`, () => {
  const root = path.join(sharedData, 'dicom-enhanced');

  it('Siemens XA10 fMRI (4 files × 6 frames): one volume set of 4 time points, voxel for voxel and affine for affine', async () => {
    const files = [1, 2, 3, 4].map((n) => path.join(root, `In/Siemens/XA10/6_${n}.dcm`));
    const catalogue = describeDicom({ instances: readInstances(files) });
    expect(catalogue.seriesCount).toBe(1);
    const sets = listVolumeSets(catalogue);
    expect(sets).toHaveLength(1);
    const set = sets[0]!.set;
    expect(set.dimension).toBe('time');
    expect(set.sameGrid).toBe(true);
    expect(set.volumes.map((v) => v.label)).toEqual(['t=1', 't=2', 't=3', 't=4']);
    const reference = readNiftiWithNibabel(path.join(root, 'Ref/Siemens_REST1_w_SMS_PF7-8_6.nii'));
    expect(reference.shape).toEqual([64, 64, 6, 4]);
    for (const [t, descriptor] of set.volumes.entries()) {
      const volume = await loadVolume({ volume: descriptor, codecs: noCodecs });
      expect(volume.size).toEqual([64, 64, 6]);
      expect(volume.data).toBeInstanceOf(Int16Array);
      const comparison = compareWithReference(volume, reference, { t });
      expect(comparison.maxIndexError, 'our voxel centres land on reference voxel centres').toBeLessThan(1e-3);
      expect(comparison.mismatches, comparison.examples.join('; ')).toBe(0);
      expect(comparison.compared).toBe(64 * 64 * 6);
    }
  });

  it('Philips B0 field map: two volumes, magnitude (Philips FP scaling) and field map in Hz, as dcm2niix e1 and e2_fieldmaphz', async () => {
    const catalogue = describeDicom({ instances: readInstances([path.join(root, 'In/Philips/IM_0027_fMAP.dcm')]) });
    const sets = listVolumeSets(catalogue).map((s) => s.set);
    expect(sets).toHaveLength(2);
    const magnitude = sets.find((s) => s.label.includes('magnitude'))!;
    const fieldMap = sets.find((s) => s.label.includes('FIELD_MAP'))!;
    expect(magnitude.volumes).toHaveLength(1);
    expect(fieldMap.volumes).toHaveLength(1);
    expect(fieldMap.volumes[0]!.units).toBe('Hz');
    const cases = [
      // dcm2niix stores int16 with float32 scl_slope/scl_inter, so its values carry float32 rounding of
      // the SCALE: relative 1e-6 of the magnitude (max 2.4e8), and up to stored × 1.5e-6 Hz for the field
      // map (0.2442 is rounded to 0.24420166; × 4095 stored = 0.006 Hz). Ours use the header's doubles.
      { descriptor: magnitude.volumes[0]!, ref: 'Ref/Philips_WIP_B0_NS_801_e1.nii', tolerance: (e: number) => 1e-6 * Math.abs(e) + 1e-3 },
      { descriptor: fieldMap.volumes[0]!, ref: 'Ref/Philips_WIP_B0_NS_801_e2_fieldmaphz.nii', tolerance: () => 0.01 },
    ];
    for (const { descriptor, ref, tolerance } of cases) {
      const volume = await loadVolume({ volume: descriptor, codecs: noCodecs });
      expect(volume.size).toEqual([64, 64, 32]);
      const reference = readNiftiWithNibabel(path.join(root, ref));
      const comparison = compareWithReference(volume, reference, { tolerance });
      expect(comparison.maxIndexError).toBeLessThan(1e-3);
      expect(comparison.mismatches, `${ref}: ${comparison.examples.join('; ')}`).toBe(0);
    }
  });
});

const ct = requireAll(requireData('ct-dicom-series'), requireDcm2niix(), requireNibabel());
describe.skipIf(!ct.ok)(`real CT series against dcm2niix run here ${ct.reason}`, () => {
  const root = path.join(sharedData, 'ct-dicom-series');

  it('20 axial slices land on dcm2niix grid (and reference-total.nii.gz grid) with identical HU', async () => {
    const catalogue = describeDicom({ instances: readInstances([path.join(root, 'dicom')]) });
    const sets = listVolumeSets(catalogue);
    expect(sets).toHaveLength(1);
    const descriptor = sets[0]!.set.volumes[0]!;
    expect(descriptor.units).toBe('HU');
    // The slices are JPEG 2000 lossless: decode with the project's Node codecs.
    const { createNodeCodecRegistry } = await import('@keyhole/io');
    const volume = await loadVolume({ volume: descriptor, codecs: await createNodeCodecRegistry() });
    expect(volume.size).toEqual([512, 512, 20]);
    expect(volume.data).toBeInstanceOf(Int16Array);
    const temp = makeTempDir('dcm2niix-ct');
    try {
      const [nii] = runDcm2niix(path.join(root, 'dicom'), temp.dir);
      const reference = readNiftiWithNibabel(nii!);
      const comparison = compareWithReference(volume, reference);
      expect(comparison.maxIndexError).toBeLessThan(1e-3);
      expect(comparison.mismatches, comparison.examples.join('; ')).toBe(0);
    } finally {
      temp.dispose();
    }
    // Same grid as TotalSegmentator's own conversion: every voxel centre of ours on one of its voxel centres, same size.
    const seg = readNiftiWithNibabel(path.join(root, 'reference-total.nii.gz'));
    expect(seg.shape.slice(0, 3)).toEqual([...volume.size]);
    const onGrid = compareWithReference(volume, seg, { tolerance: () => Infinity });
    expect(onGrid.maxIndexError).toBeLessThan(1e-3);
    expect(onGrid.mismatches, onGrid.examples.join('; ')).toBe(0);
  });
});
