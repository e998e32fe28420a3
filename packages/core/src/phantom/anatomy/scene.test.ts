import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { indexToWorld } from '../../volume/volume.ts';
import type { Vec3 } from '../../geometry/vec3.ts';
import { LABELS } from '../vocabulary.ts';
import { TISSUE_CODES } from '../tissue.ts';
import { buildSpineScene } from './scene.ts';
import { rasterizeScene } from './rasterize.ts';
import { createRng } from './prng.ts';
import type { SpineScene, SpineSceneOptions } from './types.ts';

const truth = (scene: SpineScene) =>
  JSON.stringify({ legend: scene.legend, levels: scene.levels, vertebrae: scene.vertebrae, discs: scene.discs, roots: scene.roots, landmarks: scene.landmarks, bounds: scene.bounds, morphometry: scene.morphometry });

/** A grid over the scene's body box (plus a margin of air), axis-aligned, `spacing` mm. */
function bodyGrid(scene: SpineScene, spacing: number) {
  const margin = 4;
  const origin = scene.bounds.min.map((v) => v - margin);
  const size = [0, 1, 2].map((a) => Math.ceil((scene.bounds.max[a]! - scene.bounds.min[a]! + 2 * margin) / spacing) + 1);
  return { size, spacing: [spacing, spacing, spacing], origin };
}

function expectLandmarksInside(scene: SpineScene): void {
  const wrong = Object.entries(scene.landmarks)
    .map(([name, landmark]) => ({ name, want: landmark.structure, got: scene.legend[scene.classify(landmark.point).label] }))
    .filter((r) => r.want !== r.got);
  expect(wrong).toEqual([]);
}

describe('buildSpineScene', () => {
  it('is deterministic for a seed and varies with it', () => {
    const a = buildSpineScene({ seed: 7 });
    const b = buildSpineScene({ seed: 7 });
    const c = buildSpineScene({ seed: 8 });
    expect(truth(a)).toBe(truth(b));
    expect(truth(a)).not.toBe(truth(c));
    const rng = createRng(99);
    for (let n = 0; n < 2000; n++) {
      const p: Vec3 = [rng.uniform(-150, 150), rng.uniform(-150, 120), rng.uniform(-200, 300)];
      expect(a.classify(p)).toEqual(b.classify(p));
    }
  });

  it('covers T10 to the sacrum by default, with discs and roots named by the clinical rules', () => {
    const scene = buildSpineScene({ seed: 1 });
    expect(scene.levels.vertebrae).toEqual(['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'sacrum']);
    expect(scene.levels.discs).toEqual(['T10-T11', 'T11-T12', 'T12-L1', 'L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-S1']);
    expect(scene.levels.lumbarTypeCount).toBe(5);
    // The Ln root exits below the Ln pedicle, through the Ln–Ln+1 foramen [Witek].
    const l5 = scene.roots.find((r) => r.name === 'root_L5_left')!;
    expect(l5.foramen).toBe('L5-S1');
    expect(l5.pedicleOf).toBe('L5');
    expect(scene.roots.map((r) => r.nerve)).toContain('S1');
    expect(scene.legend[LABELS['rib_T10_left']]).toBe('rib_T10_left');
    expect(scene.legend[0]).toBe('background');
  });

  it('has morphometry within published ranges', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const scene = buildSpineScene({ seed });
      for (const v of scene.vertebrae.filter((x) => x.region === 'lumbar')) {
        // ~27 mm lumbar body height [Witek], scaled by body size (±8%) and varied ±5%.
        expect(v.body.posteriorHeightMm).toBeGreaterThan(22);
        expect(v.body.posteriorHeightMm).toBeLessThan(32);
      }
      // Disc heights inside the [JOSR2018] reference ranges (scaled by body size up to 1.03).
      const ranges: Record<string, [number, number]> = { 'L1-L2': [6.25, 10.99], 'L2-L3': [6.97, 12.08], 'L3-L4': [7.42, 13.3], 'L4-L5': [7.76, 14.57], 'L5-S1': [7.11, 13.12] };
      for (const [name, [min, max]] of Object.entries(ranges)) {
        const disc = scene.discs.find((d) => d.name === name)!;
        expect(disc.middleHeightMm).toBeGreaterThan(min * 0.95);
        expect(disc.middleHeightMm).toBeLessThan(max * 1.05);
      }
      // Lordosis from supine 36.8 ± 13.2° [PMC6680033], clamped.
      expect(scene.morphometry.lordosisDeg).toBeGreaterThanOrEqual(25);
      expect(scene.morphometry.lordosisDeg).toBeLessThanOrEqual(55);
    }
  });

  it('puts every landmark inside the structure it names', () => {
    for (const options of [{ seed: 1 }, { seed: 2, levels: { from: 'C1', to: 'coccyx' } }, { seed: 3, body: { size: 'small' } }, { seed: 4, levels: { from: 'L3', to: 'L5' } }] as SpineSceneOptions[]) {
      const scene = buildSpineScene(options);
      expect(Object.keys(scene.landmarks).length).toBeGreaterThan(30);
      expectLandmarksInside(scene);
    }
  });

  it("marks Kambin's triangle between the sac, the exiting root's ganglion and the superior articular process [MIS2017]", () => {
    const scene = buildSpineScene({ seed: 8 });
    for (const disc of scene.discs.filter((d) => /^L\d-/.test(d.name))) {
      for (const side of ['left', 'right'] as const) {
        const point = scene.landmarks[`kambin_${disc.name}_${side}`]!.point;
        const upper = scene.vertebrae.find((v) => v.name === disc.upper)!;
        const lower = scene.vertebrae.find((v) => v.name === disc.lower)!;
        const lateral = (p: Vec3): number => Math.abs((p[0] - disc.centre[0]) * upper.axes.left[0]);
        const exiting = scene.roots.find((r) => r.pedicleOf === disc.upper && r.side === side)!;
        expect(lateral(point)).toBeLessThan(lateral(exiting.ganglionCentre));
        expect(lateral(point)).toBeGreaterThan(upper.body.widthMm / 2 - 15);
        // Above the lower endplate, in front of the superior articular process of the lower vertebra.
        const aboveLower = (point[0] - lower.superiorEndplate.centre[0]) * lower.superiorEndplate.normal[0] + (point[1] - lower.superiorEndplate.centre[1]) * lower.superiorEndplate.normal[1] + (point[2] - lower.superiorEndplate.centre[2]) * lower.superiorEndplate.normal[2];
        expect(aboveLower).toBeGreaterThan(0);
        const sap = lower.superiorArticularTips?.[side];
        if (sap !== undefined) expect((sap[1] - point[1]) * disc.posterior[1] + (sap[2] - point[2]) * disc.posterior[2]).toBeGreaterThan(3);
      }
    }
  });

  it.each([
    ['coccyx', 'coccyx'], ['sacrum', 'sacrum'], ['L5', 'L5'], ['C1', 'C1'], ['T1', 'T2'], ['L1', 'L2'], ['S1', 'coccyx'],
  ])('builds the range %s → %s with its landmarks inside and its legend painted', (from, to) => {
    const scene = buildSpineScene({ seed: 3, levels: { from, to } });
    expectLandmarksInside(scene);
    const { labels } = rasterizeScene({ scene, grid: bodyGrid(scene, 1.5) });
    const present = new Set(labels.data);
    expect(Object.entries(scene.legend).filter(([value]) => !present.has(Number(value))).map(([, name]) => name)).toEqual([]);
  });

  it('disc normals point superior and posterior axes posterior', () => {
    const scene = buildSpineScene({ seed: 4 });
    for (const disc of scene.discs) {
      expect(disc.normal[2]).toBeGreaterThan(0.5);
      expect(disc.posterior[1]).toBeGreaterThan(0.5);
      expect(Math.hypot(...disc.normal)).toBeCloseTo(1, 9);
      // Lordotic lumbar discs are taller in front.
      if (/^L\d-(L|S)/.test(disc.name)) expect(disc.anteriorHeightMm).toBeGreaterThan(disc.posteriorHeightMm);
    }
  });

  it('refuses unknown levels, naming the field', () => {
    const fail = (options: SpineSceneOptions): KeyholeError => {
      try {
        buildSpineScene(options);
      } catch (error) {
        return error as KeyholeError;
      }
      throw new Error('expected an error');
    };
    const bad = fail({ seed: 1, levels: { from: 'L9', to: 'sacrum' } });
    expect(bad).toBeInstanceOf(KeyholeError);
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.path).toBe('levels.from');
    expect(bad.message).toContain('L9');
    expect(fail({ seed: 1, levels: { from: 'L6', to: 'sacrum' } }).path).toBe('levels.from');
    expect(fail({ seed: 1, levels: { from: 'L5', to: 'L1' } }).path).toBe('levels');
    expect(fail({ seed: 1, levels: { from: 'L1', to: 'L3' }, pathology: [{ kind: 'central-stenosis', level: 'L4-L5', grade: 'mild' }] }).path).toBe('pathology[0].level');
    expect(fail({ seed: 1, pathology: [{ kind: 'disc-herniation', level: 'L4-L5', zone: 'foraminal', type: 'extrusion' }] }).path).toBe('pathology[0].side');
  });
});

describe('rasterizeScene', () => {
  it('paints every label of the legend and agrees with classify at voxel centres (axis-aligned grid)', () => {
    const scene = buildSpineScene({ seed: 5 });
    const grid = bodyGrid(scene, 1.5);
    const { labels, tissue } = rasterizeScene({ scene, grid });
    expect(labels.units).toBe('label');
    const present = new Set(labels.data);
    const missing = Object.entries(scene.legend).filter(([value]) => !present.has(Number(value))).map(([, name]) => name);
    expect(missing).toEqual([]);
    // Every voxel of three whole slices and 20,000 random voxels agree with classify.
    const [ni, nj, nk] = labels.size;
    const rng = createRng(5);
    const check = (i: number, j: number, k: number): void => {
      const offset = i + ni * (j + nj * k);
      const expected = scene.classify(indexToWorld(labels, [i, j, k]));
      if (labels.data[offset] !== expected.label || tissue[offset] !== TISSUE_CODES[expected.tissue]) {
        expect({ i, j, k, label: labels.data[offset], tissue: tissue[offset] }).toEqual({ i, j, k, label: expected.label, tissue: TISSUE_CODES[expected.tissue] });
      }
    };
    for (const k of [Math.floor(nk * 0.3), Math.floor(nk * 0.55), Math.floor(nk * 0.8)]) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++) check(i, j, k);
    for (let n = 0; n < 20000; n++) check(Math.floor(rng.next() * ni), Math.floor(rng.next() * nj), Math.floor(rng.next() * nk));
  });

  it('agrees with classify on an oblique grid (per-voxel path) and on a sagittal grid', () => {
    const scene = buildSpineScene({ seed: 6, pathology: [{ kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion' }] });
    const disc = scene.discs.find((d) => d.name === 'L4-L5')!;
    const c = Math.cos(0.4), s = Math.sin(0.4);
    // Rotation about x (tilted like an axial stack angled along a disc), then about z: i has a z component.
    const rot = [c, -s * c, s * s, s, c * c, -c * s, 0, s, c];
    const grids = [
      { size: [48, 40, 36], spacing: [1.3, 1.1, 1.7], direction: rot },
      { size: [90, 120, 3], spacing: [0.8, 0.8, 3], direction: [0, 0, 1, 1, 0, 0, 0, -1, 0] },
    ];
    for (const g of grids) {
      const half = g.size.map((n, a) => ((n - 1) * g.spacing[a]!) / 2);
      const d = g.direction;
      const origin = [0, 1, 2].map((r) => disc.centre[r]! - (d[3 * r]! * half[0]! + d[3 * r + 1]! * half[1]! + d[3 * r + 2]! * half[2]!));
      const { labels, tissue } = rasterizeScene({ scene, grid: { ...g, origin } });
      const [ni, nj, nk] = labels.size;
      let mismatches = 0;
      for (let k = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++) {
        const expected = scene.classify(indexToWorld(labels, [i, j, k]));
        const offset = i + ni * (j + nj * k);
        if (labels.data[offset] !== expected.label || tissue[offset] !== TISSUE_CODES[expected.tissue]) mismatches++;
      }
      expect(mismatches).toBe(0);
      expect(new Set(labels.data).has(LABELS['herniation_L4-L5'])).toBe(true);
    }
  });

  it('agrees with classify at every voxel of a whole coarse grid with flipped axes (span fast paths)', () => {
    const scene = buildSpineScene({ seed: 9, variant: { kind: 'sacralized-L5', castellvi: 'IV' }, pathology: [{ kind: 'central-stenosis', level: 'L3-L4', grade: 'moderate' }] });
    // Radiological axial orientation: i towards the patient's right (−x), j posterior, k inferior.
    const spacing = [5.3, 4.7, 5.9];
    const size = [0, 1, 2].map((a) => Math.ceil((scene.bounds.max[a]! - scene.bounds.min[a]!) / spacing[a]!) + 1);
    const origin = [scene.bounds.max[0] + 0.37, scene.bounds.min[1] - 0.21, scene.bounds.max[2] + 0.13];
    const { labels, tissue } = rasterizeScene({ scene, grid: { size, spacing, origin, direction: [-1, 0, 0, 0, 1, 0, 0, 0, -1] } });
    const [ni, nj, nk] = labels.size;
    let mismatches = 0;
    for (let k = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++) {
      const expected = scene.classify(indexToWorld(labels, [i, j, k]));
      const offset = i + ni * (j + nj * k);
      if (labels.data[offset] !== expected.label || tissue[offset] !== TISSUE_CODES[expected.tissue]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('rasterises a 256³ lumbar grid (performance sanity, no timing assertion)', () => {
    const scene = buildSpineScene({ seed: 2, levels: { from: 'L1', to: 'sacrum' } });
    const l3 = scene.vertebrae.find((v) => v.name === 'L3')!.centroid;
    const spacing = 1.4;
    const origin = l3.map((v) => v - 128 * spacing);
    const started = performance.now();
    const { labels } = rasterizeScene({ scene, grid: { size: [256, 256, 256], spacing: [spacing, spacing, spacing], origin } });
    const seconds = (performance.now() - started) / 1000;
    expect(labels.data.length).toBe(256 ** 3);
    expect(seconds).toBeLessThan(120);
  });
});
