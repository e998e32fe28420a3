import { describe, expect, it } from 'vitest';
import { roiStats } from './roi-stats.ts';

/** A 20 × 10 image whose value is 10 × column + row (so sums are easy to check by hand). */
const image = { columns: 20, rows: 10, valueAt: (c: number, r: number) => 10 * c + r, columnSpacingMm: 0.5, rowSpacingMm: 2 };

describe('ROI statistics', () => {
  it('rectangle: the pixels whose centres lie inside, their mean/SD/min/max, and the area in mm² from the pixel spacing', () => {
    // Box from (2, 1) to (5, 3): pixel centres 2.5, 3.5, 4.5 × 1.5, 2.5 → columns 2–4, rows 1–2.
    const stats = roiStats({ ...image, shape: 'rectangle', points: [[5, 3], [2, 1]] })!;
    expect(stats.pixelCount).toBe(6);
    expect(stats.min).toBe(21);
    expect(stats.max).toBe(42);
    expect(stats.mean).toBeCloseTo(31.5, 12);
    const values = [21, 22, 31, 32, 41, 42];
    expect(stats.sd).toBeCloseTo(Math.sqrt(values.reduce((s, v) => s + (v - 31.5) ** 2, 0) / 6), 12);
    expect(stats.areaMm2).toBeCloseTo(3 * 0.5 * 2 * 2, 12);
  });

  it('ellipse: the inscribed ellipse of the box, area π·a·b in mm²', () => {
    const stats = roiStats({ ...image, shape: 'ellipse', points: [[0, 0], [20, 10]] })!;
    expect(stats.areaMm2).toBeCloseTo((Math.PI * 10 * 20) / 4, 10); // 10 mm × 20 mm box
    // The corners are outside the ellipse, the centre inside.
    const all = roiStats({ ...image, shape: 'rectangle', points: [[0, 0], [20, 10]] })!;
    expect(all.pixelCount).toBe(200);
    expect(stats.pixelCount).toBeLessThan(200);
    expect(stats.pixelCount).toBeGreaterThan(140); // π/4 of 200 ≈ 157
    expect(stats.min).toBeGreaterThan(all.min);
    expect(stats.mean).toBeCloseTo(all.mean, 0); // symmetric about the centre
  });

  it('clips to the image and answers nothing for a region without a pixel centre', () => {
    expect(roiStats({ ...image, shape: 'rectangle', points: [[-5, -5], [1, 1]] })!.pixelCount).toBe(1);
    expect(roiStats({ ...image, shape: 'rectangle', points: [[30, 30], [40, 40]] })).toBeUndefined();
    expect(roiStats({ ...image, shape: 'ellipse', points: [[2.1, 2], [2.2, 5]] })).toBeUndefined();
  });
});
