/**
 * Resamples a stack of parallel 2D planes — each at its own ImagePositionPatient — onto a regular
 * voxel grid whose slices are parallel to them. This one routine serves both corrections that
 * `computeStackGeometry` may ask for:
 *
 * - gantry tilt: output slice k lies in the plane of input slice k; its pixels are read from that
 *   slice shifted by the slice's in-plane drift (bilinear within the plane). This is what dcm2niix's
 *   tilt correction does (each slice is shifted along the image's column direction by its own offset,
 *   the first slice staying in place), so the output grid matches its `_Tilt_1` file.
 * - uneven spacing / missing slices: each output slice is a linear blend of the two input planes
 *   that bracket it along the normal.
 *
 * Points outside every plane (beyond the image edge after a shift, or beyond the first/last slice)
 * take `fill`.
 */
import { add, dot, scale, sub, type Vec3 } from '../../geometry/vec3.ts';
import type { VolumeGrid } from './slice-geometry.ts';

export interface StackPlane {
  readonly position: Vec3;
  readonly columns: number;
  readonly rows: number;
  /** [row spacing (along j), column spacing (along i)], DICOM order. */
  readonly pixelSpacing: readonly [number, number];
  /** `columns × rows` values, column index fastest. */
  readonly values: ArrayLike<number>;
}

export interface ResampleStackOptions {
  /** Planes sorted along the normal (as `computeStackGeometry` returns them). */
  readonly planes: readonly StackPlane[];
  /** Orthonormal i, j, k axes of the grid (row cosines, column cosines, normal). */
  readonly axes: readonly [Vec3, Vec3, Vec3];
  readonly grid: VolumeGrid;
  readonly fill: number;
}

export interface ResampleStackResult {
  readonly values: Float32Array;
  /** Output voxels that fell outside the planes and took `fill`. */
  readonly filledCount: number;
}

/** Bilinear sample of one plane at continuous pixel index (ci, cj); NaN outside. */
function samplePlane(plane: StackPlane, ci: number, cj: number): number {
  const eps = 1e-6;
  if (ci < -eps || cj < -eps || ci > plane.columns - 1 + eps || cj > plane.rows - 1 + eps) return Number.NaN;
  const i0 = Math.min(Math.max(Math.floor(ci), 0), plane.columns - 1);
  const j0 = Math.min(Math.max(Math.floor(cj), 0), plane.rows - 1);
  const i1 = Math.min(i0 + 1, plane.columns - 1);
  const j1 = Math.min(j0 + 1, plane.rows - 1);
  const fi = Math.min(Math.max(ci - i0, 0), 1);
  const fj = Math.min(Math.max(cj - j0, 0), 1);
  const v = plane.values;
  const w = plane.columns;
  const top = v[i0 + w * j0]! * (1 - fi) + v[i1 + w * j0]! * fi;
  const bottom = v[i0 + w * j1]! * (1 - fi) + v[i1 + w * j1]! * fi;
  return top * (1 - fj) + bottom * fj;
}

export function resampleSliceStack(options: ResampleStackOptions): ResampleStackResult {
  const { planes, axes, grid, fill } = options;
  const [row, col, normal] = axes;
  const [ni, nj, nk] = grid.size;
  const out = new Float32Array(ni * nj * nk);
  const planeOffsets = planes.map((p) => dot(p.position, normal));
  const tolerance = 1e-4;
  let filled = 0;
  let lower = 0;
  for (let k = 0; k < nk; k++) {
    const sliceOrigin = add(grid.origin, scale(normal, grid.spacing[2] * k));
    const s = dot(sliceOrigin, normal);
    while (lower < planes.length - 2 && planeOffsets[lower + 1]! <= s + tolerance) lower++;
    // Bracketing planes and their weights (one plane when the slice coincides with it).
    const a = lower;
    const b = Math.min(lower + 1, planes.length - 1);
    const sa = planeOffsets[a]!;
    const sb = planeOffsets[b]!;
    let contributions: { plane: StackPlane; weight: number }[];
    if (Math.abs(s - sa) <= tolerance) contributions = [{ plane: planes[a]!, weight: 1 }];
    else if (Math.abs(s - sb) <= tolerance) contributions = [{ plane: planes[b]!, weight: 1 }];
    else if (s > sa && s < sb) {
      const t = (s - sa) / (sb - sa);
      contributions = [
        { plane: planes[a]!, weight: 1 - t },
        { plane: planes[b]!, weight: t },
      ];
    } else contributions = [];
    // In-plane index of output voxel (0, 0, k) in each contributing plane; i and j then add 1:1
    // scaled by the spacing ratio (same orientation, same pixel spacing across the stack).
    const shifts = contributions.map(({ plane }) => {
      const d = sub(sliceOrigin, plane.position);
      return { ci0: dot(d, row) / plane.pixelSpacing[1], cj0: dot(d, col) / plane.pixelSpacing[0] };
    });
    const base = ni * nj * k;
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        let value = 0;
        let ok = contributions.length > 0;
        for (let c = 0; c < contributions.length && ok; c++) {
          const { plane, weight } = contributions[c]!;
          const shift = shifts[c]!;
          const sample = samplePlane(plane, shift.ci0 + (i * grid.spacing[0]) / plane.pixelSpacing[1], shift.cj0 + (j * grid.spacing[1]) / plane.pixelSpacing[0]);
          if (Number.isNaN(sample)) ok = false;
          else value += weight * sample;
        }
        if (ok) out[base + i + ni * j] = value;
        else {
          out[base + i + ni * j] = fill;
          filled++;
        }
      }
    }
  }
  return { values: out, filledCount: filled };
}
