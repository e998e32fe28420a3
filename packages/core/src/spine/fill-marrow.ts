/**
 * Marrow left out of a vertebra (where an axial slice does not show a closed cortical ring, for example
 * next to an endplate) joins it in 3D: an unlabelled voxel bright enough for marrow (≥ `minHu`) whose rays
 * along the six axis directions meet the same vertebra within `reachMm` in at least five directions is
 * enclosed by that vertebra. A disc fails the test (its rays meet two different vertebrae, or none
 * sideways), and so does the canal (darker than marrow).
 */
import type { WorkGrid } from './working-grid.ts';

export interface FillMarrowOptions {
  readonly grid: WorkGrid;
  readonly segment: Uint8Array;
  readonly minHu: number;
  readonly reachMm: number;
}

export function fillEnclosedMarrow(options: FillMarrowOptions): number {
  const { grid, segment, minHu } = options;
  const { nx, ny, nz, hu } = grid;
  const plane = nx * ny;
  const reach = Math.max(2, Math.round(options.reachMm / grid.w));
  const steps = [1, -1, nx, -nx, plane, -plane];
  const added: number[] = [];
  const hits = new Int32Array(6);
  for (let k = 1; k < nz - 1; k++) for (let j = 1; j < ny - 1; j++) for (let i = 1; i < nx - 1; i++) {
    const o = i + nx * (j + ny * k);
    if (segment[o] || hu[o]! < minHu) continue;
    const limits = [nx - 1 - i, i, ny - 1 - j, j, nz - 1 - k, k];
    let found = 0;
    for (let d = 0; d < 6; d++) {
      hits[d] = 0;
      const step = steps[d]!, max = Math.min(reach, limits[d]!);
      for (let t = 1, q = o + step; t <= max; t++, q += step) {
        if (segment[q]) {
          hits[d] = segment[q]!;
          found++;
          break;
        }
      }
    }
    if (found < 5) continue;
    for (let d = 0; d < 6; d++) {
      const label = hits[d]!;
      if (label === 0) continue;
      let same = 0;
      for (let e = 0; e < 6; e++) if (hits[e] === label) same++;
      if (same >= 5) {
        added.push(o, label);
        break;
      }
    }
  }
  for (let n = 0; n < added.length; n += 2) segment[added[n]!] = added[n + 1]!;
  return added.length / 2;
}
