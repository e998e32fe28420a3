import { KeyholeError } from '../errors/keyhole-error.ts';
import { mat3Determinant, mat3OrthonormalityError, mat4InvertAffine, mat4MulPoint, type Mat3, type Mat4 } from '../geometry/matrix.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { VoxelArray } from './voxel-array.ts';

/**
 * What a voxel value means. `HU` for CT after rescale, `signal` for MR (arbitrary units),
 * `label` for label maps, `Hz` for field maps, `raw` for stored values without a known meaning.
 */
export type VoxelUnit = 'HU' | 'signal' | 'label' | 'Hz' | 'raw' | 'unitless' | 'mm' | 'percent';

/**
 * THE volume type of Keyhole. One convention, everywhere:
 *
 * - space: DICOM patient coordinates, LPS (x to the patient's Left, y to Posterior, z to Superior), millimetres;
 * - voxel axes are named i, j, k; `data[i + ni * (j + nj * k)]` (i fastest);
 * - `origin` is the LPS centre of voxel (0, 0, 0);
 * - `spacing` is the distance in mm between voxel centres along i, j, k;
 * - `direction` is a 3×3 matrix stored ROW-MAJOR (`direction[3 * row + col]`) whose COLUMN c is the
 *   LPS unit vector of voxel axis c (ITK's convention);
 * - world = origin + direction · diag(spacing) · index; `indexToWorld` and `worldToIndex` hold that
 *   affine and its inverse (row-major 4×4), computed once by `createVolume`.
 *
 * A Volume is a plain, immutable-by-contract object: it crosses worker boundaries with structuredClone
 * or postMessage (transfer `data.buffer`) without losing anything. Build one only with `createVolume`,
 * which validates the geometry and fails loudly.
 */
export interface Volume {
  readonly space: 'LPS';
  readonly size: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly direction: Mat3;
  readonly data: VoxelArray;
  readonly units: VoxelUnit;
  readonly indexToWorld: Mat4;
  readonly worldToIndex: Mat4;
  /** Free-form description (for example `echo 2`, `magnitude`); shown in `keyhole info`. */
  readonly label?: string;
}

export interface VolumeInit {
  readonly size: readonly number[];
  readonly spacing: readonly number[];
  readonly origin: readonly number[];
  readonly direction: readonly number[];
  readonly data: VoxelArray;
  readonly units: VoxelUnit;
  readonly label?: string;
}

/** Direction matrices must be orthonormal to this tolerance (DICOM headers carry ~6 decimals). */
export const DIRECTION_TOLERANCE = 1e-4;

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new KeyholeError('GEOMETRY_INVALID', { message, details });
}

function vec3(name: string, values: readonly number[], positive: boolean): Vec3 {
  if (values.length !== 3 || !values.every((v) => Number.isFinite(v))) {
    fail(`${name} must be three finite numbers, got [${values.join(', ')}]`, { [name]: values });
  }
  if (positive && !values.every((v) => v > 0)) fail(`${name} must be positive, got [${values.join(', ')}]`, { [name]: values });
  return [values[0]!, values[1]!, values[2]!];
}

export function affineFromGeometry(origin: Vec3, spacing: Vec3, direction: Mat3): Mat4 {
  const d = direction;
  return [
    d[0] * spacing[0], d[1] * spacing[1], d[2] * spacing[2], origin[0],
    d[3] * spacing[0], d[4] * spacing[1], d[5] * spacing[2], origin[1],
    d[6] * spacing[0], d[7] * spacing[1], d[8] * spacing[2], origin[2],
    0, 0, 0, 1,
  ];
}

/** Validates the geometry and builds a Volume with its cached transforms. */
export function createVolume(init: VolumeInit): Volume {
  const size = vec3('size', init.size, true);
  if (!size.every((n) => Number.isInteger(n))) fail(`size must be whole numbers, got [${size.join(', ')}]`);
  const spacing = vec3('spacing', init.spacing, true);
  const origin = vec3('origin', init.origin, false);
  if (init.direction.length !== 9 || !init.direction.every((v) => Number.isFinite(v))) {
    fail(`direction must be 9 finite numbers, got ${init.direction.length}`);
  }
  const direction = [...init.direction] as unknown as Mat3;
  const orthoError = mat3OrthonormalityError(direction);
  if (orthoError > DIRECTION_TOLERANCE) {
    fail(`direction is not orthonormal (error ${orthoError.toExponential(2)}): the image axes are skewed or not unit length`, {
      direction,
    });
  }
  const expected = size[0] * size[1] * size[2];
  if (init.data.length !== expected) {
    fail(`voxel data has ${init.data.length} values but size ${size.join('×')} needs ${expected}`, { size, length: init.data.length });
  }
  const indexToWorld = affineFromGeometry(origin, spacing, direction);
  const volume: Volume = {
    space: 'LPS',
    size,
    spacing,
    origin,
    direction,
    data: init.data,
    units: init.units,
    indexToWorld,
    worldToIndex: mat4InvertAffine(indexToWorld),
    ...(init.label !== undefined ? { label: init.label } : {}),
  };
  return volume;
}

/** A new volume on the same grid with other voxels (for example a label map or a filtered copy). */
export function withData(volume: Volume, data: VoxelArray, units: VoxelUnit, label?: string): Volume {
  return createVolume({ ...volume, data, units, ...(label !== undefined ? { label } : {}) });
}

/** LPS position (mm) of a voxel index; fractional indices are allowed. */
export function indexToWorld(volume: Volume, index: Vec3): Vec3 {
  return mat4MulPoint(volume.indexToWorld, index);
}

/** Continuous voxel index of an LPS position (mm). */
export function worldToIndex(volume: Volume, point: Vec3): Vec3 {
  return mat4MulPoint(volume.worldToIndex, point);
}

/** Linear offset of voxel (i, j, k) in `data`. */
export function voxelOffset(volume: Volume, i: number, j: number, k: number): number {
  return i + volume.size[0] * (j + volume.size[1] * k);
}

export function containsIndex(volume: Volume, index: Vec3): boolean {
  return index.every((v, axis) => v >= -0.5 && v <= volume.size[axis as 0 | 1 | 2] - 0.5);
}

/** +1 when i×j points along k (right-handed voxel axes), −1 otherwise. */
export function handedness(volume: Volume): 1 | -1 {
  return mat3Determinant(volume.direction) >= 0 ? 1 : -1;
}

export interface GridComparison {
  readonly same: boolean;
  /** Largest distance (mm) between corresponding corner voxel centres. */
  readonly maxCornerDistanceMm: number;
  readonly sizeMatches: boolean;
}

/**
 * Whether two volumes share one voxel grid: same size and every corner voxel centre within
 * `toleranceMm` (compares origin, spacing AND direction, which baseline comparisons often forget).
 */
export function compareGrids(a: Pick<Volume, 'size' | 'indexToWorld'>, b: Pick<Volume, 'size' | 'indexToWorld'>, toleranceMm = 1e-3): GridComparison {
  const sizeMatches = a.size.every((n, axis) => n === b.size[axis as 0 | 1 | 2]);
  let worst = 0;
  for (const ci of [0, 1]) {
    for (const cj of [0, 1]) {
      for (const ck of [0, 1]) {
        const index: Vec3 = [ci * (a.size[0] - 1), cj * (a.size[1] - 1), ck * (a.size[2] - 1)];
        const pa = mat4MulPoint(a.indexToWorld, index);
        const pb = mat4MulPoint(b.indexToWorld, index);
        worst = Math.max(worst, Math.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]));
      }
    }
  }
  return { same: sizeMatches && worst <= toleranceMm, maxCornerDistanceMm: worst, sizeMatches };
}
