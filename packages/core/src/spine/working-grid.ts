/**
 * The working grid: an isotropic grid aligned with the patient axes (LPS), covering the input volume.
 * Every step of the CT pipeline runs on it, so the algorithms never depend on how the scanner stored its
 * voxels (oblique, sagittal, anisotropic, flipped). The input is resampled through its own
 * `worldToIndex` affine (`resampleVolume`); the result goes back to the input grid through `indexToWorld`.
 * Axes: i → x (left), j → y (posterior), k → z (superior); index i + nx·(j + ny·k).
 */
import type { Vec3 } from '../geometry/vec3.ts';
import { resampleVolume } from '../volume/resample.ts';
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
  const { volume: resampled } = resampleVolume({
    source: volume,
    target: { size: n, spacing: [w, w, w], origin: min, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    interpolation: 'linear',
    fill: OUTSIDE_HU,
    outputType: 'float32',
  });
  return { nx: n[0]!, ny: n[1]!, nz: n[2]!, w, origin: min, hu: resampled.data as Float32Array };
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
