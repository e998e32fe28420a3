/**
 * Exact 3-D Euclidean distance transform on an anisotropic voxel box: for every voxel, the distance (mm) to
 * the centre of the nearest voxel of a mask. Felzenszwalb & Huttenlocher, "Distance transforms of sampled
 * functions", Theory of Computing 8 (2012): the squared distance is separable, so three passes of the 1-D
 * lower envelope of parabolas (one per voxel axis, each scaled by that axis's spacing) give it exactly, in
 * time linear in the voxel count. The planner computes one per structure group, once, and reads clearances
 * along every candidate cannula from it.
 */

const BIG = 1e20;

/** A box of voxels (index space of some volume): lower corner and dimensions, i fastest. */
export interface VoxelBox {
  readonly lo: readonly [number, number, number];
  readonly dims: readonly [number, number, number];
}

/** Distances (mm) on a voxel box; `maxMm` where no mask voxel is present at all. */
export interface DistanceField extends VoxelBox {
  readonly distanceMm: Float32Array;
  /** The distance given when the mask is empty (no structure of the group in the box). */
  readonly emptyMm: number;
  readonly empty: boolean;
  /**
   * A lower bound of the distance anywhere outside the box (the box holds the structure dilated by this much),
   * or 0 when the box is simply where the distances were computed.
   */
  readonly outsideAtLeastMm: number;
}

/**
 * One row of the 1-D transform: `f` holds squared distances so far (0 on the mask, BIG elsewhere) at unit
 * steps of `w` mm; `d` receives min_q' (w·(q − q'))² + f(q').
 */
function envelope(f: Float64Array, n: number, w2: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -BIG;
  z[1] = BIG;
  for (let q = 1; q < n; q++) {
    const fq = f[q]! + w2 * q * q;
    let vk = v[k]!;
    let s = (fq - (f[vk]! + w2 * vk * vk)) / (2 * w2 * (q - vk));
    while (s <= z[k]!) {
      k--;
      vk = v[k]!;
      s = (fq - (f[vk]! + w2 * vk * vk)) / (2 * w2 * (q - vk));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = BIG;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const dq = q - v[k]!;
    d[q] = w2 * dq * dq + f[v[k]!]!;
  }
}

/**
 * Distance (mm) from every voxel of `box` to the nearest voxel whose `isMask(offset)` is true, where
 * `offset` indexes the box (i fastest). `spacing` is the voxel size along i, j, k (mm).
 */
export function distanceTransform(box: VoxelBox, spacing: readonly [number, number, number], isMask: (offset: number) => boolean, emptyMm = 1000, outsideAtLeastMm = 0): DistanceField {
  const [ni, nj, nk] = box.dims;
  const count = ni * nj * nk;
  const sq = new Float64Array(count);
  let any = false;
  for (let o = 0; o < count; o++) {
    if (isMask(o)) {
      any = true;
    } else sq[o] = BIG;
  }
  const distanceMm = new Float32Array(count);
  if (!any) {
    distanceMm.fill(emptyMm);
    return { lo: box.lo, dims: box.dims, distanceMm, emptyMm, empty: true, outsideAtLeastMm: emptyMm };
  }
  const n = Math.max(ni, nj, nk);
  const f = new Float64Array(n), d = new Float64Array(n), z = new Float64Array(n + 1);
  const v = new Int32Array(n);
  const line = (start: number, len: number, stride: number, w2: number): void => {
    let allBig = true;
    for (let q = 0, o = start; q < len; q++, o += stride) {
      const value = sq[o]!;
      f[q] = value;
      if (value < BIG) allBig = false;
    }
    // A line with no finite value stays infinite (the later passes fill it from its neighbours).
    if (allBig) return;
    envelope(f, len, w2, d, v, z);
    for (let q = 0, o = start; q < len; q++, o += stride) sq[o] = d[q]!;
  };
  const wi = spacing[0] * spacing[0], wj = spacing[1] * spacing[1], wk = spacing[2] * spacing[2];
  for (let k = 0; k < nk; k++) for (let j = 0; j < nj; j++) line(ni * (j + nj * k), ni, 1, wi);
  for (let k = 0; k < nk; k++) for (let i = 0; i < ni; i++) line(i + ni * nj * k, nj, ni, wj);
  for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++) line(i + ni * j, nk, ni * nj, wk);
  for (let o = 0; o < count; o++) distanceMm[o] = Math.sqrt(sq[o]!);
  return { lo: box.lo, dims: box.dims, distanceMm, emptyMm, empty: false, outsideAtLeastMm };
}

/**
 * Trilinear sample of a distance field at continuous voxel index (x, y, z) of the full volume. Outside the
 * box the nearest box voxel's value is used less the distance to the box (never an overestimate by more
 * than the box's own error), so samples just outside stay conservative.
 */
export function sampleDistance(field: DistanceField, x: number, y: number, z: number, spacing: readonly [number, number, number]): number {
  if (field.empty) return field.emptyMm;
  const [ni, nj, nk] = field.dims;
  let a = x - field.lo[0], b = y - field.lo[1], c = z - field.lo[2];
  // Distance (mm) from the point to the box, when outside it.
  const outA = a < 0 ? -a : a > ni - 1 ? a - (ni - 1) : 0;
  const outB = b < 0 ? -b : b > nj - 1 ? b - (nj - 1) : 0;
  const outC = c < 0 ? -c : c > nk - 1 ? c - (nk - 1) : 0;
  a = Math.min(Math.max(a, 0), ni - 1);
  b = Math.min(Math.max(b, 0), nj - 1);
  c = Math.min(Math.max(c, 0), nk - 1);
  const i = Math.min(Math.floor(a), Math.max(0, ni - 2)), j = Math.min(Math.floor(b), Math.max(0, nj - 2)), k = Math.min(Math.floor(c), Math.max(0, nk - 2));
  const fx = ni > 1 ? a - i : 0, fy = nj > 1 ? b - j : 0, fz = nk > 1 ? c - k : 0;
  const di = ni > 1 ? 1 : 0, dj = nj > 1 ? ni : 0, dk = nk > 1 ? ni * nj : 0;
  const o = i + ni * (j + nj * k);
  const d = field.distanceMm;
  const c00 = d[o]! * (1 - fx) + d[o + di]! * fx;
  const c10 = d[o + dj]! * (1 - fx) + d[o + dj + di]! * fx;
  const c01 = d[o + dk]! * (1 - fx) + d[o + dk + di]! * fx;
  const c11 = d[o + dk + dj]! * (1 - fx) + d[o + dk + dj + di]! * fx;
  const value = (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
  if (outA === 0 && outB === 0 && outC === 0) return value;
  return Math.max(field.outsideAtLeastMm, value - Math.hypot(outA * spacing[0], outB * spacing[1], outC * spacing[2]));
}
