/**
 * segmentSurroundingsCt on a small synthetic native CT (3 mm voxels, six axial slices): a trunk with
 * subcutaneous fat and a thin abdominal wall, a vertebra with its canal and spinous process, paraspinal muscles,
 * two psoas muscles (50 HU) beside the body, a kidney (15 HU) in fat lateral to the left psoas, an aorta
 * (40 HU) in front of the vertebra and a gas-filled bowel loop. The spine result is built by hand (label map and
 * centre lines), so only the surroundings analysis is under test. The same CT stored with flipped x and y axes
 * must give the same labels at the same patient positions.
 */
import { describe, expect, it } from 'vitest';
import type { SegmentSpineCtResult } from '../spine/segment-ct.ts';
import type { SpineModel } from '../spine/types.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import { SURROUNDINGS_LABELS as L } from './labels.ts';
import { segmentSurroundingsCt } from './segment-surroundings-ct.ts';

const NX = 70, NY = 60, NZ = 6, S = 3;
const L3 = 23;

/** Tissue at work voxel (x toward the left, y toward posterior), same on every slice. */
function tissue(x: number, y: number): { hu: number; spine: boolean; name: string } {
  const inEllipse = ((x - 35) / 32) ** 2 + ((y - 30) / 26) ** 2;
  if (inEllipse > 1) return { hu: -1000, spine: false, name: 'air' };
  const disc = (cx: number, cy: number, r: number): boolean => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  if (disc(35, 38, 5)) return { hu: 300, spine: true, name: 'vertebra' };
  if (disc(35, 46, 2)) return { hu: 10, spine: true, name: 'canal' };
  if (disc(35, 46, 3.5) || (x === 35 && y >= 49 && y <= 52)) return { hu: 400, spine: true, name: 'posterior elements' };
  if (inEllipse > 0.8) return { hu: -100, spine: false, name: 'subcutaneous fat' };
  if (inEllipse > 0.72) return { hu: 40, spine: false, name: 'wall' };
  if (y >= 47 && y <= 52 && ((x >= 24 && x <= 33) || (x >= 37 && x <= 46))) return { hu: 40, spine: false, name: x > 35 ? 'paraspinal left' : 'paraspinal right' };
  if (disc(44, 38, 4)) return { hu: 50, spine: false, name: 'psoas left' };
  if (disc(26, 38, 4)) return { hu: 50, spine: false, name: 'psoas right' };
  if (disc(55, 38, 5)) return { hu: 15, spine: false, name: 'kidney' };
  if (disc(38, 29, 3)) return { hu: 40, spine: false, name: 'aorta' };
  if (disc(35, 17, 3)) return { hu: -900, spine: false, name: 'bowel gas' };
  if (disc(35, 17, 6)) return { hu: 30, spine: false, name: 'bowel wall' };
  return { hu: -100, spine: false, name: 'visceral fat' };
}

function build(flip: boolean): { ct: Volume; spine: SegmentSpineCtResult } {
  const hu = new Int16Array(NX * NY * NZ);
  const lab = new Uint8Array(NX * NY * NZ);
  for (let z = 0; z < NZ; z++) for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) {
    const t = tissue(x, y);
    const i = flip ? NX - 1 - x : x, j = flip ? NY - 1 - y : y;
    hu[i + NX * (j + NY * z)] = t.hu;
    lab[i + NX * (j + NY * z)] = t.spine ? L3 : 0;
  }
  // Flipped storage: voxel axes point right and anterior; the origin moves to the far corner so world positions match.
  const direction = flip ? [-1, 0, 0, 0, -1, 0, 0, 0, 1] : [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const origin = flip ? [(NX - 1) * S, (NY - 1) * S, 0] : [0, 0, 0];
  const geometry = { size: [NX, NY, NZ], spacing: [S, S, S], origin, direction };
  const ct = createVolume({ ...geometry, data: hu, units: 'HU' });
  const labels = createVolume({ ...geometry, data: lab, units: 'label' });
  const line = (y: number) => Array.from({ length: NZ }, (_, z) => [35 * S, y * S, z * S] as [number, number, number]);
  const model = {
    schemaVersion: 1, space: 'LPS', units: 'mm', status: 'ok', message: 'synthetic', vertebrae: [], discs: [],
    canal: { centreline: line(46) }, bodyCentreline: line(38),
    levelCount: { labels: ['L3'], confidence: 1, verified: true, cues: [], reasons: [], pattern: 'standard' },
  } as unknown as SpineModel;
  return { ct, spine: { model, labels, legend: { labels: [{ value: L3, name: 'L3' }] }, timings: {} } };
}

/** Our label at the work voxel (x, y, z), read through the volume's own world→index transform. */
function labelAt(v: Volume, x: number, y: number, z: number): number {
  const m = v.worldToIndex;
  const p = [x * S, y * S, z * S];
  const idx = [0, 1, 2].map((r) => Math.round(m[4 * r]! * p[0]! + m[4 * r + 1]! * p[1]! + m[4 * r + 2]! * p[2]! + m[4 * r + 3]!));
  return v.data[idx[0]! + NX * (idx[1]! + NY * idx[2]!)]!;
}

describe('segmentSurroundingsCt on a synthetic native CT', () => {
  const keepOut = new Set<number>([L.retroperitoneal_keep_out, L.peritoneal_keep_out, L.bowel_gas]);
  for (const flip of [false, true]) {
    it(`labels the compartments and keeps the organs out${flip ? ' (flipped storage)' : ''}`, () => {
      const { ct, spine } = build(flip);
      const result = segmentSurroundingsCt({ volume: ct, spine });
      const byName = new Map<string, number[]>();
      for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) {
        const name = tissue(x, y).name;
        const list = byName.get(name) ?? [];
        list.push(labelAt(result.labels, x, y, 3));
        byName.set(name, list);
      }
      const share = (name: string, ok: (v: number) => boolean): number => { const l = byName.get(name)!; return l.filter(ok).length / l.length; };
      expect(share('air', (v) => v === 0)).toBe(1);
      expect(share('vertebra', (v) => v === L3)).toBe(1);
      expect(share('kidney', (v) => keepOut.has(v))).toBe(1);
      expect(share('aorta', (v) => keepOut.has(v))).toBe(1);
      expect(share('bowel gas', (v) => v === L.bowel_gas)).toBe(1);
      expect(share('bowel wall', (v) => keepOut.has(v))).toBe(1);
      expect(share('subcutaneous fat', (v) => v === L.fat)).toBeGreaterThan(0.95);
      expect(share('paraspinal left', (v) => v === L.paraspinal_left)).toBe(1);
      expect(share('paraspinal right', (v) => v === L.paraspinal_right)).toBe(1);
      // The psoas's posterior half (behind the body centre) is open but for its lateral tip (the box mean erodes
      // the rim against fat), mostly named psoas (within 15 mm of the midline it is named fat: passable either way).
      for (const [name, value] of [['psoas left', L.psoas_left], ['psoas right', L.psoas_right]] as const) {
        const posterior = [];
        for (let y = 38; y <= 42; y++) for (let x = 0; x < NX; x++) if (tissue(x, y).name === name) posterior.push(labelAt(result.labels, x, y, 3));
        expect(posterior.filter((v) => v !== 0 && !keepOut.has(v)).length / posterior.length, name).toBeGreaterThan(0.9);
        expect(posterior.filter((v) => v === value).length / posterior.length, name).toBeGreaterThan(0.75);
      }
      const names = result.legend.labels.map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining(['L3', 'fat', 'psoas_left', 'paraspinal_right', 'bowel_gas', 'retroperitoneal_keep_out']));
      expect(result.corridorSlices).toBe(NZ);
    });
  }

  it('refuses an MR volume and a spine label map on another grid', () => {
    const { ct, spine } = build(false);
    const mr = createVolume({ size: ct.size, spacing: ct.spacing, origin: ct.origin, direction: ct.direction, data: ct.data, units: 'signal' });
    expect(() => segmentSurroundingsCt({ volume: mr, spine })).toThrow(/needs a CT in HU/);
    const other = createVolume({ size: [10, 10, 10], spacing: [3, 3, 3], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Uint8Array(1000), units: 'label' });
    expect(() => segmentSurroundingsCt({ volume: ct, spine: { ...spine, labels: other } })).toThrow(/not on the CT's grid/);
  });
});
