import { describe, expect, it } from 'vitest';
import { fitPlane } from './plane-fit.ts';

describe('fitPlane', () => {
  it('finds the normal of a tilted disc of points', () => {
    const n = [0, -Math.sin(0.3), Math.cos(0.3)];
    const u = [1, 0, 0], v = [0, Math.cos(0.3), Math.sin(0.3)];
    const points: number[] = [];
    for (let a = -20; a <= 20; a += 2) for (let b = -15; b <= 15; b += 2) for (const h of [-4, 0, 4]) {
      for (let c = 0; c < 3; c++) points.push(5 * c + a * u[c]! + b * v[c]! + h * n[c]!);
    }
    const fit = fitPlane(points)!;
    expect(Math.abs(fit.normal[0] * n[0]! + fit.normal[1] * n[1]! + fit.normal[2] * n[2]!)).toBeCloseTo(1, 6);
    expect(fit.centroid[0]).toBeCloseTo(0, 6);
    expect(fit.centroid[1]).toBeCloseTo(5, 6);
    expect(fit.variances[0]).toBeLessThan(fit.variances[1]);
  });
});
