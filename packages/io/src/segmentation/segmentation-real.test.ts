/**
 * Label maps in and out on real data (../shared/data):
 * - TotalSegmentator import of the real CT's `total` (fast) segmentation, as its multi-label file and
 *   as a folder of per-structure masks, into Keyhole's names;
 * - DICOM SEG round trips: the CT's TotalSegmentator vertebrae (import → SEG → read back) and the real
 *   DICOM series' TotalSegmentator labels on the series' own grid (every frame derived from its source
 *   image); each SEG passes dciodvfy without errors and pydicom reads the same segments and frames;
 * - a TID 1500 measurement report passes dciodvfy and reads back through pydicom.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createVolume, describeDicom, labelCounts, LABELS, parseDicom, readDicomSeg, readNifti, referenceGridOf, segSourceFromInstances,
  uidFromKey, writeDicomSeg, writeDicomSeries, writeMeasurementReport, writeNifti, type LabelMap, type SegSourceSeries, type Volume,
} from '@keyhole/core';
import { sharedData, tempFolder, tools } from '../codecs/test-support/external-tools.ts';
import { readDicomInput } from '../dicom-input/read-dicom-input.ts';
import { readTotalSegmentatorOutput } from './totalsegmentator-output.ts';
import { dciodvfy, readSegWithPydicom, readSrWithPydicom } from './test-support/validators.ts';

const ctFolder = sharedData('ct-abdomen-pelvis-3mm');
const labelsJson = sharedData('labels-totalsegmentator-total.json');
const dicomSeries = sharedData('ct-dicom-series');
const checkers = tools(['dciodvfy', 'python3+pydicom']);
const scratch = tempFolder('segmentation');
afterAll(() => scratch.remove());
const created = { date: '20260101', time: '120000' };

function ct(): Volume {
  return readNifti({ bytes: readFileSync(join(ctFolder.path, 'ct.nii.gz')), source: 'ct.nii.gz' }).volumes[0]!;
}

/** The CT written as a classic DICOM series, parsed back: a real source series for the SEG and SR to reference. */
function ctAsDicomSource(volume: Volume): SegSourceSeries {
  const files = writeDicomSeries({
    volume: createVolume({ ...volume, data: Int16Array.from(volume.data), units: 'HU' }),
    metadata: {
      modality: 'CT', patient: { name: 'TotalSegmentator^Example', id: 'TS-CT' },
      study: { studyInstanceUid: uidFromKey('seg-real/study'), frameOfReferenceUid: uidFromKey('seg-real/for'), date: '20260101', time: '120000', studyId: '1' },
      seriesInstanceUid: uidFromKey('seg-real/ct'), seriesNumber: 2, seriesDescription: 'CT abdomen pelvis 3 mm', patientPosition: 'HFS',
      sliceThickness: 3, displayWindow: { center: 40, width: 400 }, acquisition: { kind: 'CT', kvp: 120, storage: 'signed' }, synthetic: false,
    },
  });
  return segSourceFromInstances({ instances: files.map((file) => parseDicom({ bytes: file.bytes, source: file.name })) });
}

/** Voxels equal after mapping each map's values to names. */
function expectSameLabels(actual: LabelMap, expected: LabelMap): void {
  const name = (map: LabelMap): Map<number, string> => new Map(map.legend.labels.map((e) => [e.value, e.name]));
  const a = name(actual);
  const b = name(expected);
  expect(actual.volume.size).toEqual(expected.volume.size);
  let differ = 0;
  for (let n = 0; n < expected.volume.data.length; n++) {
    const x = actual.volume.data[n]!;
    const y = expected.volume.data[n]!;
    if ((x === 0 ? '' : a.get(x)) !== (y === 0 ? '' : b.get(y))) differ++;
  }
  expect(differ).toBe(0);
}

function expectValid(path: string, what: string): void {
  const report = dciodvfy(path);
  console.log(`dciodvfy ${what}: ${report.errors.length} errors, ${report.warnings.length} warnings${report.warnings.length > 0 ? `\n  ${[...new Set(report.warnings)].join('\n  ')}` : ''}`);
  expect(report.errors, report.output).toEqual([]);
}

describe.skipIf(!ctFolder.ok || !labelsJson.ok)(`TotalSegmentator import of the real CT ${ctFolder.note}`, () => {
  it('maps the multi-label `total` output onto Keyhole names and reports the rest', async () => {
    const result = await readTotalSegmentatorOutput({ path: join(ctFolder.path, 'reference-total-fast.nii.gz'), labelsPath: labelsJson.path, reference: ct() });
    const names = result.labelMap.legend.labels.filter((e) => e.foreign !== true).map((e) => e.name);
    console.log(`TotalSegmentator → Keyhole: ${result.structures.filter((s) => s.voxels > 0 && !s.foreign).map((s) => `${s.source}→${s.name}`).join(', ')}`);
    console.log(`kept under source names: ${result.foreign.join(', ')}`);
    for (const expected of ['T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'S1', 'sacrum', 'aorta', 'ivc', 'iliac_artery_left', 'iliac_artery_right',
      'iliac_vein_left', 'iliac_vein_right', 'kidney_left', 'kidney_right', 'bowel', 'psoas_left', 'psoas_right', 'paraspinal_left', 'paraspinal_right']) {
      expect(names, expected).toContain(expected);
    }
    const bowel = result.labelMap.legend.labels.find((e) => e.name === 'bowel');
    expect(bowel?.source?.split('+')).toEqual(expect.arrayContaining(['colon', 'small_bowel']));
    expect(result.foreign).toEqual(expect.arrayContaining(['femur_left', 'femur_right']));
    expect(result.resampled).toBe(false);
    // Every source voxel kept its structure: counts per structure equal the source's.
    const source = readNifti({ bytes: readFileSync(join(ctFolder.path, 'reference-total-fast.nii.gz')), source: 'fast', units: 'label' }).volumes[0]!;
    const counts = labelCounts(result.labelMap);
    let l4Source = 0;
    for (let n = 0; n < source.data.length; n++) if (source.data[n] === 28) l4Source++;
    expect(counts.get(LABELS.L4)).toBe(l4Source);
  });

  it('imports the same labels from a folder of per-structure masks', async () => {
    const multi = await readTotalSegmentatorOutput({ path: join(ctFolder.path, 'reference-total-fast.nii.gz'), labelsPath: labelsJson.path });
    const source = readNifti({ bytes: readFileSync(join(ctFolder.path, 'reference-total-fast.nii.gz')), source: 'fast', units: 'label' }).volumes[0]!;
    const table = JSON.parse(readFileSync(labelsJson.path, 'utf8')) as Record<string, string>;
    const folder = join(scratch.path, 'totalseg-folder');
    mkdirSync(folder, { recursive: true });
    const present = new Set(source.data);
    for (const [value, name] of Object.entries(table)) {
      if (!present.has(Number(value))) continue;
      const bits = new Uint8Array(source.data.length);
      for (let n = 0; n < bits.length; n++) bits[n] = source.data[n] === Number(value) ? 1 : 0;
      const mask = createVolume({ ...source, data: bits, units: 'label' });
      writeFileSync(join(folder, `${name}.nii.gz`), writeNifti({ volumes: [mask], gzip: true, gzipLevel: 1 }));
    }
    const fromFolder = await readTotalSegmentatorOutput({ path: folder });
    expectSameLabels(fromFolder.labelMap, multi.labelMap);
    expect([...fromFolder.foreign].sort()).toEqual([...multi.foreign].sort());
  });
});

describe.skipIf(!ctFolder.ok || !labelsJson.ok || !checkers.ok)(`DICOM SEG and SR of the real CT ${ctFolder.note} ${checkers.note}`, () => {
  it('round-trips TotalSegmentator vertebrae: import → SEG → dciodvfy, pydicom and our reader give the same labels', async () => {
    const grid = ct();
    const imported = await readTotalSegmentatorOutput({ path: join(ctFolder.path, 'reference-vertebrae.nii.gz'), labelsPath: labelsJson.path, reference: grid });
    const source = ctAsDicomSource(grid);
    const seg = writeDicomSeg({ labelMap: imported.labelMap, source, created, algorithm: { type: 'AUTOMATIC', name: 'TotalSegmentator', version: '2' }, seriesDescription: 'TotalSegmentator vertebrae' });
    const path = join(scratch.path, 'vertebrae-seg.dcm');
    writeFileSync(path, seg.file.bytes);
    console.log(`SEG of ${seg.segments.length} vertebrae: ${seg.frames} frames (${seg.framesWithSourceImage} derived from a source image), ${seg.file.bytes.length} bytes`);
    expectValid(path, 'SEG (real CT vertebrae)');
    expect(seg.framesWithSourceImage).toBe(seg.frames);

    const back = readDicomSeg({ instance: parseDicom({ bytes: readFileSync(path), source: path }), reference: grid });
    expectSameLabels(back.labelMap, imported.labelMap);
    expect(back.labelMap.legend.labels.map((e) => e.name)).toEqual(imported.labelMap.legend.labels.map((e) => e.name));

    const py = readSegWithPydicom(path);
    expect(py.segments.map((s) => s.label)).toEqual(seg.segments.map((s) => s.name));
    expect(py.segments.every((s) => s.type === 'Vertebra' && s.category === 'Anatomical Structure')).toBe(true);
    expect(py.frames).toHaveLength(seg.frames);
    expect(py.shape).toEqual([seg.frames, grid.size[1], grid.size[0]]);
    // pydicom's unpacking of the 1-bit frames: voxels per segment equal the label map's.
    const counts = labelCounts(imported.labelMap);
    for (const segment of seg.segments) {
      const pixels = py.frames.filter((f) => f.segment === segment.number).reduce((sum, f) => sum + f.pixels, 0);
      expect(pixels, segment.name).toBe(counts.get(segment.value));
    }
    // Frame positions: the source image planes they derive from.
    const byUid = new Map(source.images.map((image) => [image.sopInstanceUid, image.position]));
    for (const frame of py.frames) {
      const position = byUid.get(frame.sourceImage ?? '');
      expect(position).toBeDefined();
      frame.position.forEach((v, axis) => expect(v).toBeCloseTo(position![axis]!, 3));
    }
  });

  it('writes a TID 1500 measurement report that dciodvfy accepts and pydicom reads', () => {
    const source = ctAsDicomSource(ct());
    const sr = writeMeasurementReport({
      source, created, observer: { kind: 'device', name: 'Keyhole findings' },
      groups: [
        {
          trackingId: 'L4-L5 central stenosis', finding: 'central canal stenosis', findingSite: 'L4-L5',
          measurements: [
            { name: 'dural sac area', value: 72.5, unit: 'mm2', rule: 'Schizas grade from the dural sac cross-section [Schizas2010]' },
            { name: 'AP diameter', value: 8.1, unit: 'mm' },
          ],
          qualitative: [{ name: 'Schizas grade', value: 'C', rule: '[Schizas2010]' }],
        },
        {
          trackingId: 'L4 vertebral body', finding: 'vertebral compression fracture', findingSite: 'L4',
          measurements: [
            { name: 'anterior body height', value: 21.3, unit: 'mm' }, { name: 'mean attenuation', value: 112, unit: 'HU' },
          ],
          qualitative: [{ name: 'Genant grade', value: { value: 'KHG1', scheme: '99KEYHOLE', meaning: 'Genant grade 1 (mild)' } }],
        },
        {
          trackingId: 'L5-S1 spondylolisthesis', finding: 'spondylolisthesis', findingSite: 'L5-S1', side: 'bilateral',
          measurements: [{ name: 'slip', value: 18, unit: '%', rule: 'Meyerding grade from the slip [Koslosky2020]' }],
          qualitative: [{ name: 'Meyerding grade', value: 'I' }],
        },
      ],
    });
    const path = join(scratch.path, 'report-sr.dcm');
    writeFileSync(path, sr.file.bytes);
    expectValid(path, 'SR (TID 1500)');
    const py = readSrWithPydicom(path);
    expect(py.title).toBe('Imaging Measurement Report');
    expect(py.template).toBe('1500');
    expect(py.groups.map((g) => g.trackingId)).toEqual(['L4-L5 central stenosis', 'L4 vertebral body', 'L5-S1 spondylolisthesis']);
    expect(py.groups[0]!.findingSite).toBe('Level of L4/L5 intervertebral disc');
    expect(py.groups[0]!.values).toEqual([
      { name: 'dural sac area', value: '72.5', unit: 'mm2' }, { name: 'AP diameter', value: '8.1', unit: 'mm' }, { name: 'Schizas grade', value: 'C', unit: null },
    ]);
    expect(py.groups[1]!.values.map((v) => [v.name, v.unit])).toEqual([['anterior body height', 'mm'], ['Mean Attenuation Coefficient', "[hnsf'U]"], ['Genant grade', null]]);
    expect(py.groups[2]!.values[0]).toEqual({ name: 'slip', value: '18', unit: '%' });
  });
});

describe.skipIf(!dicomSeries.ok || !labelsJson.ok || !checkers.ok)(`DICOM SEG on the real DICOM series' own grid ${dicomSeries.note} ${checkers.note}`, () => {
  it('derives every frame from its source slice and reads back the same labels', async () => {
    const input = await readDicomInput({ paths: [join(dicomSeries.path, 'dicom')] });
    const described = describeDicom({ instances: input.instances });
    const volume = described.patients[0]!.studies[0]!.series[0]!.volumeSets[0]!.volumes[0]!;
    const grid = referenceGridOf(volume.geometry.grid);
    const imported = await readTotalSegmentatorOutput({ path: join(dicomSeries.path, 'reference-total.nii.gz'), labelsPath: labelsJson.path, reference: grid });
    console.log(`reference-total on the series grid: ${imported.resampled ? 'resampled' : 'same grid'}; ${imported.labelMap.legend.labels.length} structures (${imported.labelMap.legend.labels.map((e) => e.name).join(', ')})`);
    // The series has blank Study and Series Instance UIDs (the archive repairs them on import); pass the ones it would assign.
    const source = segSourceFromInstances({ instances: input.instances, missingUids: { study: uidFromKey('ct-dicom-series/study'), series: uidFromKey('ct-dicom-series/series') } });
    const seg = writeDicomSeg({ labelMap: imported.labelMap, source, created, algorithm: { type: 'AUTOMATIC', name: 'TotalSegmentator', version: '2' } });
    const path = join(scratch.path, 'series-seg.dcm');
    writeFileSync(path, seg.file.bytes);
    expectValid(path, 'SEG (real DICOM series)');
    expect(seg.framesWithSourceImage).toBe(seg.frames);
    const back = readDicomSeg({ instance: parseDicom({ bytes: readFileSync(path), source: path }), reference: grid });
    expectSameLabels(back.labelMap, imported.labelMap);
    expect(back.referencedSeriesInstanceUids).toEqual([source.seriesInstanceUid]);
    const py = readSegWithPydicom(path);
    expect(py.segments).toHaveLength(seg.segments.length);
    expect(py.frames.every((f) => f.sourceImage !== null)).toBe(true);
  });
});
