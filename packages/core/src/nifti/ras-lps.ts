import type { Mat4 } from '../geometry/matrix.ts';

/**
 * NIfTI's world space is RAS+ (x to the Right... increasing to the patient's right is −x in LPS):
 * RAS = diag(−1, −1, 1) · LPS. This is the ONLY place Keyhole converts between the two, at the
 * NIfTI file boundary (cornerstone3D does the same, once, at load). The conversion is its own inverse.
 */
export function flipAffineRasLps(m: Mat4): Mat4 {
  return [
    -m[0], -m[1], -m[2], -m[3],
    -m[4], -m[5], -m[6], -m[7],
    m[8], m[9], m[10], m[11],
    m[12], m[13], m[14], m[15],
  ];
}
