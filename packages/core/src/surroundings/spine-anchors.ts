/**
 * Per axial slice of the work grid, where the spine is: the vertebral body centre (from the spine model's body
 * centre line), the canal centre (its canal centre line) and the front of the vertebral column (the most
 * anterior vertebra/disc voxel within 15 mm of the midline). Slices between centre-line points are
 * interpolated; slices beyond the spine's extent have no anchor (nothing there is opened as a corridor).
 */
import type { Vec3 } from '../geometry/vec3.ts';
import type { SpineModel } from '../spine/types.ts';
import type { LpsGrid } from './lps-grid.ts';

export interface SliceAnchor {
  /** Vertebral body centre (work x, y). */
  readonly bodyX: number;
  readonly bodyY: number;
  /** Canal centre y (work); the body centre's + 25 mm when the model has no canal there. */
  readonly canalY: number;
  /** Most anterior (smallest y) vertebra/disc voxel near the midline, or the body centre − 20 mm. */
  readonly frontY: number;
}

function interpolate(points: readonly Vec3[], grid: LpsGrid, nz: number): Array<[number, number] | undefined> {
  const work = points.map((p) => grid.worldToWork(p)).sort((a, b) => a[2] - b[2]);
  const out: Array<[number, number] | undefined> = new Array(nz).fill(undefined);
  if (work.length === 0) return out;
  for (let z = 0; z < nz; z++) {
    if (z < work[0]![2] - 0.5 || z > work[work.length - 1]![2] + 0.5) continue;
    let t = 0;
    while (t < work.length - 2 && work[t + 1]![2] < z) t++;
    const a = work[t]!, b = work[Math.min(t + 1, work.length - 1)]!;
    const f = b[2] === a[2] ? 0 : Math.min(1, Math.max(0, (z - a[2]) / (b[2] - a[2])));
    out[z] = [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])];
  }
  return out;
}

/** `isSpine(value)` says which label values are vertebrae or discs. */
export function sliceAnchors(model: SpineModel, grid: LpsGrid, spineLabels: Float32Array, isSpine: (value: number) => boolean): Array<SliceAnchor | undefined> {
  const [nx, ny, nz] = grid.dims;
  const [sx, sy] = grid.spacing;
  const body = interpolate(model.bodyCentreline, grid, nz);
  const canal = interpolate(model.canal.centreline, grid, nz);
  return body.map((b, z) => {
    if (b === undefined) return undefined;
    const [bx, by] = b;
    const c = canal[z];
    const canalY = c !== undefined && c[1] > by ? c[1] : by + 25 / sy;
    let front = by - 20 / sy;
    const half = Math.round(15 / sx);
    let found = Infinity;
    for (let x = Math.max(0, Math.round(bx) - half); x <= Math.min(nx - 1, Math.round(bx) + half); x++) {
      for (let y = 0; y < ny; y++) {
        if (isSpine(spineLabels[x + nx * (y + ny * z)]!)) { if (y < found) found = y; break; }
      }
    }
    if (found < by) front = found;
    return { bodyX: bx, bodyY: by, canalY, frontY: front };
  });
}
