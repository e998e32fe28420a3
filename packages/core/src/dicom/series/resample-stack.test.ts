import { describe, expect, it } from 'vitest';
import { add, dot, scale, type Vec3 } from '../../geometry/vec3.ts';
import { createVolume, indexToWorld } from '../../volume/volume.ts';
import { resampleSliceStack, type StackPlane } from './resample-stack.ts';
import { computeStackGeometry, type SlicePlacement } from './slice-geometry.ts';
import { syntheticStack } from './test-support/synthetic-stack.ts';

/** Linear in world coordinates, so linear/bilinear interpolation must reproduce it exactly. */
const field = (p: Vec3): number => 3 * p[0] + 2 * p[1] - 0.5 * p[2] + 100;

function planesOf(slices: readonly SlicePlacement[]): StackPlane[] {
  return slices.map((s) => {
    const values = new Float32Array(s.columns * s.rows);
    for (let j = 0; j < s.rows; j++)
      for (let i = 0; i < s.columns; i++) {
        const p = add(add(s.position, scale(s.rowCosines, s.pixelSpacing[1] * i)), scale(s.columnCosines, s.pixelSpacing[0] * j));
        values[i + s.columns * j] = field(p);
      }
    return { position: s.position, columns: s.columns, rows: s.rows, pixelSpacing: s.pixelSpacing, values };
  });
}

function check(slices: SlicePlacement[], irregular: boolean): { filled: number; checked: number } {
  const geometry = computeStackGeometry({ slices, ...(irregular ? { irregularSpacing: 'resample' as const } : {}) });
  expect(geometry.sampling.kind).toBe('resample');
  const { values, filledCount } = resampleSliceStack({ planes: planesOf(geometry.slices), axes: geometry.axes, grid: geometry.grid, fill: -1 });
  const volume = createVolume({ ...geometry.grid, data: values, units: 'raw' });
  const [ni, nj, nk] = geometry.grid.size;
  let checked = 0;
  for (let k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++) {
        const v = values[i + ni * (j + nj * k)]!;
        if (v === -1) continue;
        checked++;
        expect(v).toBeCloseTo(field(indexToWorld(volume, [i, j, k])), 2);
      }
  return { filled: filledCount, checked };
}

describe('resampleSliceStack', () => {
  const base = { orientation: [1, 0, 0, 0, 1, 0] as const, pixelSpacing: [0.7, 0.9] as const, rows: 20, columns: 16, origin: [-10, -20, 5] as Vec3 };

  it('gantry tilt: every output voxel holds the value at its own world position; the sheared-out border is filled', () => {
    const tilt = Math.tan((20 * Math.PI) / 180);
    const slices = syntheticStack({ ...base, offsetsMm: [0, 1.5, 3, 4.5, 6, 7.5], shearPerMm: tilt });
    const { filled, checked } = check(slices, false);
    // Slice k is shifted by k·1.5·tan20° = 0.546·k mm = 0.78·k rows: the grid grows by ceil(3.9) = 4
    // rows so the last slice is not cut off, and the uncovered corners are filled.
    expect(filled).toBeGreaterThan(0);
    expect(checked + filled).toBe(16 * 24 * 6);
    // Output slices lie in the input planes: same offsets along the normal.
    const geometry = computeStackGeometry({ slices });
    for (let k = 0; k < 6; k++) expect(dot(add(geometry.grid.origin, scale(geometry.axes[2], geometry.grid.spacing[2] * k)), geometry.axes[2])).toBeCloseTo(dot(slices[k]!.position, geometry.axes[2]), 6);
  });

  it('missing slice: the gap is interpolated between its neighbours', () => {
    const slices = syntheticStack({ ...base, offsetsMm: [0, 2, 4, 8, 10] });
    const { filled, checked } = check(slices, true);
    expect(filled).toBe(0);
    expect(checked).toBe(16 * 20 * 6);
  });

  it('oblique, tilted and uneven at once', () => {
    const a = 0.4;
    const slices = syntheticStack({ ...base, orientation: [Math.cos(a), Math.sin(a), 0, 0, 0, -1], offsetsMm: [0, 1, 2, 3.6, 4.6], shearPerMm: 0.2 });
    const { checked } = check(slices, true);
    expect(checked).toBeGreaterThan(16 * 20 * 3);
  });
});
