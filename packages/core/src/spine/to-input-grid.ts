/**
 * The working-grid label map carried back to the input's own grid. Each input voxel centre goes through
 * the input's `indexToWorld` and the working grid's inverse; it takes the nearest working label. Bone
 * surfaces are then refined at the input's resolution: a vertebra voxel on the working grid's boundary is
 * kept only where the input voxel itself is mostly bone (≥ `surfaceHu`, about halfway from soft tissue to
 * cortex, so a voxel that only grazes the cortex stays out), and an input bone voxel that the nearest
 * working voxel missed takes the vertebra label of a neighbouring working voxel.
 */
import { mat4MulPoint } from '../geometry/matrix.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import type { WorkGrid } from './working-grid.ts';

export interface ToInputGridOptions {
  readonly grid: WorkGrid;
  readonly labels: Uint16Array;
  readonly input: Volume;
  readonly boneHu: number;
  /** A vertebra voxel at the working grid's surface is kept only at or above this HU (the partial-volume midpoint between cortex and soft tissue). */
  readonly surfaceHu: number;
  /** Label values that are bone (vertebrae), refined at the input's resolution. */
  readonly boneLabels: ReadonlySet<number>;
}

export function labelsToInputGrid(options: ToInputGridOptions): Volume {
  const { grid, labels, input, surfaceHu, boneLabels } = options;
  const { nx, ny, nz, w } = grid;
  const [si, sj, sk] = input.size;
  let maxLabel = 0;
  for (let o = 0; o < labels.length; o++) if (labels[o]! > maxLabel) maxLabel = labels[o]!;
  // Label maps are uint8 when every value fits (the phantom's convention), else uint16.
  const out = maxLabel <= 255 ? new Uint8Array(si * sj * sk) : new Uint16Array(si * sj * sk);
  const m = input.indexToWorld;
  const isBone = (o: number): boolean => boneLabels.has(labels[o]!);
  const interior = (i: number, j: number, k: number, value: number): boolean => {
    if (i <= 0 || j <= 0 || k <= 0 || i >= nx - 1 || j >= ny - 1 || k >= nz - 1) return false;
    const o = i + nx * (j + ny * k);
    return labels[o - 1] === value && labels[o + 1] === value && labels[o - nx] === value && labels[o + nx] === value &&
      labels[o - nx * ny] === value && labels[o + nx * ny] === value;
  };
  // Refining surfaces only pays where the input is finer than the working grid.
  const refine = Math.max(...input.spacing) < 0.9 * w;
  let offset = 0;
  for (let k = 0; k < sk; k++) {
    for (let j = 0; j < sj; j++) {
      const p0 = mat4MulPoint(m, [0, j, k]);
      let x = (p0[0] - grid.origin[0]) / w, y = (p0[1] - grid.origin[1]) / w, z = (p0[2] - grid.origin[2]) / w;
      const dx = m[0] / w, dy = m[4] / w, dz = m[8] / w;
      for (let i = 0; i < si; i++, offset++, x += dx, y += dy, z += dz) {
        const gi = Math.round(x), gj = Math.round(y), gk = Math.round(z);
        if (gi < 0 || gj < 0 || gk < 0 || gi >= nx || gj >= ny || gk >= nz) continue;
        const o = gi + nx * (gj + ny * gk);
        const value = labels[o]!;
        const bright = input.data[offset]! >= surfaceHu;
        if (value !== 0 && boneLabels.has(value)) {
          if (!refine || bright || interior(gi, gj, gk, value)) out[offset] = value;
          continue;
        }
        if (value !== 0) {
          out[offset] = value;
          continue;
        }
        if (!bright || !refine) continue;
        // A bone voxel the nearest working voxel missed: take a vertebra label from the surrounding corners.
        const fi = Math.floor(x), fj = Math.floor(y), fk = Math.floor(z);
        search: for (let dk = 0; dk <= 1; dk++) for (let dj = 0; dj <= 1; dj++) for (let di = 0; di <= 1; di++) {
          const ii = fi + di, jj = fj + dj, kk = fk + dk;
          if (ii < 0 || jj < 0 || kk < 0 || ii >= nx || jj >= ny || kk >= nz) continue;
          const q = ii + nx * (jj + ny * kk);
          if (isBone(q)) {
            out[offset] = labels[q]!;
            break search;
          }
        }
      }
    }
  }
  return createVolume({ size: input.size, spacing: input.spacing, origin: input.origin, direction: input.direction, data: out, units: 'label', label: 'spine segmentation' });
}
