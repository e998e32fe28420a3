import { describe, expect, it } from 'vitest';
import { distanceToPlane, nearestSlice, projectOntoPlane, slicePlane, sliceSpacingMm, type SlicePlane } from './slice-sync.ts';

/** A stack of `count` slices `spacing` mm apart from `origin` along the normal of the orientation. */
function stack(orientation: number[], origin: [number, number, number], spacing: number, count: number): SlicePlane[] {
  const first = slicePlane(orientation, origin)!;
  return Array.from({ length: count }, (_, k) => slicePlane(orientation, [0, 1, 2].map((a) => origin[a]! + k * spacing * first.normal[a]!))!);
}

const AXIAL = [1, 0, 0, 0, 1, 0]; // rows along +x (L), columns along +y (P): normal +z (S)
const SAGITTAL = [0, 1, 0, 0, 0, -1]; // rows along +y (P), columns down (-z): normal -x (R)

describe('slice position sync in LPS', () => {
  it('takes the normal of a slice as row × column of Image Orientation (Patient)', () => {
    expect(slicePlane(AXIAL, [0, 0, 5])!.normal).toEqual([0, 0, 1]);
    expect(slicePlane(SAGITTAL, [0, 0, 0])!.normal).toEqual([-1, 0, 0]);
    expect(slicePlane([1, 0, 0], [0, 0, 0])).toBeUndefined();
    expect(slicePlane(AXIAL, [0, Number.NaN, 0])).toBeUndefined();
  });

  it('finds the axial slice of a point picked on a sagittal image', () => {
    const axial = stack(AXIAL, [-100, -100, -40], 4, 21); // z from -40 to 40
    const point: [number, number, number] = [12, -30, 9.1];
    const nearest = nearestSlice(axial, point)!;
    expect(nearest.index).toBe(12); // z = 8
    expect(nearest.distanceMm).toBeCloseTo(1.1, 6);
    expect(Math.abs(nearest.distanceMm)).toBeLessThanOrEqual(sliceSpacingMm(axial) / 2);
  });

  it('follows a point across series of different spacing and a tilted (oblique) stack', () => {
    const ct = stack(SAGITTAL, [50, -100, 100], 2, 50); // x from 50 down to -48
    const mr = stack(SAGITTAL, [40, -100, 100], 4.4, 15);
    const tilt = (20 * Math.PI) / 180;
    const oblique = stack([1, 0, 0, 0, Math.cos(tilt), Math.sin(tilt)], [-100, -100, -20], 3, 10);
    for (const k of [0, 3, 7, 14]) {
      const point = projectOntoPlane(mr[k]!, [1.3, -20, 7]);
      expect(Math.abs(distanceToPlane(mr[k]!, point))).toBeLessThan(1e-9);
      expect(Math.abs(nearestSlice(ct, point)!.distanceMm)).toBeLessThanOrEqual(1 + 1e-9);
      const onOblique = nearestSlice(oblique, point)!;
      // Every slice of the oblique stack is checked: none lies nearer than the one chosen.
      for (const plane of oblique) expect(Math.abs(distanceToPlane(plane, point))).toBeGreaterThanOrEqual(Math.abs(onOblique.distanceMm) - 1e-9);
    }
    expect(sliceSpacingMm(oblique)).toBeCloseTo(3, 9);
  });

  it('answers nothing for an empty stack and no spacing for one slice', () => {
    expect(nearestSlice([], [0, 0, 0])).toBeUndefined();
    expect(sliceSpacingMm(stack(AXIAL, [0, 0, 0], 1, 1))).toBe(0);
  });
});
