/**
 * An axis-aligned view of a volume in LPS order: work axis 0 runs toward the patient's left (+x), 1 toward
 * posterior (+y), 2 toward superior (+z). The surroundings analysis walks axial slices and AP columns, so it
 * needs to know which voxel axis is which; a permutation with flips is exact (no resampling) for the axial,
 * sagittal and coronal stacks CT produces. Oblique grids (an axis more than ~25° off every patient axis)
 * are refused with a message saying to resample first.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { mat4MulPoint } from '../geometry/matrix.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { Volume } from '../volume/volume.ts';

export interface LpsGrid {
  /** Work grid size along L, P, S. */
  readonly dims: readonly [number, number, number];
  /** Work grid spacing (mm) along L, P, S. */
  readonly spacing: readonly [number, number, number];
  /** Input voxel offset of each work voxel (work offset = x + nx·(y + ny·z)). */
  readonly toInput: Int32Array;
  /** World (LPS mm) → fractional work index. */
  readonly worldToWork: (p: Vec3) => Vec3;
}

/** |cos| of the smallest angle between a voxel axis and its patient axis we accept (25°). */
const MIN_ALIGNMENT = Math.cos((25 * Math.PI) / 180);

export function lpsGridOf(volume: Volume): LpsGrid {
  const d = volume.direction;
  const axisOf: number[] = [];
  const signOf: number[] = [];
  for (let p = 0; p < 3; p++) {
    let best = -1, bestAbs = 0;
    for (let a = 0; a < 3; a++) {
      const c = Math.abs(d[3 * p + a]!);
      if (c > bestAbs) { bestAbs = c; best = a; }
    }
    if (bestAbs < MIN_ALIGNMENT || axisOf.includes(best)) {
      throw new KeyholeError('INVALID_ARGUMENT', { path: 'volume.direction', message: `the volume is oblique (no voxel axis within 25° of patient axis ${'xyz'[p]}); resample it to an axial stack before analysing the surroundings` });
    }
    axisOf.push(best);
    signOf.push(Math.sign(d[3 * p + best]!));
  }
  const size = volume.size;
  const dims = [size[axisOf[0]!]!, size[axisOf[1]!]!, size[axisOf[2]!]!] as const;
  const spacing = [volume.spacing[axisOf[0]!]!, volume.spacing[axisOf[1]!]!, volume.spacing[axisOf[2]!]!] as const;
  const stride = [1, size[0], size[0] * size[1]];
  const toInput = new Int32Array(dims[0] * dims[1] * dims[2]);
  const idx = [0, 0, 0];
  for (let z = 0, o = 0; z < dims[2]; z++) for (let y = 0; y < dims[1]; y++) for (let x = 0; x < dims[0]; x++, o++) {
    const u = [x, y, z];
    for (let p = 0; p < 3; p++) {
      const a = axisOf[p]!;
      idx[a] = signOf[p]! > 0 ? u[p]! : size[a]! - 1 - u[p]!;
    }
    toInput[o] = idx[0]! * stride[0]! + idx[1]! * stride[1]! + idx[2]! * stride[2]!;
  }
  const worldToWork = (pt: Vec3): Vec3 => {
    const ijk = mat4MulPoint(volume.worldToIndex, pt);
    const out: [number, number, number] = [0, 0, 0];
    for (let p = 0; p < 3; p++) {
      const a = axisOf[p]!;
      out[p] = signOf[p]! > 0 ? ijk[a]! : size[a]! - 1 - ijk[a]!;
    }
    return out;
  };
  return { dims, spacing, toInput, worldToWork };
}

/** The input's voxel values in work order. */
export function readInWorkOrder(grid: LpsGrid, data: ArrayLike<number>): Float32Array {
  const out = new Float32Array(grid.toInput.length);
  for (let o = 0; o < out.length; o++) out[o] = data[grid.toInput[o]!]!;
  return out;
}
