import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { add, scale, type Vec3 } from '../../geometry/vec3.ts';
import { createVolume, indexToWorld, handedness } from '../../volume/volume.ts';
import { computeStackGeometry, type SlicePlacement } from './slice-geometry.ts';
import { evenOffsets, syntheticStack, type SyntheticStackSpec } from './test-support/synthetic-stack.ts';

/**
 * PS3.3 C.7.6.2.1.1 equation C.7.6.2.1-1, written out independently of the code under test:
 * P = S + X·Δi·i + Y·Δj·j, X = IOP[0..2], Y = IOP[3..5], Δi = PixelSpacing[1] (column spacing),
 * Δj = PixelSpacing[0] (row spacing), i = column index, j = row index.
 */
function dicomPixelToPatient(slice: SlicePlacement, i: number, j: number): Vec3 {
  return add(add(slice.position, scale(slice.rowCosines, slice.pixelSpacing[1] * i)), scale(slice.columnCosines, slice.pixelSpacing[0] * j));
}

/** Every corner pixel of every slice, through the volume's indexToWorld, lands where DICOM says it is. */
function expectVolumeMatchesDicom(slices: SlicePlacement[]): void {
  const result = computeStackGeometry({ slices });
  expect(result.sampling.kind).toBe('direct');
  const { grid } = result;
  const volume = createVolume({ ...grid, data: new Int16Array(grid.size[0] * grid.size[1] * grid.size[2]), units: 'raw' });
  expect(handedness(volume)).toBe(1);
  result.slices.forEach((slice, k) => {
    for (const [i, j] of [[0, 0], [slice.columns - 1, 0], [0, slice.rows - 1], [slice.columns - 1, slice.rows - 1], [3, 1]] as const) {
      const expected = dicomPixelToPatient(slice, i, j);
      const actual = indexToWorld(volume, [i, j, k]);
      for (let a = 0; a < 3; a++) expect(actual[a]).toBeCloseTo(expected[a]!, 6);
    }
  });
}

function shuffled<T>(values: readonly T[]): T[] {
  // Deterministic shuffle: reverse, then interleave halves.
  const r = [...values].reverse();
  const half = Math.ceil(r.length / 2);
  const out: T[] = [];
  for (let n = 0; n < half; n++) {
    out.push(r[n]!);
    if (r[half + n] !== undefined) out.push(r[half + n]!);
  }
  return out;
}

const axial: SyntheticStackSpec = {
  orientation: [1, 0, 0, 0, 1, 0],
  pixelSpacing: [0.5, 0.8],
  rows: 6,
  columns: 4,
  origin: [-100, -120, 30],
  offsetsMm: evenOffsets(5, 2.5),
};

function expectError(fn: () => unknown, code: string): KeyholeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyholeError);
    expect((error as KeyholeError).code).toBe(code);
    return error as KeyholeError;
  }
  throw new Error(`expected ${code}`);
}

describe('computeStackGeometry: placing slices in patient space', () => {
  it('non-square pixels: PixelSpacing[0] is the spacing along j (rows), [1] along i (columns)', () => {
    const result = computeStackGeometry({ slices: syntheticStack(axial) });
    expect(result.grid.size).toEqual([4, 6, 5]);
    expect(result.grid.spacing[0]).toBeCloseTo(0.8, 9);
    expect(result.grid.spacing[1]).toBeCloseTo(0.5, 9);
    expect(result.grid.spacing[2]).toBeCloseTo(2.5, 9);
    expectVolumeMatchesDicom(syntheticStack(axial));
  });

  it('sorts slices along the normal whatever the input order, and measures spacing from positions, not SliceThickness', () => {
    const slices = shuffled(syntheticStack({ ...axial, sliceThickness: 5 }));
    const result = computeStackGeometry({ slices });
    expect(result.slices.map((s) => s.position[2])).toEqual([30, 32.5, 35, 37.5, 40]);
    expect(result.grid.spacing[2]).toBeCloseTo(2.5, 9);
    expect(result.grid.origin).toEqual([-100, -120, 30]);
  });

  it('feet-first stack acquired top to bottom ends up in the same patient-space grid', () => {
    const ffs = syntheticStack({ ...axial, origin: [-100, -120, 40], offsetsMm: evenOffsets(5, -2.5) });
    expectVolumeMatchesDicom(ffs);
    expect(computeStackGeometry({ slices: ffs }).grid.origin).toEqual([-100, -120, 30]);
  });

  it('sagittal stack: i along +y (posterior), j along −z (inferior), k = row × column = −x', () => {
    const sag = syntheticStack({ ...axial, orientation: [0, 1, 0, 0, 0, -1], origin: [20, -100, 80] });
    const result = computeStackGeometry({ slices: sag });
    expect(result.axes[2].map((v) => v + 0)).toEqual([-1, 0, 0]);
    expectVolumeMatchesDicom(sag);
  });

  it('axial-oblique stack (20° about x)', () => {
    const a = (20 * Math.PI) / 180;
    const oblique = syntheticStack({ ...axial, orientation: [1, 0, 0, 0, Math.cos(a), -Math.sin(a)] });
    expectVolumeMatchesDicom(oblique);
  });

  it('prone (HFP) and decubitus (HFDL, HFDR) stacks are placed by IPP/IOP alone', () => {
    const prone = syntheticStack({ ...axial, orientation: [-1, 0, 0, 0, -1, 0], origin: [100, 120, 30] });
    const decubitusLeft = syntheticStack({ ...axial, orientation: [0, -1, 0, 1, 0, 0], origin: [-120, 100, 30] });
    const decubitusRight = syntheticStack({ ...axial, orientation: [0, 1, 0, -1, 0, 0], origin: [120, -100, 30] });
    for (const stack of [prone, decubitusLeft, decubitusRight]) expectVolumeMatchesDicom(stack);
    // Prone: i runs to the patient's right (−x), j to anterior (−y); k still points superior.
    const result = computeStackGeometry({ slices: prone });
    expect(result.axes[2].map((v) => v + 0)).toEqual([0, 0, 1]);
  });

  it('single slice: thickness along the normal from SpacingBetweenSlices, else SliceThickness, else 1 mm with a warning', () => {
    const [one] = syntheticStack({ ...axial, offsetsMm: [0] });
    expect(computeStackGeometry({ slices: [{ ...one!, sliceThickness: 3, spacingBetweenSlices: 4 }] }).grid.spacing[2]).toBe(4);
    expect(computeStackGeometry({ slices: [{ ...one!, sliceThickness: 3 }] }).grid.spacing[2]).toBe(3);
    const bare = computeStackGeometry({ slices: [one!] });
    expect(bare.grid.spacing[2]).toBe(1);
    expect(bare.warnings[0]).toMatch(/1 mm assumed/);
  });
});

describe('computeStackGeometry: problems fail loudly', () => {
  it('a missing slice → DICOM_SLICES_MISSING naming the slices around the gap', () => {
    const gap = syntheticStack({ ...axial, offsetsMm: [0, 2.5, 5, 10, 12.5] });
    const error = expectError(() => computeStackGeometry({ slices: gap }), 'DICOM_SLICES_MISSING');
    expect(error.message).toMatch(/1 slice\(s\) missing between slice-003\.dcm and slice-004\.dcm/);
  });

  it('a missing slice with resampling allowed → uniform grid that spans the gap', () => {
    const gap = syntheticStack({ ...axial, offsetsMm: [0, 2.5, 5, 10, 12.5] });
    const result = computeStackGeometry({ slices: gap, irregularSpacing: 'resample' });
    expect(result.sampling).toEqual({ kind: 'resample', reasons: ['irregular-spacing'] });
    expect(result.grid.size[2]).toBe(6);
    expect(result.grid.spacing[2]).toBeCloseTo(2.5, 9);
    expect(result.warnings[0]).toMatch(/missing/);
  });

  it('uneven spacing → DICOM_SLICES_MISSING describing the uneven gap', () => {
    const uneven = syntheticStack({ ...axial, offsetsMm: [0, 2.5, 5, 8.2, 10.7] });
    const error = expectError(() => computeStackGeometry({ slices: uneven }), 'DICOM_SLICES_MISSING');
    expect(error.message).toMatch(/uneven gap of 3\.200 mm between slice-003\.dcm and slice-004\.dcm/);
  });

  it('spacing within tolerance (DS rounding) is accepted; the tolerance is an option', () => {
    const jitter = syntheticStack({ ...axial, offsetsMm: [0, 2.5004, 5, 7.4998, 10] });
    expect(computeStackGeometry({ slices: jitter }).sampling.kind).toBe('direct');
    expectError(() => computeStackGeometry({ slices: jitter, spacingTolerance: { relative: 0, absoluteMm: 1e-5 } }), 'DICOM_SLICES_MISSING');
  });

  it('duplicate positions → DICOM_SERIES_INCONSISTENT naming both slices', () => {
    const dup = syntheticStack({ ...axial, offsetsMm: [0, 2.5, 2.5, 5] });
    const error = expectError(() => computeStackGeometry({ slices: dup }), 'DICOM_SERIES_INCONSISTENT');
    expect(error.message).toMatch(/slice-002\.dcm = slice-003\.dcm/);
  });

  it('mixed sizes in one stack → DICOM_SERIES_INCONSISTENT naming the slice that differs', () => {
    const slices = syntheticStack(axial);
    slices[3] = { ...slices[3]!, rows: 8 };
    const error = expectError(() => computeStackGeometry({ slices }), 'DICOM_SERIES_INCONSISTENT');
    expect(error.message).toMatch(/slice-004\.dcm has size 4×8 instead of 4×6/);
  });

  it('non-orthogonal orientation → GEOMETRY_INVALID', () => {
    const skew = syntheticStack({ ...axial, orientation: [1, 0, 0, 0.1, 0.995, 0] });
    expectError(() => computeStackGeometry({ slices: skew }), 'GEOMETRY_INVALID');
  });
});

describe('computeStackGeometry: gantry tilt', () => {
  // 15° tilt: each slice's origin moves tan(15°)·Δz along the column direction (y).
  const tilt = Math.tan((15 * Math.PI) / 180);
  const tilted = syntheticStack({ ...axial, shearPerMm: tilt, gantryTiltDeg: 15 });

  it('default: resample onto an untilted grid whose slices lie in the input planes', () => {
    const result = computeStackGeometry({ slices: tilted });
    expect(result.sampling).toEqual({ kind: 'resample', reasons: ['gantry-tilt'] });
    expect(result.shearAngleDeg).toBeCloseTo(15, 6);
    expect(result.grid.origin).toEqual(tilted[0]!.position);
    expect(result.grid.spacing[2]).toBeCloseTo(2.5, 9);
    expect(result.warnings[0]).toMatch(/gantry-tilted.*15\.00°.*GantryDetectorTilt 15°/);
  });

  it('refuse: DICOM_GANTRY_TILT with the angle', () => {
    const error = expectError(() => computeStackGeometry({ slices: tilted, gantryTilt: 'refuse' }), 'DICOM_GANTRY_TILT');
    expect(error.message).toMatch(/15\.00°/);
  });

  it('GantryDetectorTilt without sheared positions needs no correction (orientation already tilted)', () => {
    const result = computeStackGeometry({ slices: syntheticStack({ ...axial, gantryTiltDeg: 12 }) });
    expect(result.sampling.kind).toBe('direct');
    expect(result.warnings[0]).toMatch(/no correction is needed/);
  });
});
