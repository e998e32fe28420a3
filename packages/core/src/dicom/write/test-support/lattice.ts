import type { Vec3 } from '../../../geometry/vec3.ts';
import { indexToWorld, worldToIndex, type Volume } from '../../../volume/volume.ts';

/**
 * Test support: whether two volumes sample the same lattice of voxel centres even when their
 * index axes are ordered or flipped differently (dcm2niix, for example, flips the row axis and
 * may reverse the slice order relative to the DICOM files). Compares the 8 corner voxel centres
 * as sets, and the sizes as a multiset.
 */
export interface LatticeComparison {
  readonly sizesMatch: boolean;
  /** Largest distance (mm) from a corner of `a` to the nearest corner of `b`, and back. */
  readonly maxCornerDistanceMm: number;
}

export function compareLattices(a: Volume, b: Volume): LatticeComparison {
  const sortedA = [...a.size].sort((x, y) => x - y);
  const sortedB = [...b.size].sort((x, y) => x - y);
  const sizesMatch = sortedA.every((n, axis) => n === sortedB[axis]);
  const cornersA = corners(a);
  const cornersB = corners(b);
  const nearest = (p: Vec3, set: Vec3[]): number => Math.min(...set.map((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])));
  const worst = Math.max(...cornersA.map((p) => nearest(p, cornersB)), ...cornersB.map((p) => nearest(p, cornersA)));
  return { sizesMatch, maxCornerDistanceMm: worst };
}

function corners(volume: Volume): Vec3[] {
  const out: Vec3[] = [];
  for (const ci of [0, 1]) {
    for (const cj of [0, 1]) {
      for (const ck of [0, 1]) {
        out.push(indexToWorld(volume, [ci * (volume.size[0] - 1), cj * (volume.size[1] - 1), ck * (volume.size[2] - 1)]));
      }
    }
  }
  return out;
}

/** The value of `other` at the voxel centre that coincides with voxel (i, j, k) of `reference`. */
export function valueAtSameVoxel(reference: Volume, other: Volume, index: Vec3): number {
  const p = indexToWorld(reference, index);
  const q = worldToIndex(other, p).map((v) => Math.round(v)) as unknown as Vec3;
  const offset = q[0] + other.size[0] * (q[1] + other.size[1] * q[2]);
  const value = other.data[offset];
  if (value === undefined || q.some((v, axis) => v < 0 || v >= other.size[axis as 0 | 1 | 2])) {
    throw new RangeError(`voxel [${index.join(', ')}] falls outside the other volume`);
  }
  return value;
}
