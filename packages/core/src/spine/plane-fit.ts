/**
 * Least-squares plane through a point cloud: the centroid and the eigenvector of the smallest eigenvalue
 * of the covariance matrix (principal component analysis), found with cyclic Jacobi rotations
 * (Golub & Van Loan, Matrix Computations, §8.5). A disc is a flat pancake: its normal is the axis of
 * least spread.
 */
import { normalize, type Vec3 } from '../geometry/vec3.ts';

export interface PlaneFit {
  readonly centroid: Vec3;
  /** Unit normal (sign arbitrary; callers orient it). */
  readonly normal: Vec3;
  /** Eigenvalues, ascending (variance along the normal first). */
  readonly variances: Vec3;
}

/** `points` is a flat array x0, y0, z0, x1, … */
export function fitPlane(points: ArrayLike<number>): PlaneFit | undefined {
  const n = Math.floor(points.length / 3);
  if (n < 3) return undefined;
  let cx = 0, cy = 0, cz = 0;
  for (let p = 0; p < n; p++) {
    cx += points[3 * p]!;
    cy += points[3 * p + 1]!;
    cz += points[3 * p + 2]!;
  }
  cx /= n;
  cy /= n;
  cz /= n;
  const a = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let p = 0; p < n; p++) {
    const d = [points[3 * p]! - cx, points[3 * p + 1]! - cy, points[3 * p + 2]! - cz];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) a[3 * r + c]! += (d[r]! * d[c]!) / n;
  }
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 30; sweep++) {
    const off = a[1]! ** 2 + a[2]! ** 2 + a[5]! ** 2;
    if (off < 1e-18) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = a[3 * p + q]!;
      if (Math.abs(apq) < 1e-30) continue;
      const theta = (a[3 * q + q]! - a[3 * p + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p]!, akq = a[3 * k + q]!;
        a[3 * k + p] = c * akp - s * akq;
        a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k]!, aqk = a[3 * q + k]!;
        a[3 * p + k] = c * apk - s * aqk;
        a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p]!, vkq = v[3 * k + q]!;
        v[3 * k + p] = c * vkp - s * vkq;
        v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((x, y) => a[4 * x]! - a[4 * y]!);
  const m = order[0]!;
  return {
    centroid: [cx, cy, cz],
    normal: normalize([v[m]!, v[3 + m]!, v[6 + m]!]),
    variances: [a[4 * order[0]!]!, a[4 * order[1]!]!, a[4 * order[2]!]!],
  };
}
