/**
 * Position synchronisation between series shown side by side, in patient coordinates (LPS mm):
 * every viewport shows the slice of its series nearest to one shared point. Each slice is a plane
 * (Image Position (Patient) as a point on it, the normal row × column of Image Orientation
 * (Patient), PS3.3 C.7.6.2.1.1), so series of any orientation — sagittal beside axial-oblique
 * beside CT — are matched by geometry, never by slice number. Only series that share a Frame of
 * Reference UID are synchronised: their LPS coordinates are the same space (PS3.3 C.7.4.1).
 */
import type { Vec3 } from './orientation.ts';

export interface SlicePlane {
  /** A point on the slice: its Image Position (Patient), LPS mm. */
  readonly origin: Vec3;
  /** Unit normal of the slice (row direction × column direction). */
  readonly normal: Vec3;
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** The plane of a slice from its Image Orientation (Patient) (6 numbers) and Image Position (Patient) (3); undefined when either is missing. */
export function slicePlane(orientation: readonly number[], position: readonly number[]): SlicePlane | undefined {
  if (orientation.length !== 6 || position.length !== 3 || [...orientation, ...position].some((v) => !Number.isFinite(v))) return undefined;
  const n = cross([orientation[0]!, orientation[1]!, orientation[2]!], [orientation[3]!, orientation[4]!, orientation[5]!]);
  const length = Math.hypot(n[0], n[1], n[2]);
  if (length === 0) return undefined;
  return { origin: [position[0]!, position[1]!, position[2]!], normal: [n[0] / length, n[1] / length, n[2] / length] };
}

/** Signed distance (mm) of `point` from the plane, along its normal. */
export function distanceToPlane(plane: SlicePlane, point: Vec3): number {
  return dot(sub(point, plane.origin), plane.normal);
}

/** The foot of the perpendicular from `point` onto the plane. */
export function projectOntoPlane(plane: SlicePlane, point: Vec3): Vec3 {
  const d = distanceToPlane(plane, point);
  return [point[0] - d * plane.normal[0], point[1] - d * plane.normal[1], point[2] - d * plane.normal[2]];
}

export interface NearestSlice {
  readonly index: number;
  /** Signed distance (mm) from the point to that slice's plane. */
  readonly distanceMm: number;
}

/** The slice whose plane lies nearest to `point` (the first of equals); undefined for an empty stack. */
export function nearestSlice(planes: readonly SlicePlane[], point: Vec3): NearestSlice | undefined {
  let best: NearestSlice | undefined;
  planes.forEach((plane, index) => {
    const distanceMm = distanceToPlane(plane, point);
    if (best === undefined || Math.abs(distanceMm) < Math.abs(best.distanceMm)) best = { index, distanceMm };
  });
  return best;
}

/** The median distance (mm) between neighbouring slices along their normals: half of it is how far a point can lie from its nearest slice inside the stack. */
export function sliceSpacingMm(planes: readonly SlicePlane[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < planes.length; i++) gaps.push(Math.abs(distanceToPlane(planes[i - 1]!, planes[i]!.origin)));
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}
