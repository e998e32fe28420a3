import type { Vec3 } from './vec3.ts';

/**
 * 3×3 matrix stored ROW-MAJOR: `m[3 * row + col]`.
 * For a volume's direction matrix, COLUMN c is the unit vector (in LPS) of voxel axis c
 * (c = 0 for i, 1 for j, 2 for k), the same convention as ITK's Direction matrix.
 */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

/** 4×4 homogeneous matrix stored ROW-MAJOR: `m[4 * row + col]`. */
export type Mat4 = readonly [
  number, number, number, number,
  number, number, number, number,
  number, number, number, number,
  number, number, number, number,
];

export const IDENTITY3: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function mat3FromColumns(c0: Vec3, c1: Vec3, c2: Vec3): Mat3 {
  return [c0[0], c1[0], c2[0], c0[1], c1[1], c2[1], c0[2], c1[2], c2[2]];
}

export function mat3Column(m: Mat3, col: 0 | 1 | 2): Vec3 {
  return [m[col], m[3 + col]!, m[6 + col]!];
}

export function mat3MulVec(m: Mat3, v: Vec3): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

export function mat3Determinant(m: Mat3): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/** Largest deviation of mᵀm from the identity: 0 for an exactly orthonormal matrix. */
export function mat3OrthonormalityError(m: Mat3): number {
  let worst = 0;
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let s = 0;
      for (let r = 0; r < 3; r++) s += m[3 * r + a]! * m[3 * r + b]!;
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

export function mat4MulPoint(m: Mat4, p: Vec3): Vec3 {
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3],
    m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7],
    m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11],
  ];
}

export function mat4Multiply(a: Mat4, b: Mat4): Mat4 {
  const out: number[] = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[4 * r + k]! * b[4 * k + c]!;
      out[4 * r + c] = s;
    }
  }
  return out as unknown as Mat4;
}

/** Inverse of an affine 4×4 (last row 0 0 0 1); throws on a singular linear part. */
export function mat4InvertAffine(m: Mat4): Mat4 {
  const a: Mat3 = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
  const det = mat3Determinant(a);
  if (!(Math.abs(det) > 1e-12)) throw new RangeError('affine matrix is singular');
  const inv = [
    (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
    (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
    (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det,
  ] as const;
  const t: Vec3 = [m[3], m[7], m[11]];
  const ti: Vec3 = [
    -(inv[0] * t[0] + inv[1] * t[1] + inv[2] * t[2]),
    -(inv[3] * t[0] + inv[4] * t[1] + inv[5] * t[2]),
    -(inv[6] * t[0] + inv[7] * t[1] + inv[8] * t[2]),
  ];
  return [inv[0], inv[1], inv[2], ti[0], inv[3], inv[4], inv[5], ti[1], inv[6], inv[7], inv[8], ti[2], 0, 0, 0, 1];
}
