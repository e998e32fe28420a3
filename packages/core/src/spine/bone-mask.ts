/**
 * Bone from HU, with the marrow filled: voxels ≥ `boneHu` are bone; then, slice by axial slice, every hole
 * enclosed by bone (a background region not reaching the slice edge, 4-connected) is filled when its mean
 * HU says marrow (≥ `holeFillMinHu`) and it is not larger than a vertebral body. The spinal canal, also
 * enclosed by the neural arch, stays open because CSF, cord and epidural fat are darker than marrow.
 * Holes are found in the bone after a 2D morphological closing (`closingMm`), so that a thin cortex blurred
 * below the threshold, or the basivertebral foramen in the posterior wall, does not open the body's marrow
 * to the canal; the closing itself adds nothing to the bone.
 */
import type { WorkGrid } from './working-grid.ts';

export interface BoneMaskOptions {
  readonly grid: WorkGrid;
  readonly boneHu: number;
  readonly holeFillMinHu: number;
  readonly holeFillMaxAreaMm2: number;
  /** Radius (mm) of the 2D closing applied before looking for holes (default 3). */
  readonly closingMm?: number;
}

export interface BoneMaskResult {
  /** 1 where bone (thresholded or filled marrow). */
  readonly bone: Uint8Array;
  /** 1 where bone by threshold alone (the cortex and dense trabecular bone). */
  readonly dense: Uint8Array;
}

export function buildBoneMask(options: BoneMaskOptions): BoneMaskResult {
  const { grid, boneHu } = options;
  const { nx, ny, nz, hu } = grid;
  const n = nx * ny * nz;
  const dense = new Uint8Array(n);
  for (let o = 0; o < n; o++) dense[o] = hu[o]! >= boneHu ? 1 : 0;
  const bone = dense.slice();
  const closed = close2d(dense, nx, ny, nz, Math.max(1, Math.round((options.closingMm ?? 3) / grid.w)));
  const maxArea = options.holeFillMaxAreaMm2 / (grid.w * grid.w);
  const plane = nx * ny;
  const seen = new Uint8Array(plane);
  const stack = new Int32Array(plane);
  const region = new Int32Array(plane);
  for (let k = 0; k < nz; k++) {
    const base = k * plane;
    seen.fill(0);
    for (let start = 0; start < plane; start++) {
      if (seen[start] || closed[base + start]) continue;
      // Flood one background region; note whether it reaches the slice border.
      let top = 0, count = 0, border = false, sum = 0;
      stack[top++] = start;
      seen[start] = 1;
      while (top > 0) {
        const p = stack[--top]!;
        region[count++] = p;
        sum += hu[base + p]!;
        const i = p % nx, j = (p - i) / nx;
        if (i === 0 || j === 0 || i === nx - 1 || j === ny - 1) border = true;
        if (i > 0 && !seen[p - 1] && !closed[base + p - 1]) { seen[p - 1] = 1; stack[top++] = p - 1; }
        if (i < nx - 1 && !seen[p + 1] && !closed[base + p + 1]) { seen[p + 1] = 1; stack[top++] = p + 1; }
        if (j > 0 && !seen[p - nx] && !closed[base + p - nx]) { seen[p - nx] = 1; stack[top++] = p - nx; }
        if (j < ny - 1 && !seen[p + nx] && !closed[base + p + nx]) { seen[p + nx] = 1; stack[top++] = p + nx; }
      }
      if (!border && count <= maxArea && sum / count >= options.holeFillMinHu) {
        for (let r = 0; r < count; r++) bone[base + region[r]!] = 1;
      }
    }
  }
  return { bone, dense };
}

/** 2D closing (dilation then erosion) of each axial slice with a square of half-width r voxels. */
function close2d(mask: Uint8Array, nx: number, ny: number, nz: number, r: number): Uint8Array {
  const plane = nx * ny;
  const out = new Uint8Array(mask.length);
  const a = new Uint8Array(plane), b = new Uint8Array(plane);
  for (let k = 0; k < nz; k++) {
    const slice = mask.subarray(k * plane, (k + 1) * plane);
    sweep(slice, a, nx, ny, r, true);
    sweep(a, b, nx, ny, r, false);
    out.set(b, k * plane);
  }
  return out;
}

/** Separable square dilation (max) or erosion (min) by r voxels, via running counts along i then j. */
function sweep(src: Uint8Array, dst: Uint8Array, nx: number, ny: number, r: number, dilate: boolean): void {
  const tmp = new Uint8Array(nx * ny);
  const want = dilate ? 1 : 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let hit = false;
      for (let d = -r; d <= r && !hit; d++) {
        const ii = i + d;
        // Outside the slice counts as background for dilation and as foreground for erosion (no edge erosion).
        const v = ii < 0 || ii >= nx ? (dilate ? 0 : 1) : src[ii + nx * j]!;
        if (v === want) hit = true;
      }
      tmp[i + nx * j] = hit ? want : 1 - want;
    }
  }
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let hit = false;
      for (let d = -r; d <= r && !hit; d++) {
        const jj = j + d;
        const v = jj < 0 || jj >= ny ? (dilate ? 0 : 1) : tmp[i + nx * jj]!;
        if (v === want) hit = true;
      }
      dst[i + nx * j] = hit ? want : 1 - want;
    }
  }
}

/**
 * 3D complement of the slice-wise hole filling: a voxel bright enough for marrow (≥ `minHu`) whose rays
 * along the six axis directions meet bone within `reachMm` in at least five directions is marrow enclosed
 * by cortex, even where no axial slice shows a closed ring (a thin cortex blurred below the threshold at
 * 3 mm, the basivertebral foramen). A disc meets bone above and below and behind but not sideways; the
 * canal is darker than marrow. Returns the number of voxels added to `bone`.
 */
export function fillEnclosedBone(grid: WorkGrid, bone: Uint8Array, minHu: number, reachMm: number): number {
  const { nx, ny, nz, hu } = grid;
  const plane = nx * ny;
  const reach = Math.max(2, Math.round(reachMm / grid.w));
  const steps = [1, -1, nx, -nx, plane, -plane];
  const added: number[] = [];
  for (let k = 1; k < nz - 1; k++) for (let j = 1; j < ny - 1; j++) for (let i = 1; i < nx - 1; i++) {
    const o = i + nx * (j + ny * k);
    if (bone[o] || hu[o]! < minHu) continue;
    const limits = [nx - 1 - i, i, ny - 1 - j, j, nz - 1 - k, k];
    let hits = 0, misses = 0;
    for (let d = 0; d < 6 && misses < 2; d++) {
      const step = steps[d]!, max = Math.min(reach, limits[d]!);
      let hit = false;
      for (let t = 1, q = o + step; t <= max; t++, q += step) {
        if (bone[q]) {
          hit = true;
          break;
        }
      }
      if (hit) hits++;
      else misses++;
    }
    if (hits >= 5) added.push(o);
  }
  for (const o of added) bone[o] = 1;
  return added.length;
}
