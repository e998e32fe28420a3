/**
 * Oblique reformats: the MPR planes turned about an axis through the crosshair point (e.g. the
 * sagittal and coronal planes turned about the axial normal give an axial-oblique set, as when the
 * reading follows a rotated vertebra). Rotation of a direction by Rodrigues' formula:
 * v' = v cos θ + (k × v) sin θ + k (k · v)(1 − cos θ), k the unit axis, θ counter-clockwise
 * looking down k.
 */
import type { Vec3 } from './orientation.ts';

export function rotateAboutAxis(v: Vec3, axis: Vec3, degrees: number): Vec3 {
  const length = Math.hypot(axis[0], axis[1], axis[2]);
  if (length === 0) return v;
  const k: Vec3 = [axis[0] / length, axis[1] / length, axis[2] / length];
  const t = (degrees * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
  const kx: Vec3 = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
  return [0, 1, 2].map((a) => v[a]! * c + kx[a]! * s + k[a]! * kv * (1 - c)) as unknown as Vec3;
}

export interface ObliqueCamera {
  readonly viewPlaneNormal: Vec3;
  readonly viewUp: Vec3;
  readonly focalPoint: Vec3;
  readonly position: Vec3;
}

/**
 * A view's camera turned by `degrees` about `axis` through `center`: normal and up turn with it,
 * the focal point moves to `center` (so the plane still passes through the crosshair point) and
 * the camera keeps its distance from the plane.
 */
export function rotateCamera(camera: ObliqueCamera, axis: Vec3, degrees: number, center: Vec3): ObliqueCamera {
  const normal = rotateAboutAxis(camera.viewPlaneNormal, axis, degrees);
  const distance = Math.hypot(camera.position[0] - camera.focalPoint[0], camera.position[1] - camera.focalPoint[1], camera.position[2] - camera.focalPoint[2]);
  return {
    viewPlaneNormal: normal,
    viewUp: rotateAboutAxis(camera.viewUp, axis, degrees),
    focalPoint: center,
    position: [center[0] + normal[0] * distance, center[1] + normal[1] * distance, center[2] + normal[2] * distance],
  };
}
