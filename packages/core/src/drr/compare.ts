/**
 * Image agreement measures for DRRs (Keyhole's CPU DRR against plastimatch's, CPU against WebGL).
 */

/**
 * Normalized cross-correlation (Pearson's r over pixels): 1 for images equal up to a gain and an
 * offset, insensitive to the absolute attenuation scale. NaN when either image is constant.
 */
export function normalizedCrossCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return Number.NaN;
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let p = 0; p < n; p++) {
    ma += a[p]!;
    mb += b[p]!;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let p = 0; p < n; p++) {
    const da = a[p]! - ma;
    const db = b[p]! - mb;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : Number.NaN;
}

export interface AbsoluteAgreement {
  /** Largest |a − b|. */
  readonly maxAbsDifference: number;
  /** Mean |a − b| divided by the mean of |b| (0 for identical images). */
  readonly meanRelativeDifference: number;
}

export function absoluteAgreement(a: ArrayLike<number>, b: ArrayLike<number>): AbsoluteAgreement {
  let max = 0;
  let sumDiff = 0;
  let sumRef = 0;
  for (let p = 0; p < Math.min(a.length, b.length); p++) {
    const d = Math.abs(a[p]! - b[p]!);
    if (d > max) max = d;
    sumDiff += d;
    sumRef += Math.abs(b[p]!);
  }
  return { maxAbsDifference: max, meanRelativeDifference: sumRef > 0 ? sumDiff / sumRef : 0 };
}
