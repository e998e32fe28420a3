/**
 * Joint spaces between two bones: a thin dark valley between two bright cortical plates. At the working
 * resolution a 2 mm joint (sacroiliac, facet, costovertebral) blurs into bone-like HU, but it still reads
 * as a voxel clearly darker than cortex on both sides along one axis, within two voxels. Such voxels are
 * taken out of the bone that the vertebra markers grow through, so the growth stops at joints instead of
 * flowing from the sacrum into an ilium. Marrow (darker than cortex on every side) and solid cortex
 * (no darker voxel) are not gaps.
 */
import type { WorkGrid } from './working-grid.ts';

export interface JointGapOptions {
  readonly grid: WorkGrid;
  readonly bone: Uint8Array;
  /** Cortical plates are at least this bright (HU, default 500). */
  readonly cortexHu?: number;
  /** The gap is at least this much darker than both plates (HU, default 250). */
  readonly depthHu?: number;
}

/** 1 where a bone voxel sits in a joint space. */
export function findJointGaps(options: JointGapOptions): Uint8Array {
  const { grid, bone } = options;
  const { nx, ny, nz, hu } = grid;
  const cortex = options.cortexHu ?? 500, depth = options.depthHu ?? 250;
  const plane = nx * ny;
  const gaps = new Uint8Array(bone.length);
  const steps = [1, nx, plane];
  for (let k = 2; k < nz - 2; k++) for (let j = 2; j < ny - 2; j++) for (let i = 2; i < nx - 2; i++) {
    const o = i + nx * (j + ny * k);
    if (!bone[o]) continue;
    const v = hu[o]!;
    if (v >= 1000) continue;
    for (const d of steps) {
      const a = Math.max(hu[o - d]!, hu[o - 2 * d]!), b = Math.max(hu[o + d]!, hu[o + 2 * d]!);
      if (a >= cortex && b >= cortex && v <= Math.min(a, b) - depth) {
        gaps[o] = 1;
        break;
      }
    }
  }
  return gaps;
}
