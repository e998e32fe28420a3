import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../errors/keyhole-error.ts';
import { dot, type Vec3 } from '../geometry/vec3.ts';
import { createVolume, indexToWorld, type Volume } from '../volume/volume.ts';
import { DEFAULT_ATTENUATION, muFromHu } from './attenuation.ts';
import { DEFAULT_C_ARM_GEOMETRY, anglesForView, parseCArmView, type CArmGeometry, type CArmPose } from './c-arm.ts';
import { detectorPixelToWorld, projectPoint, projectionFromPose, type DrrProjection } from './projection.ts';
import { drrRowJob, prepareDrrVolume, renderDrr } from './render-drr.ts';
import { traceDrrRows } from './trace-rows.ts';

const small: CArmGeometry = { ...DEFAULT_C_ARM_GEOMETRY, detectorPixels: [48, 40], detectorSizeMm: [240, 200] };

function pose(primaryDeg: number, secondaryDeg: number, isocentre: Vec3 = [0, 0, 0], geometry = small): CArmPose {
  return { geometry, isocentre, primaryDeg, secondaryDeg };
}

/** A CT grid centred on `centre` whose voxel values come from `hu(world point)`. */
function ctVolume(size: Vec3, spacing: Vec3, direction: readonly number[], hu: (p: Vec3) => number, centre: Vec3 = [0, 0, 0]): Volume {
  const data = new Int16Array(size[0] * size[1] * size[2]);
  const probe = createVolume({ size, spacing, origin: [0, 0, 0], direction, data, units: 'HU' });
  const mid = indexToWorld(probe, [(size[0] - 1) / 2, (size[1] - 1) / 2, (size[2] - 1) / 2]);
  const volume = createVolume({ size, spacing, origin: [centre[0] - mid[0], centre[1] - mid[1], centre[2] - mid[2]], direction, data, units: 'HU' });
  for (let k = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      for (let i = 0; i < size[0]; i++) data[i + size[0] * (j + size[1] * k)] = hu(indexToWorld(volume, [i, j, k]));
    }
  }
  return volume;
}

/** Length of the segment a→b inside the axis-aligned world box [lo, hi] (slab method in mm). */
function chordInBox(a: Vec3, b: Vec3, lo: Vec3, hi: Vec3): number {
  let t0 = 0;
  let t1 = 1;
  for (let axis = 0; axis < 3; axis++) {
    const d = b[axis]! - a[axis]!;
    if (d === 0) {
      if (a[axis]! < lo[axis]! || a[axis]! > hi[axis]!) return 0;
      continue;
    }
    const ta = (lo[axis]! - a[axis]!) / d;
    const tb = (hi[axis]! - a[axis]!) / d;
    t0 = Math.max(t0, Math.min(ta, tb));
    t1 = Math.min(t1, Math.max(ta, tb));
  }
  return t1 > t0 ? (t1 - t0) * Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) : 0;
}

/** Centroid of the pixels above half the maximum, and the maximum. */
function peak(data: ArrayLike<number>, width: number): { i: number; j: number; value: number } {
  let max = 0;
  for (let p = 0; p < data.length; p++) max = Math.max(max, data[p]!);
  let [si, sj, sw] = [0, 0, 0];
  for (let p = 0; p < data.length; p++) {
    const w = data[p]! - max / 2;
    if (w > 0) [si, sj, sw] = [si + w * (p % width), sj + w * Math.floor(p / width), sw + w];
  }
  return { i: si / sw, j: sj / sw, value: max };
}

describe('C-arm poses and named views', () => {
  it('follows DICOM positioner angles: detector anterior at 0°, left at LAO 90°, head-ward when cranial', () => {
    expect(projectionFromPose(pose(0, 0)).beamDirection.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, -1, 0]);
    expect(projectionFromPose(pose(90, 0)).beamDirection[0]).toBeCloseTo(1, 12);
    expect(projectionFromPose(pose(-90, 0)).beamDirection[0]).toBeCloseTo(-1, 12);
    const cranial = projectionFromPose(pose(0, 20)).beamDirection;
    expect(cranial[2]).toBeCloseTo(Math.sin((20 * Math.PI) / 180), 12);
  });

  it('names views for the table-side source: AP puts the detector anterior for supine, posterior for prone', () => {
    expect(anglesForView(parseCArmView('ap'), 'supine')).toEqual({ primaryDeg: 0, secondaryDeg: 0 });
    expect(anglesForView(parseCArmView('ap'), 'prone')).toEqual({ primaryDeg: 180, secondaryDeg: 0 });
    expect(anglesForView(parseCArmView('lateral'), 'prone')).toEqual({ primaryDeg: 90, secondaryDeg: 0 });
    expect(anglesForView(parseCArmView('lateral-right'), 'supine')).toEqual({ primaryDeg: -90, secondaryDeg: 0 });
    // oblique:+θ swings the detector toward the patient's left in both positions.
    for (const position of ['supine', 'prone'] as const) {
      const u = projectionFromPose(pose(anglesForView(parseCArmView('oblique:30'), position).primaryDeg, 0)).beamDirection;
      expect(u[0]).toBeCloseTo(0.5, 12);
      expect(Math.abs(u[1])).toBeCloseTo(Math.cos(Math.PI / 6), 12);
    }
    expect(parseCArmView('oblique')).toEqual({ kind: 'oblique', degrees: 45 });
    // Kept in DICOM's (−180°, 180°]: prone, 20° toward the right = detector behind and to the right.
    expect(anglesForView(parseCArmView('oblique:-20'), 'prone').primaryDeg).toBe(-160);
  });

  it('lays the image out as it is read: cranial up; left on the right for supine AP, on the left for prone AP', () => {
    const supine = projectionFromPose(pose(0, 0));
    expect(supine.iAxis[0]).toBeCloseTo(1, 12);
    expect(supine.jAxis[2]).toBeCloseTo(-1, 12);
    const prone = projectionFromPose(pose(180, 0));
    expect(prone.iAxis[0]).toBeCloseTo(-1, 12);
    expect(prone.jAxis[2]).toBeCloseTo(-1, 12);
    const lateral = projectionFromPose(pose(90, 0));
    expect(lateral.iAxis[1]).toBeCloseTo(1, 12); // posterior (the spine) on the right, the patient facing left
  });

  it('places source and detector at the configured distances', () => {
    const p = projectionFromPose(pose(30, -10, [5, -7, 40]));
    const d = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    expect(d(p.source, p.isocentre)).toBeCloseTo(small.sourceToIsocentreMm, 9);
    expect(d(p.source, p.detectorCentre)).toBeCloseTo(small.sourceToDetectorMm, 9);
    expect(dot(p.iAxis, p.beamDirection)).toBeCloseTo(0, 12);
    expect(dot(p.jAxis, p.beamDirection)).toBeCloseTo(0, 12);
  });

  it('refuses bad views and geometry, naming the field', () => {
    expect(() => parseCArmView('pa')).toThrow(KeyholeError);
    expect(() => parseCArmView('oblique:95')).toThrow(/out of range/);
    expect(() => projectionFromPose({ ...pose(0, 0), geometry: { ...small, sourceToIsocentreMm: 1200 } })).toThrow(/pose\.geometry\.sourceToIsocentreMm/);
    expect(() => projectionFromPose(pose(0, 89))).toThrow(/pose\.secondaryDeg/);
  });
});

describe('projectPoint', () => {
  it('maps the isocentre to the detector centre with magnification SID/SOD, and detector pixels onto themselves', () => {
    const p = projectionFromPose(pose(25, 15, [10, 20, 30]));
    const iso = projectPoint(p, p.isocentre)!;
    expect(iso.i).toBeCloseTo((small.detectorPixels[0] - 1) / 2, 9);
    expect(iso.j).toBeCloseTo((small.detectorPixels[1] - 1) / 2, 9);
    expect(iso.magnification).toBeCloseTo(small.sourceToDetectorMm / small.sourceToIsocentreMm, 12);
    const onDetector = projectPoint(p, detectorPixelToWorld(p, 7.25, 31))!;
    expect(onDetector.i).toBeCloseTo(7.25, 9);
    expect(onDetector.j).toBeCloseTo(31, 9);
    expect(projectPoint(p, p.source)).toBeUndefined();
  });
});

describe('renderDrr: exact path lengths', () => {
  // A box of water (0 HU) filling the whole grid: every ray's line integral is μ_water × its chord.
  const water = ctVolume([20, 16, 12], [2.5, 3, 4], [1, 0, 0, 0, 1, 0, 0, 0, 1], () => 0, [3, -4, 6]);
  const lo = indexToWorld(water, [-0.5, -0.5, -0.5]);
  const hi = indexToWorld(water, [19.5, 15.5, 11.5]);

  const cases: Array<[string, number, number]> = [['AP', 0, 0], ['lateral', 90, 0], ['oblique', 37, 0], ['oblique cranial', -52, 23]];
  for (const [name, primary, secondary] of cases) {
    it(`${name}: every pixel equals μ_water × the analytic chord through the box (to 1e-5)`, () => {
      const projection = projectionFromPose(pose(primary, secondary, [3, -4, 6], { ...small, detectorSizeMm: [180, 150] }));
      const { image } = renderDrr(water, projection);
      let worst = 0;
      let hits = 0;
      for (let j = 0; j < projection.size[1]; j++) {
        for (let i = 0; i < projection.size[0]; i++) {
          const expected = muFromHu(0) * chordInBox(projection.source, detectorPixelToWorld(projection, i, j), lo, hi);
          if (expected > 0) hits++;
          worst = Math.max(worst, Math.abs(image.data[j * projection.size[0] + i]! - expected));
        }
      }
      expect(hits).toBeGreaterThan(100);
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('gives the same image whatever the storage order of the voxels (flipped and permuted direction matrices)', () => {
    const bead = (p: Vec3): number => (Math.hypot(p[0] - 12, p[1] + 5, p[2] - 8) < 9 ? 1200 : Math.hypot(p[0], p[1], p[2] * 0.5) < 30 ? 40 : -1000);
    const identity = ctVolume([40, 36, 32], [2, 2, 2], [1, 0, 0, 0, 1, 0, 0, 0, 1], bead);
    // Columns are the LPS directions of i, j, k: i → −x, j → +z, k → +y (a flipped, permuted grid).
    const permuted = ctVolume([40, 32, 36], [2, 2, 2], [-1, 0, 0, 0, 0, 1, 0, 1, 0], bead);
    const projection = projectionFromPose(pose(30, 10));
    const a = renderDrr(identity, projection).image.data;
    const b = renderDrr(permuted, projection).image.data;
    let worst = 0;
    for (let p = 0; p < a.length; p++) worst = Math.max(worst, Math.abs(a[p]! - b[p]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it('shows a dense bead where projectPoint puts it, in every view', () => {
    const centre: Vec3 = [14, -9, 21];
    const volume = ctVolume([48, 48, 48], [2, 2, 2], [1, 0, 0, 0, 1, 0, 0, 0, 1], (p) => (Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]) < 5 ? 2000 : -1000));
    for (const [primary, secondary] of [[0, 0], [180, 0], [90, 0], [-40, 15]] as const) {
      const projection: DrrProjection = projectionFromPose(pose(primary, secondary, [0, 0, 0], { ...small, detectorPixels: [120, 120], detectorSizeMm: [240, 240] }));
      const image = renderDrr(volume, projection).image;
      const found = peak(image.data, 120);
      const expected = projectPoint(projection, centre)!;
      expect(Math.abs(found.i - expected.i), `primary ${primary}`).toBeLessThan(0.25);
      expect(Math.abs(found.j - expected.j), `primary ${primary}`).toBeLessThan(0.25);
      // ~10 mm of bone-density material on the ray through the centre.
      expect(found.value).toBeGreaterThan(8 * muFromHu(2000));
    }
  });

  it('splits by rows: any row ranges give the same image as one pass', () => {
    const volume = ctVolume([24, 24, 24], [3, 3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1], (p) => Math.round(p[0] * 10 + p[2] * 5));
    const projection = projectionFromPose(pose(20, -5));
    const job = drrRowJob(prepareDrrVolume(volume), projection);
    const whole = new Float32Array(job.columns * job.rows);
    traceDrrRows(job, 0, job.rows, whole);
    const parts = new Float32Array(job.columns * job.rows);
    for (const [a, b] of [[0, 7], [7, 8], [8, 31], [31, job.rows]] as const) traceDrrRows(job, a, b, parts);
    expect(parts).toEqual(whole);
  });

  it('returns a PlanarImage placed in LPS, with detector spacing and the isocentre magnification', () => {
    const projection = projectionFromPose(pose(0, 0));
    const { image } = renderDrr(water, projection);
    expect(image.size).toEqual(small.detectorPixels);
    expect(image.spacing).toEqual([5, 5]);
    expect(image.spacingPlane).toBe('detector');
    expect(image.magnification).toBeCloseTo(1000 / 600, 12);
    expect(image.placement?.origin).toEqual(detectorPixelToWorld(projection, 0, 0));
  });

  it('refuses a volume that is not CT', () => {
    const mr = createVolume({ size: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Float32Array(8), units: 'signal' });
    expect(() => renderDrr(mr, projectionFromPose(pose(0, 0)))).toThrow(/Hounsfield/);
  });

  it('converts float CT voxels the same way as integer ones', () => {
    const asFloat = createVolume({ ...water, data: Float32Array.from(water.data) });
    const projection = projectionFromPose(pose(15, 5, [3, -4, 6]));
    const a = renderDrr(water, projection).image.data;
    const b = renderDrr(asFloat, projection).image.data;
    expect(Array.from(b).map((v, p) => Math.abs(v - a[p]!)).reduce((m, v) => Math.max(m, v), 0)).toBeLessThan(1e-6);
    expect(DEFAULT_ATTENUATION.muWaterPerMm).toBeGreaterThan(0);
  });
});
