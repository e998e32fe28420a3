/**
 * The working grid: an isotropic grid aligned with the patient axes (LPS), covering the input volume.
 * Every step of the CT pipeline runs on it, so the algorithms never depend on how the scanner stored its
 * voxels (oblique, sagittal, anisotropic, flipped). The input is resampled through its own
 * `worldToIndex` affine (`resampleVolume`); the result goes back to the input grid through `indexToWorld`.
 * Axes: i → x (left), j → y (posterior), k → z (superior); index i + nx·(j + ny·k).
 */
import type { Vec3 } from '../geometry/vec3.ts';
import { indexToWorld, type Volume } from '../volume/volume.ts';

export interface WorkGrid {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** Spacing along every axis (mm). */
  readonly w: number;
  /** LPS centre of voxel (0, 0, 0). */
  readonly origin: Vec3;
  /** Hounsfield units; −1024 outside the input. */
  readonly hu: Float32Array;
}

export const OUTSIDE_HU = -1024;

export function chooseWorkingSpacing(volume: Volume, requested?: number): number {
  if (requested !== undefined) return requested;
  return Math.max(1.5, Math.min(...volume.spacing));
}

/** World bounding box of the input's voxel centres. */
function worldBounds(volume: Volume): { min: Vec3; max: Vec3 } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const ci of [0, 1]) for (const cj of [0, 1]) for (const ck of [0, 1]) {
    const p = indexToWorld(volume, [ci * (volume.size[0] - 1), cj * (volume.size[1] - 1), ck * (volume.size[2] - 1)]);
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a]!, p[a]!);
      max[a] = Math.max(max[a]!, p[a]!);
    }
  }
  return { min: min as unknown as Vec3, max: max as unknown as Vec3 };
}

export function buildWorkGrid(volume: Volume, w: number): WorkGrid {
  const { min, max } = worldBounds(volume);
  const n = [0, 1, 2].map((a) => Math.max(1, Math.floor((max[a]! - min[a]!) / w + 1e-6) + 1));
  const [nx, ny, nz] = [n[0]!, n[1]!, n[2]!];
  return { nx, ny, nz, w, origin: min, hu: sampleOntoGrid(volume, min, w, nx, ny, nz) };
}

/**
 * Trilinear resampling of the input onto the working grid: the same arithmetic as `resampleVolume`
 * (world → input index through `worldToIndex`, edge voxels clamped within half a voxel, `OUTSIDE_HU`
 * beyond), written as one tight loop with incremental coordinates because it runs on every voxel of a
 * 512 × 512 × 300 CT's working grid.
 */
function sampleOntoGrid(volume: Volume, origin: Vec3, w: number, nx: number, ny: number, nz: number): Float32Array {
  const out = new Float32Array(nx * ny * nz);
  const m = volume.worldToIndex;
  const [si, sj, sk] = volume.size;
  const d = volume.data;
  const plane = si * sj;
  let o = 0;
  for (let k = 0; k < nz; k++) {
    const z = origin[2] + w * k;
    for (let j = 0; j < ny; j++) {
      const y = origin[1] + w * j;
      const x = origin[0];
      let fi = m[0] * x + m[1] * y + m[2] * z + m[3];
      let fj = m[4] * x + m[5] * y + m[6] * z + m[7];
      let fk = m[8] * x + m[9] * y + m[10] * z + m[11];
      const di = m[0] * w, dj = m[4] * w, dk = m[8] * w;
      for (let i = 0; i < nx; i++, o++, fi += di, fj += dj, fk += dk) {
        if (fi < -0.5 || fj < -0.5 || fk < -0.5 || fi > si - 0.5 || fj > sj - 0.5 || fk > sk - 0.5) {
          out[o] = OUTSIDE_HU;
          continue;
        }
        const ci = fi < 0 ? 0 : fi > si - 1 ? si - 1 : fi;
        const cj = fj < 0 ? 0 : fj > sj - 1 ? sj - 1 : fj;
        const ck = fk < 0 ? 0 : fk > sk - 1 ? sk - 1 : fk;
        const i0 = Math.floor(ci), j0 = Math.floor(cj), k0 = Math.floor(ck);
        const i1 = i0 + 1 < si ? i0 + 1 : i0, j1 = j0 + 1 < sj ? j0 + 1 : j0, k1 = k0 + 1 < sk ? k0 + 1 : k0;
        const tx = ci - i0, ty = cj - j0, tz = ck - k0;
        const a = j0 * si + k0 * plane, b = j1 * si + k0 * plane, c = j0 * si + k1 * plane, e = j1 * si + k1 * plane;
        const c00 = d[a + i0]! + (d[a + i1]! - d[a + i0]!) * tx;
        const c10 = d[b + i0]! + (d[b + i1]! - d[b + i0]!) * tx;
        const c01 = d[c + i0]! + (d[c + i1]! - d[c + i0]!) * tx;
        const c11 = d[e + i0]! + (d[e + i1]! - d[e + i0]!) * tx;
        const c0 = c00 + (c10 - c00) * ty, c1 = c01 + (c11 - c01) * ty;
        out[o] = c0 + (c1 - c0) * tz;
      }
    }
  }
  return out;
}

export function gridToWorld(grid: WorkGrid, i: number, j: number, k: number): Vec3 {
  return [grid.origin[0] + grid.w * i, grid.origin[1] + grid.w * j, grid.origin[2] + grid.w * k];
}

/** Continuous grid index of an LPS point. */
export function worldToGrid(grid: WorkGrid, p: Vec3): Vec3 {
  return [(p[0] - grid.origin[0]) / grid.w, (p[1] - grid.origin[1]) / grid.w, (p[2] - grid.origin[2]) / grid.w];
}

/** Offset of the nearest voxel to a continuous index, or −1 outside. */
export function nearestOffset(grid: WorkGrid, x: number, y: number, z: number): number {
  const i = Math.round(x), j = Math.round(y), k = Math.round(z);
  if (i < 0 || j < 0 || k < 0 || i >= grid.nx || j >= grid.ny || k >= grid.nz) return -1;
  return i + grid.nx * (j + grid.ny * k);
}
