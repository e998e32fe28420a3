import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../errors/keyhole-error.ts';
import { mat3FromColumns } from '../geometry/matrix.ts';
import { cross, normalize, type Vec3 } from '../geometry/vec3.ts';
import { parseDicom } from '../dicom/parse/parse-dicom.ts';
import { writeDicomSeg } from '../dicom/write/seg-write.ts';
import type { SegSourceSeries } from '../dicom/write/seg-source.ts';
import { uidFromKey } from '../dicom/write/uid.ts';
import { LABELS } from '../phantom/vocabulary.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import { structureCodes, structureFromCodes } from './anatomy-codes.ts';
import { importLabelVolume, importMasks, sourceNamesFromJson } from './import-labels.ts';
import { createLabelMap } from './label-map.ts';
import { legendToJson, parseLegend } from './legend.ts';
import { readDicomSeg } from './read-dicom-seg.ts';
import { mapStructureName } from './structure-names.ts';

function thrown(fn: () => unknown): KeyholeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyholeError) return error;
    throw error;
  }
  throw new Error('expected a KeyholeError');
}

/** An oblique grid (tilted 12° about x, 5° about z), non-square pixels. */
function obliqueGrid(size: Vec3, data: Uint8Array | Uint16Array): Volume {
  const a = (12 * Math.PI) / 180;
  const b = (5 * Math.PI) / 180;
  const row: Vec3 = normalize([Math.cos(b), Math.sin(b), 0]);
  const column: Vec3 = normalize([-Math.sin(b) * Math.cos(a), Math.cos(b) * Math.cos(a), Math.sin(a)]);
  return createVolume({ size, spacing: [0.8, 0.6, 2.5], origin: [-30.5, 12.25, 80], direction: mat3FromColumns(row, column, cross(row, column)), data, units: 'label' });
}

describe('legend', () => {
  it('reads the CLI legend format and writes it back', () => {
    const legend = parseLegend({ labels: [{ value: 24, name: 'L4' }, { value: 1077, name: 'liver', foreign: true, source: 'liver' }] });
    expect(legend.labels).toHaveLength(2);
    expect(parseLegend(JSON.parse(legendToJson(legend)))).toEqual(legend);
  });

  it('names the path of every bad field', () => {
    const error = thrown(() => parseLegend({ labels: [{ value: 24, name: 'L4' }, { value: 25, name: 'L5' }, { value: 26, name: 'L6' }, { value: 27, name: 'L7' }] }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.path).toBe('labels[3].name');
    expect(error.message).toContain('labels[3].name: unknown structure "L7"');
    const many = thrown(() => parseLegend({ labels: [{ value: 0, name: 'L4' }, { value: 24, name: 'L4', colour: 'red' }, { value: 24, name: 'L5' }] }));
    const problems = (many.details['problems'] as { path: string }[]).map((p) => p.path);
    expect(problems).toEqual(['labels[0].value', 'labels[1].colour', 'labels[2].value']);
    expect(thrown(() => parseLegend({ labels: [{ value: 3, name: 'aorta', foreign: true }] })).path).toBe('labels[0].foreign');
    expect(thrown(() => parseLegend([])).path).toBe('(root)');
  });

  it('refuses a label map with values its legend does not name', () => {
    const volume = obliqueGrid([2, 2, 1], new Uint8Array([0, 24, 25, 0]));
    const error = thrown(() => createLabelMap({ volume, legend: { labels: [{ value: 24, name: 'L4' }] } }));
    expect(error.message).toContain('value 25');
  });
});

describe('TotalSegmentator names', () => {
  it('maps the spine, vessels, organs and muscles onto Keyhole names', () => {
    const cases: Record<string, string> = {
      vertebrae_L4: 'L4', vertebrae_S1: 'S1', vertebrae_T12: 'T12', vertebrae_C1: 'C1', sacrum: 'sacrum', spinal_cord: 'spinal_cord',
      aorta: 'aorta', inferior_vena_cava: 'ivc', iliac_artery_left: 'iliac_artery_left', iliac_vena_right: 'iliac_vein_right',
      kidney_left: 'kidney_left', colon: 'bowel', small_bowel: 'bowel', iliopsoas_left: 'psoas_left', autochthon_right: 'paraspinal_right',
      rib_left_12: 'rib_T12_left', rib_right_1: 'rib_T1_right', hip_left: 'ilium_left', L4: 'L4', 'L4-L5': 'L4-L5',
    };
    for (const [source, name] of Object.entries(cases)) expect(mapStructureName(source)?.name, source).toBe(name);
    expect(mapStructureName('iliopsoas_left')?.note).toContain('iliacus');
    for (const foreign of ['liver', 'femur_left', 'vertebrae_L7', 'rib_left_13x', 'background']) expect(mapStructureName(foreign)).toBeUndefined();
  });

  it('reads both legend forms', () => {
    expect([...sourceNamesFromJson({ '0': 'background', '28': 'vertebrae_L4' })]).toEqual([[28, 'vertebrae_L4']]);
    expect([...sourceNamesFromJson({ labels: [{ value: 24, name: 'L4' }] })]).toEqual([[24, 'L4']]);
    expect(thrown(() => sourceNamesFromJson({ x: 'L4' })).path).toBe('x');
  });
});

describe('import', () => {
  const size: Vec3 = [4, 3, 2];
  // TotalSegmentator values: 28 vertebrae_L4, 20 colon, 18 small_bowel, 5 liver.
  const source = new Uint8Array([0, 28, 28, 20, 0, 18, 18, 5, 0, 0, 28, 5, 28, 28, 0, 0, 20, 20, 0, 0, 0, 0, 5, 0]);
  const names = new Map([[28, 'vertebrae_L4'], [20, 'colon'], [18, 'small_bowel'], [5, 'liver'], [50, 'vertebrae_C1']]);

  it('maps a multi-label map, merges bowel, keeps foreign structures under their name', () => {
    const result = importLabelVolume({ volume: obliqueGrid(size, source), names });
    const legend = result.labelMap.legend.labels;
    expect(legend.map((e) => e.name)).toEqual(['L4', 'bowel', 'liver']);
    expect(legend.find((e) => e.name === 'bowel')?.source).toBe('small_bowel+colon');
    expect(legend.find((e) => e.name === 'liver')).toMatchObject({ value: 1005, foreign: true });
    expect(result.foreign).toEqual(['liver']);
    expect(result.merged).toEqual([{ name: 'bowel', sources: ['small_bowel', 'colon'] }]);
    expect(result.structures.find((s) => s.source === 'vertebrae_C1')?.voxels).toBe(0);
    const data = result.labelMap.volume.data;
    source.forEach((value, n) => {
      const expected = value === 28 ? LABELS.L4 : value === 20 || value === 18 ? LABELS.bowel : value === 5 ? 1005 : 0;
      expect(data[n]).toBe(expected);
    });
  });

  it('imports per-structure masks, resampling one on a flipped grid and reporting overlaps', () => {
    const reference = obliqueGrid(size, new Uint8Array(24));
    const l4 = obliqueGrid(size, source.map((v) => (v === 28 ? 1 : 0)));
    // The same mask on a grid whose i axis runs the other way: exactly the same voxel centres.
    const flippedData = new Uint8Array(24);
    for (let k = 0; k < 2; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) flippedData[(3 - i) + 4 * (j + 3 * k)] = source[i + 4 * (j + 3 * k)] === 20 ? 1 : 0;
    const d = reference.direction;
    const flipped = createVolume({
      size, spacing: reference.spacing, direction: [-d[0], d[1], d[2], -d[3], d[4], d[5], -d[6], d[7], d[8]],
      origin: [reference.origin[0] + 3 * 0.8 * d[0], reference.origin[1] + 3 * 0.8 * d[3], reference.origin[2] + 3 * 0.8 * d[6]],
      data: flippedData, units: 'label',
    });
    const overlapping = obliqueGrid(size, source.map((_, n) => (n === 1 ? 1 : 0)));
    const result = importMasks({ masks: [{ name: 'vertebrae_L4', volume: l4 }, { name: 'colon', volume: flipped }, { name: 'liver', volume: overlapping }], reference });
    expect(result.resampled).toBe(true);
    expect(result.warnings.some((w) => w.includes('liver overlaps'))).toBe(true);
    const data = result.labelMap.volume.data;
    source.forEach((value, n) => {
      const expected = n === 1 ? 1001 : value === 28 ? LABELS.L4 : value === 20 ? LABELS.bowel : 0;
      expect(data[n], `voxel ${n}`).toBe(expected);
    });
  });

  it('refuses a mask that does not overlap the reference', () => {
    const reference = obliqueGrid(size, new Uint8Array(24));
    const far = createVolume({ ...reference, origin: [500, 500, 500], data: new Uint8Array(24).fill(1) });
    const error = thrown(() => importMasks({ masks: [{ name: 'vertebrae_L4', volume: far }], reference }));
    expect(error.code).toBe('GEOMETRY_MISMATCH');
    expect(error.message).toContain('none of the 24 labelled voxels');
  });
});

describe('anatomy codes', () => {
  it('codes vertebrae, discs and sides with standard codes and local levels', () => {
    const l4 = structureCodes('L4');
    expect(l4.type).toMatchObject({ value: '51282000', scheme: 'SCT' });
    expect(l4.region?.value).toBe('122496007');
    expect(structureCodes('L4-L5').region?.value).toBe('243923001');
    expect(structureCodes('kidney_left').typeModifiers[0]?.value).toBe('7771000');
    expect(structureCodes('liver', true).type.scheme).toBe('99KEYHOLE');
    for (const name of ['L4', 'L4-L5', 'herniation_L4-L5', 'root_L5_left', 'kidney_right', 'aorta', 'rib_T12_left', 'dural_sac']) {
      const codes = structureCodes(name);
      expect(structureFromCodes(codes.type, codes.typeModifiers), name).toBe(name);
      for (const code of [codes.type, ...codes.typeModifiers]) expect(code.value.length).toBeLessThanOrEqual(16);
    }
  });
});

describe('DICOM SEG round trip (in memory)', () => {
  const size: Vec3 = [7, 5, 6];
  const data = new Uint16Array(7 * 5 * 6);
  for (let n = 0; n < data.length; n++) {
    const i = n % 7;
    const k = Math.floor(n / 35);
    if (k >= 1 && k <= 3 && i < 3) data[n] = LABELS.L4;
    if (k >= 2 && i >= 4) data[n] = 1077;
    if (k === 5 && i === 6) data[n] = LABELS['root_L5_left'];
  }
  const labelMap = createLabelMap({
    volume: obliqueGrid(size, data),
    legend: { labels: [{ value: LABELS.L4, name: 'L4' }, { value: 1077, name: 'liver', foreign: true }, { value: LABELS['root_L5_left'], name: 'root_L5_left' }, { value: LABELS.aorta, name: 'aorta' }] },
  });
  const grid = labelMap.volume;
  const source: SegSourceSeries = {
    study: { patientName: 'Test^Seg', patientId: 'SEG1', studyInstanceUid: uidFromKey('seg-test/study') },
    seriesInstanceUid: uidFromKey('seg-test/series'),
    frameOfReferenceUid: uidFromKey('seg-test/for'),
    images: Array.from({ length: 6 }, (_, k) => ({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: uidFromKey(`seg-test/image/${k}`),
      position: [0, 1, 2].map((axis) => grid.origin[axis]! + grid.direction[3 * axis + 2]! * k * 2.5) as unknown as Vec3,
      orientation: [grid.direction[0], grid.direction[3], grid.direction[6], grid.direction[1], grid.direction[4], grid.direction[7]],
      rows: 5,
      columns: 7,
    })),
  };
  const written = writeDicomSeg({ labelMap, source, created: { date: '20260101', time: '120000' }, algorithm: { type: 'AUTOMATIC', name: 'Keyhole test' } });

  it('writes one segment per present label and frames only where present', () => {
    expect(written.segments.map((s) => [s.name, s.frames])).toEqual([['L4', 3], ['root_L5_left', 1], ['liver', 4]]);
    expect(written.frames).toBe(8);
    expect(written.framesWithSourceImage).toBe(8);
  });

  it('reads back the same labels on its own grid and on the reference grid', () => {
    const instance = parseDicom({ bytes: written.file.bytes, source: 'seg.dcm' });
    const onReference = readDicomSeg({ instance, reference: grid });
    // Keyhole names keep their fixed values; a foreign structure gets 1000 + its segment number.
    const liver = onReference.labelMap.legend.labels.find((e) => e.name === 'liver');
    expect(liver).toMatchObject({ value: 1003, foreign: true });
    expect(Array.from(onReference.labelMap.volume.data)).toEqual(Array.from(data, (v) => (v === 1077 ? 1003 : v)));
    expect(onReference.segments.map((s) => [s.label, s.name, s.foreign])).toEqual([['L4', 'L4', false], ['root_L5_left', 'root_L5_left', false], ['liver', 'liver', true]]);
    expect(onReference.referencedSeriesInstanceUids).toEqual([source.seriesInstanceUid]);
    const own = readDicomSeg({ instance }).labelMap.volume;
    // Own grid spans the frames (k = 1…5), same orientation and in-plane grid.
    expect(own.size).toEqual([7, 5, 5]);
    own.origin.forEach((v, axis) => expect(v).toBeCloseTo(grid.origin[axis]! + grid.direction[3 * axis + 2]! * 2.5, 3));
  });

  it('refuses to write an empty label map', () => {
    const empty = createLabelMap({ volume: obliqueGrid(size, new Uint16Array(210)), legend: { labels: [{ value: 24, name: 'L4' }] } });
    expect(thrown(() => writeDicomSeg({ labelMap: empty, source, created: { date: '20260101', time: '120000' }, algorithm: { type: 'MANUAL' } })).message).toContain('empty');
  });
});
