import { cross, dot, normalize, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import type { PlaneLps } from '../spine/types.ts';

/**
 * Display axes of a slice plane, in the radiological convention (LPS, mm):
 * - axial-like planes (normal mostly superior): the image's right is the patient's left (+x), down is posterior (+y);
 * - sagittal-like planes (normal mostly left–right): the image's right is posterior (+y), down is inferior (−z),
 *   so the patient faces left as on a lateral radiograph;
 * - coronal-like planes: the image's right is the patient's left, down is inferior.
 * Each axis is the patient axis projected into the plane, so an oblique (disc-angled) slice keeps its orientation.
 */
export interface SliceAxes {
  /** In-plane unit vector along image columns (to the right). */
  readonly right: Vec3;
  /** In-plane unit vector along image rows (down). */
  readonly down: Vec3;
  readonly orientation: 'axial' | 'sagittal' | 'coronal';
}

function inPlane(v: Vec3, normal: Vec3): Vec3 {
  return normalize(sub(v, scale(normal, dot(v, normal))));
}

export function sliceAxes(plane: PlaneLps): SliceAxes {
  const n = normalize(plane.normal);
  const ax = Math.abs(n[0]), ay = Math.abs(n[1]), az = Math.abs(n[2]);
  if (az >= ax && az >= ay) {
    const right = inPlane([1, 0, 0], n);
    return { right, down: normalize(cross(n[2] >= 0 ? n : scale(n, -1), right)), orientation: 'axial' };
  }
  if (ax >= ay) {
    const right = inPlane([0, 1, 0], n);
    const down = inPlane([0, 0, -1], n);
    return { right, down: normalize(sub(down, scale(right, dot(down, right)))), orientation: 'sagittal' };
  }
  const right = inPlane([1, 0, 0], n);
  const down = inPlane([0, 0, -1], n);
  return { right, down: normalize(sub(down, scale(right, dot(down, right)))), orientation: 'coronal' };
}
