import { describe, expect, it } from 'vitest';
import { angleDeg, cobbAngleDeg, lengthMm } from './measure.ts';

describe('measurements in patient space', () => {
  it('length is the 3-D distance in mm', () => {
    expect(lengthMm([0, 0, 10], [30, 40, 10])).toBeCloseTo(50, 12);
    expect(lengthMm([1, 2, 3], [1, 2, 3])).toBe(0);
  });
  it('angle at the vertex, 0–180°, whatever the plane', () => {
    expect(angleDeg([10, 0, 0], [0, 0, 0], [0, 10, 0])).toBeCloseTo(90, 12);
    expect(angleDeg([0, 5, 5], [0, 0, 0], [0, 5, 0])).toBeCloseTo(45, 12);
    expect(angleDeg([1, 0, 0], [0, 0, 0], [-1, 0, 0])).toBeCloseTo(180, 12);
    expect(angleDeg([0, 0, 0], [0, 0, 0], [1, 0, 0])).toBeNaN();
  });
  it('Cobb angle: the acute angle between two end-plate lines, whichever way each was drawn', () => {
    const t = (20 * Math.PI) / 180;
    const upper: [[number, number, number], [number, number, number]] = [[0, 0, 0], [40, 0, 0]];
    const lower: [[number, number, number], [number, number, number]] = [[0, 0, -80], [40 * Math.cos(t), 0, -80 + 40 * Math.sin(t)]];
    expect(cobbAngleDeg(...upper, ...lower)).toBeCloseTo(20, 10);
    expect(cobbAngleDeg(...upper, lower[1], lower[0])).toBeCloseTo(20, 10);
    expect(cobbAngleDeg([0, 0, 0], [10, 0, 0], [0, 0, 0], [0, 10, 0])).toBeCloseTo(90, 10);
    expect(cobbAngleDeg([0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 10, 0])).toBeNaN();
  });
});
