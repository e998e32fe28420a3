import { add, cross, normalize, scale, type Vec3 } from '../../../geometry/vec3.ts';
import type { SpineScene } from '../types.ts';

/** Area (mm²) of the points of a plane square (centre, normal, half-size) whose label is in `labels`, sampled on a `step` grid. */
export function crossSectionArea(scene: SpineScene, centre: Vec3, normal: Vec3, labels: ReadonlySet<number>, halfSizeMm = 20, step = 0.25): number {
  const n = normalize(normal);
  const helper: Vec3 = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const e1 = normalize(cross(n, helper));
  const e2 = cross(n, e1);
  let count = 0;
  for (let a = -halfSizeMm; a <= halfSizeMm; a += step) {
    for (let b = -halfSizeMm; b <= halfSizeMm; b += step) {
      if (labels.has(scene.classify(add(centre, add(scale(e1, a), scale(e2, b)))).label)) count++;
    }
  }
  return count * step * step;
}

/** Distance (mm) from `start` along `direction` to the last point still labelled `label` (marching in `step` mm). */
export function extentAlong(scene: SpineScene, start: Vec3, direction: Vec3, label: number, maxMm = 80, step = 0.05): number {
  const d = normalize(direction);
  let last = 0;
  for (let t = 0; t <= maxMm; t += step) {
    if (scene.classify(add(start, scale(d, t))).label !== label) break;
    last = t;
  }
  return last;
}

/** Labels met along a segment, in order, without repeats. */
export function labelsAlong(scene: SpineScene, from: Vec3, to: Vec3, step = 0.25): number[] {
  const d: Vec3 = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const length = Math.hypot(...d);
  const out: number[] = [];
  for (let t = 0; t <= length; t += step) {
    const label = scene.classify(add(from, scale(d, t / length))).label;
    if (out[out.length - 1] !== label) out.push(label);
  }
  return out;
}
