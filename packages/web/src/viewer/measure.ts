/** Measurement values from handle points in patient space (LPS, mm): independent of the viewer that drew them. */
import type { Vec3 } from './orientation.ts';

function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

/** Euclidean distance in mm. */
export function lengthMm(a: Vec3, b: Vec3): number {
  const d = sub(a, b);
  return Math.hypot(d[0], d[1], d[2]);
}

/** The angle at `vertex` between the rays to `a` and `b`, in degrees (0–180). */
export function angleDeg(a: Vec3, vertex: Vec3, b: Vec3): number {
  const u = sub(a, vertex);
  const v = sub(b, vertex);
  const nu = Math.hypot(u[0], u[1], u[2]);
  const nv = Math.hypot(v[0], v[1], v[2]);
  if (nu === 0 || nv === 0) return Number.NaN;
  const cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (nu * nv);
  return (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
}

/**
 * The Cobb angle between two lines drawn along end plates, each given by two points (Cobb 1948,
 * "Outline for the study of scoliosis": the angle between the superior end plate of the upper and
 * the inferior end plate of the lower end vertebra). Lines have no direction, so the angle is the
 * acute one between them, 0–90°.
 */
export function cobbAngleDeg(a1: Vec3, a2: Vec3, b1: Vec3, b2: Vec3): number {
  const u = sub(a2, a1);
  const v = sub(b2, b1);
  const nu = Math.hypot(u[0], u[1], u[2]);
  const nv = Math.hypot(v[0], v[1], v[2]);
  if (nu === 0 || nv === 0) return Number.NaN;
  const cos = Math.abs(u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (nu * nv);
  return (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
}
