/**
 * Marrow left out of a vertebra (where an axial slice does not show a closed cortical ring, for example
 * next to an endplate) joins it in 3D: an unlabelled voxel bright enough for marrow (≥ `minHu`) whose rays
 * along the six axis directions meet that vertebra (and no other) within `reachMm` in at least five
 * directions, counting rays that leave the image (a bone cut by the field of view), is enclosed by it. A
 * disc fails the test (its rays meet two different vertebrae), and so does the canal (darker than marrow).
 */
import { OUTSIDE_HU, type WorkGrid } from './working-grid.ts';

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
    // Per direction: the label met, −1 where the ray leaves the image first (a cut bone), 0 for nothing.
    let label = 0, hitsOfLabel = 0, leaves = 0, conflict = false;
    for (let d = 0; d < 6 && !conflict; d++) {
      hits[d] = 0;
      const step = steps[d]!, max = Math.min(reach, limits[d]!);
      let t = 1, q = o + step;
      for (; t <= max; t++, q += step) {
        if (hu[q] === OUTSIDE_HU) break;
        if (segment[q]) {
          hits[d] = segment[q]!;
          break;
        }
      }
      if (hits[d] === 0 && (t > limits[d]! || hu[q] === OUTSIDE_HU)) leaves++;
      else if (hits[d] !== 0) {
        if (label === 0) label = hits[d]!;
        if (hits[d] === label) hitsOfLabel++;
        else conflict = true;
      }
    }
    // Enclosed by one vertebra and by nothing else: a disc meets two vertebrae, soft tissue beside the
    // column meets none on its far side.
    if (!conflict && label !== 0 && hitsOfLabel >= 3 && hitsOfLabel + leaves >= 5) added.push(o, label);
  }
  for (let n = 0; n < added.length; n += 2) segment[added[n]!] = added[n + 1]!;
  return added.length / 2;
}
