import { describe, expect, it } from 'vitest';
import { distanceTransform, sampleDistance } from './distance-transform.ts';

/** Small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('distanceTransform (Felzenszwalb & Huttenlocher, anisotropic 3-D)', () => {
  it('equals the brute-force distance to the nearest mask voxel centre on an anisotropic grid', () => {
    const dims: [number, number, number] = [13, 9, 7];
    const spacing: [number, number, number] = [0.7, 1.1, 2.5];
    const r = random(3);
    const n = dims[0] * dims[1] * dims[2];
    const mask = Array.from({ length: n }, () => r() < 0.03);
    const field = distanceTransform({ lo: [0, 0, 0], dims }, spacing, (o) => mask[o]!);
    const at = (o: number): [number, number, number] => [o % dims[0], Math.floor(o / dims[0]) % dims[1], Math.floor(o / (dims[0] * dims[1]))];
    let worst = 0;
    for (let o = 0; o < n; o++) {
      const [i, j, k] = at(o);
      let best = Infinity;
      for (let q = 0; q < n; q++) {
        if (!mask[q]) continue;
        const [a, b, c] = at(q);
        best = Math.min(best, Math.hypot((a - i) * spacing[0], (b - j) * spacing[1], (c - k) * spacing[2]));
      }
      worst = Math.max(worst, Math.abs(best - field.distanceMm[o]!));
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('reports an empty mask as empty, with the given distance everywhere', () => {
    const field = distanceTransform({ lo: [0, 0, 0], dims: [4, 4, 4] }, [1, 1, 1], () => false, 500);
    expect(field.empty).toBe(true);
    expect(sampleDistance(field, 1, 1, 1, [1, 1, 1])).toBe(500);
  });

  it('samples trilinearly inside the box and stays a lower bound outside it', () => {
    // One mask voxel at index 0 of a 1-D row: distances 0, 2, 4 … (spacing 2 mm).
    const field = distanceTransform({ lo: [10, 0, 0], dims: [5, 1, 1] }, [2, 1, 1], (o) => o === 0);
    expect(sampleDistance(field, 11.5, 0, 0, [2, 1, 1])).toBeCloseTo(3, 6);
    // 3 voxels beyond the far end: the true distance is 14 mm, the sample gives 8 − 6 = 2 (a lower bound).
    expect(sampleDistance(field, 17, 0, 0, [2, 1, 1])).toBeLessThanOrEqual(14);
    // With a floor outside (the structure was dilated into the box by that much), never below it.
    const capped = distanceTransform({ lo: [10, 0, 0], dims: [5, 1, 1] }, [2, 1, 1], (o) => o === 0, 1000, 7);
    expect(sampleDistance(capped, 30, 0, 0, [2, 1, 1])).toBe(7);
  });
});
