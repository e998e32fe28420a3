/**
 * Resampling a volume onto another voxel grid (trilinear or nearest neighbour), in world space:
 * for every target voxel, world = target.indexToWorld · index, then source index =
 * source.worldToIndex · world, then interpolate. Both transforms come from the volumes' cached
 * matrices (practice 2 of the engineering notes): nothing re-derives geometry here.
 *
 * The source may be any sampled grid with a `worldToIndex` affine — also a non-orthogonal one (a
 * sheared, gantry-tilted stack), which a Volume cannot hold.
 *
 * Index convention: voxel centres sit at integer indices; a point is inside when every index lies in
 * [-0.5, n - 0.5] (the voxel's extent). Trilinear interpolation clamps to the edge voxel within that
 * half-voxel border; points further out take `fill`.
 */
import { mat4Multiply, mat4MulPoint, type Mat3, type Mat4 } from '../geometry/matrix.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import { affineFromGeometry, createVolume, type Volume, type VoxelUnit } from './volume.ts';
import { allocateVoxels, voxelTypeOf, type VoxelArray, type VoxelType } from './voxel-array.ts';

export interface SampledGrid {
  readonly size: Vec3;
  readonly worldToIndex: Mat4;
  readonly data: ArrayLike<number>;
}

export interface TargetGrid {
  readonly size: readonly number[];
  readonly spacing: readonly number[];
  readonly origin: readonly number[];
  readonly direction: readonly number[];
}

export type Interpolation = 'linear' | 'nearest';

export interface ResampleOptions {
  readonly source: SampledGrid;
  readonly target: TargetGrid;
  /** `linear` (trilinear, default) or `nearest` (for label maps). */
  readonly interpolation?: Interpolation;
  /** Value for target voxels outside the source (default 0). */
  readonly fill?: number;
  /** Output voxel type: default float32 for linear, the source's type for nearest (when it is a typed array). */
  readonly outputType?: VoxelType;
  /** Units of the result (default: the source's when it is a Volume, else `raw`). */
  readonly units?: VoxelUnit;
  readonly label?: string;
}

export interface ResampleResult {
  readonly volume: Volume;
  /** Target voxels that lay outside the source and took `fill`. */
  readonly outsideCount: number;
}

function isVoxelArray(data: ArrayLike<number>): data is VoxelArray {
  return ArrayBuffer.isView(data);
}

/** Trilinear sample at continuous index (x, y, z); NaN outside the source's extent. */
export function sampleTrilinear(source: SampledGrid, x: number, y: number, z: number): number {
  const [ni, nj, nk] = source.size;
  if (x < -0.5 || y < -0.5 || z < -0.5 || x > ni - 0.5 || y > nj - 0.5 || z > nk - 0.5) return Number.NaN;
  const cx = Math.min(Math.max(x, 0), ni - 1);
  const cy = Math.min(Math.max(y, 0), nj - 1);
  const cz = Math.min(Math.max(z, 0), nk - 1);
  const i0 = Math.floor(cx);
  const j0 = Math.floor(cy);
  const k0 = Math.floor(cz);
  const i1 = Math.min(i0 + 1, ni - 1);
  const j1 = Math.min(j0 + 1, nj - 1);
  const k1 = Math.min(k0 + 1, nk - 1);
  const fx = cx - i0;
  const fy = cy - j0;
  const fz = cz - k0;
  const d = source.data;
  const at = (i: number, j: number, k: number): number => d[i + ni * (j + nj * k)]!;
  const c00 = at(i0, j0, k0) * (1 - fx) + at(i1, j0, k0) * fx;
  const c10 = at(i0, j1, k0) * (1 - fx) + at(i1, j1, k0) * fx;
  const c01 = at(i0, j0, k1) * (1 - fx) + at(i1, j0, k1) * fx;
  const c11 = at(i0, j1, k1) * (1 - fx) + at(i1, j1, k1) * fx;
  return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
}

/** Nearest-neighbour sample at continuous index; NaN outside. */
export function sampleNearest(source: SampledGrid, x: number, y: number, z: number): number {
  const [ni, nj, nk] = source.size;
  if (x < -0.5 || y < -0.5 || z < -0.5 || x > ni - 0.5 || y > nj - 0.5 || z > nk - 0.5) return Number.NaN;
  const i = Math.min(Math.round(x), ni - 1);
  const j = Math.min(Math.round(y), nj - 1);
  const k = Math.min(Math.round(z), nk - 1);
  return source.data[i + ni * (j + nj * k)]!;
}

function clampToType(value: number, type: VoxelType): number {
  switch (type) {
    case 'float32':
    case 'float64':
      return value;
    default:
      return Math.round(value);
  }
}

export function resampleVolume(options: ResampleOptions): ResampleResult {
  const { source, target } = options;
  const interpolation = options.interpolation ?? 'linear';
  const fill = options.fill ?? 0;
  const outputType: VoxelType =
    options.outputType ?? (interpolation === 'nearest' && isVoxelArray(source.data) ? voxelTypeOf(source.data) : 'float32');
  const size = [target.size[0]!, target.size[1]!, target.size[2]!] as const;
  const targetToWorld = affineFromGeometry(
    [target.origin[0]!, target.origin[1]!, target.origin[2]!],
    [target.spacing[0]!, target.spacing[1]!, target.spacing[2]!],
    target.direction as unknown as Mat3,
  );
  // Compose target index → world → source index once: one affine per voxel instead of two.
  const m = mat4Multiply(source.worldToIndex, targetToWorld);
  const data = allocateVoxels(outputType, size[0] * size[1] * size[2]);
  const sample = interpolation === 'nearest' ? sampleNearest : sampleTrilinear;
  let outside = 0;
  let offset = 0;
  for (let k = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      const p = mat4MulPoint(m, [0, j, k]);
      for (let i = 0; i < size[0]; i++, offset++) {
        const v = sample(source, p[0] + m[0] * i, p[1] + m[4] * i, p[2] + m[8] * i);
        if (Number.isNaN(v)) {
          data[offset] = fill;
          outside++;
        } else data[offset] = clampToType(v, outputType);
      }
    }
  }
  const units: VoxelUnit = options.units ?? ('units' in source ? (source as unknown as Volume).units : 'raw');
  const label = options.label ?? ('label' in source ? (source as unknown as Volume).label : undefined);
  const volume = createVolume({ ...target, data, units, ...(label !== undefined ? { label } : {}) });
  return { volume, outsideCount: outside };
}

