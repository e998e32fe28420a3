import { describe, expect, it } from 'vitest';
import { createVolume } from '@keyhole/core';
import { labelAt, labelColour, labelSlice, labelSliceRgba } from './label-slice.ts';

/** A 10 × 10 × 10 label volume, 2 mm voxels from the LPS origin, whose label is 1 + the k index (axial layers). */
function layers() {
  const data = new Uint16Array(1000);
  for (let k = 0; k < 10; k++) data.fill(k + 1, k * 100, (k + 1) * 100);
  return createVolume({ size: [10, 10, 10], spacing: [2, 2, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, units: 'label' });
}

describe('label map on an image plane', () => {
  it('samples an axial image on the same grid: every pixel gets its layer', () => {
    const slice = labelSlice(layers(), { position: [0, 0, 6], rowDirection: [1, 0, 0], columnDirection: [0, 1, 0], rowSpacingMm: 2, columnSpacingMm: 2, rows: 10, columns: 10 });
    expect(new Set(slice)).toEqual(new Set([4]));
  });

  it('samples a sagittal image on another grid: labels change down the rows (inferior-wards), pixels outside are 0', () => {
    // Rows along +y (P), columns down -z (I), 1 mm pixels, starting at z = 18 mm (layer 10).
    const slice = labelSlice(layers(), { position: [5, 0, 18], rowDirection: [0, 1, 0], columnDirection: [0, 0, -1], rowSpacingMm: 1, columnSpacingMm: 1, rows: 25, columns: 25 });
    expect(slice[0]).toBe(10); // z = 18 → k = 9
    expect(slice[4 * 25]).toBe(8); // z = 14 → k = 7
    expect(slice[18 * 25]).toBe(1); // z = 0 → k = 0
    expect(slice[22 * 25]).toBe(0); // z = -4: below the volume
    expect(slice[21]).toBe(0); // y = 21 mm: beyond the last voxel centre (18) by more than half a voxel
    expect(labelAt(layers(), [5, 5, 9.2])).toBe(6);
  });

  it('colours visible labels only, neighbouring values far apart in hue', () => {
    const rgba = labelSliceRgba(Uint16Array.from([0, 1, 2]), new Set([2]), 100);
    expect([...rgba.slice(0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(rgba[11]).toBe(100);
    const [a, b] = [labelColour(20), labelColour(21)];
    expect(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2])).toBeGreaterThan(100);
  });
});
