import type { Mat3 } from '../geometry/matrix.ts';

export interface NiftiQuaternion {
  readonly b: number;
  readonly c: number;
  readonly d: number;
  /** qfac: −1 when the rotation has a reflection folded into the third axis (pixdim[0]). */
  readonly qfac: 1 | -1;
}

/**
 * Rotation (3×3, row-major, orthonormal columns) → NIfTI quaternion (b, c, d) and qfac.
 * Follows nifti1_io.c `nifti_mat44_to_quatern`: a left-handed matrix is made right-handed by
 * negating its third column, and qfac = −1 records that.
 */
export function rotationToQuaternion(r: Mat3): NiftiQuaternion {
  let [r11, r12, r13, r21, r22, r23, r31, r32, r33] = r;
  const det = r11 * (r22 * r33 - r23 * r32) - r12 * (r21 * r33 - r23 * r31) + r13 * (r21 * r32 - r22 * r31);
  let qfac: 1 | -1 = 1;
  if (det < 0) {
    qfac = -1;
    r13 = -r13;
    r23 = -r23;
    r33 = -r33;
  }
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}

/** NIfTI quaternion → rotation (row-major), including qfac on the third column (nifti_quatern_to_mat44). */
export function quaternionToRotation(q: NiftiQuaternion): Mat3 {
  const { b, c, d } = q;
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const f = q.qfac;
  return [
    a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) * f,
    2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b) * f,
    2 * (b * d - a * c), 2 * (c * d + a * b), (a * a + d * d - c * c - b * b) * f,
  ];
}
