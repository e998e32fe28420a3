/**
 * Puts a label volume onto a reference voxel grid. Same grid (size and every corner voxel centre
 * within a hundredth of the smallest spacing, so origin, spacing AND direction are compared):
 * used as is. Otherwise nearest-neighbour resampling through LPS (label values are never blended),
 * which is what a mask from another tool's conversion of the same series needs (e.g. a flipped or
 * cropped grid). A mask whose extent does not overlap the reference at all is refused with the reason.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { resampleVolume, type TargetGrid } from '../volume/resample.ts';
import { affineFromGeometry, compareGrids, createVolume, type Volume } from '../volume/volume.ts';
import { mat4InvertAffine, mat4Multiply, mat4MulPoint, type Mat3 } from '../geometry/matrix.ts';
import type { Vec3 } from '../geometry/vec3.ts';

/** A grid to put labels on: a Volume's geometry (its voxels are not needed). */
export type ReferenceGrid = Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction' | 'indexToWorld' | 'worldToIndex'>;

/** A ReferenceGrid from bare geometry (e.g. a DICOM series' `VolumeGrid`, before its voxels are loaded). */
export function referenceGridOf(grid: { readonly size: readonly number[]; readonly spacing: readonly number[]; readonly origin: readonly number[]; readonly direction: readonly number[] }): ReferenceGrid {
  const size = [grid.size[0]!, grid.size[1]!, grid.size[2]!] as const satisfies Vec3;
  const spacing = [grid.spacing[0]!, grid.spacing[1]!, grid.spacing[2]!] as const satisfies Vec3;
  const origin = [grid.origin[0]!, grid.origin[1]!, grid.origin[2]!] as const satisfies Vec3;
  const direction = [...grid.direction] as unknown as Mat3;
  const indexToWorld = affineFromGeometry(origin, spacing, direction);
  return { size, spacing, origin, direction, indexToWorld, worldToIndex: mat4InvertAffine(indexToWorld) };
}

export interface PlaceOnGridOptions {
  readonly volume: Volume;
  readonly reference: ReferenceGrid;
  /** Named in errors and notes (a file name, a structure). */
  readonly source: string;
}

export interface PlaceOnGridResult {
  readonly volume: Volume;
  /** True when the voxels were resampled (nearest neighbour) rather than used as they are. */
  readonly resampled: boolean;
  /** Labelled (non-zero) voxels of the input whose centre lies outside the reference grid. */
  readonly labelledVoxelsOutside: number;
  readonly labelledVoxels: number;
}

export function placeOnGrid(options: PlaceOnGridOptions): PlaceOnGridResult {
  const { volume, reference, source } = options;
  const tolerance = 0.01 * Math.min(...reference.spacing);
  const labelled = countLabelled(volume, reference);
  if (compareGrids(volume, reference, tolerance).same) {
    return { volume, resampled: false, labelledVoxelsOutside: 0, labelledVoxels: labelled.total };
  }
  if (labelled.total > 0 && labelled.outside === labelled.total) {
    throw new KeyholeError('GEOMETRY_MISMATCH', {
      file: source,
      message: `none of the ${labelled.total} labelled voxels lies inside the reference grid (${reference.size.join('×')} voxels from LPS [${reference.origin.map((v) => v.toFixed(1)).join(', ')}] mm): the mask belongs to another scan or another patient position`,
    });
  }
  if (labelled.total === 0 && !extentsOverlap(volume, reference)) {
    throw new KeyholeError('GEOMETRY_MISMATCH', {
      file: source,
      message: 'the mask is empty and its grid does not overlap the reference grid at all',
    });
  }
  const target: TargetGrid = { size: reference.size, spacing: reference.spacing, origin: reference.origin, direction: reference.direction };
  const { volume: resampled } = resampleVolume({ source: volume, target, interpolation: 'nearest', fill: 0, units: 'label' });
  return {
    volume: createVolume({ ...resampled, units: 'label' }),
    resampled: true,
    labelledVoxelsOutside: labelled.outside,
    labelledVoxels: labelled.total,
  };
}

/** Non-zero voxels of `volume`, and how many of their centres fall outside `reference`. */
function countLabelled(volume: Volume, reference: ReferenceGrid): { total: number; outside: number } {
  const [ni, nj, nk] = volume.size;
  const [ri, rj, rk] = reference.size;
  const data = volume.data;
  // volume index → reference index as one affine, evaluated incrementally along i (no allocation per voxel).
  const m = mat4Multiply(reference.worldToIndex, volume.indexToWorld);
  let total = 0;
  let outside = 0;
  let offset = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      const x0 = m[1] * j + m[2] * k + m[3];
      const y0 = m[5] * j + m[6] * k + m[7];
      const z0 = m[9] * j + m[10] * k + m[11];
      for (let i = 0; i < ni; i++, offset++) {
        if (data[offset] === 0) continue;
        total++;
        const x = x0 + m[0] * i;
        const y = y0 + m[4] * i;
        const z = z0 + m[8] * i;
        if (x < -0.5 || y < -0.5 || z < -0.5 || x > ri - 0.5 || y > rj - 0.5 || z > rk - 0.5) outside++;
      }
    }
  }
  return { total, outside };
}

/** Whether any corner of one grid's box maps inside the other's index range (either way), or the centres do. */
function extentsOverlap(a: ReferenceGrid, b: ReferenceGrid): boolean {
  const inside = (from: ReferenceGrid, to: ReferenceGrid): boolean => {
    for (const fi of [0, 0.5, 1]) {
      for (const fj of [0, 0.5, 1]) {
        for (const fk of [0, 0.5, 1]) {
          const world = mat4MulPoint(from.indexToWorld, [fi * (from.size[0] - 1), fj * (from.size[1] - 1), fk * (from.size[2] - 1)]);
          const [x, y, z] = mat4MulPoint(to.worldToIndex, world);
          if (x >= -0.5 && y >= -0.5 && z >= -0.5 && x <= to.size[0] - 0.5 && y <= to.size[1] - 0.5 && z <= to.size[2] - 0.5) return true;
        }
      }
    }
    return false;
  };
  return inside(a, b) || inside(b, a);
}
