/**
 * Spinal canal centre line on CT, from bone: at body-level centre-line samples, march posteriorly
 * (perpendicular to the column) out of the vertebral body, across the canal, to the neural arch; where
 * the arch closes the canal within 35 mm, the middle of that gap is the canal centre.
 */
import type { Vec3 } from '../geometry/vec3.ts';
import { perpendicularBasis, type ColumnProfile } from './column-profile.ts';
import { gridToWorld, nearestOffset, type WorkGrid } from './working-grid.ts';

export function traceCanal(grid: WorkGrid, bone: Uint8Array, profile: ColumnProfile, everyMm = 3): Vec3[] {
  const points: Vec3[] = [];
  let lastS = -Infinity;
  const inDisc = new Uint8Array(profile.samples.length);
  for (const run of profile.discs) for (let t = run.first; t <= run.last; t++) inDisc[t] = 1;
  // Cranial first.
  for (let t = profile.samples.length - 1; t >= 0; t--) {
    const sample = profile.samples[t]!;
    if (inDisc[t] || Math.abs(sample.s - lastS) < everyMm) continue;
    const [, v0] = perpendicularBasis(sample.tangent);
    const v: Vec3 = v0[1] >= 0 ? v0 : [-v0[0], -v0[1], -v0[2]];
    const at = (r: number): boolean => {
      const o = nearestOffset(grid, sample.g[0] + v[0] * r, sample.g[1] + v[1] * r, sample.g[2] + v[2] * r);
      return o >= 0 && bone[o] === 1;
    };
    const step = 0.5, limit = 80 / grid.w;
    let r = 0;
    while (r < limit && at(r)) r += step;
    const front = r;
    while (r < limit && !at(r)) r += step;
    if (r >= limit || (r - front) * grid.w > 35 || (r - front) * grid.w < 4) continue;
    const m = (front + r) / 2;
    points.push(gridToWorld(grid, sample.g[0] + v[0] * m, sample.g[1] + v[1] * m, sample.g[2] + v[2] * m));
    lastS = sample.s;
  }
  return points;
}
