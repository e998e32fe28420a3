/**
 * Marrow darker than any bone threshold, left as holes inside a vertebra. On the real CT (a 55-year-old's,
 * `../shared/data/ct-abdomen-pelvis-3mm`) the bodies of T12–L1 hold marrow of 40–110 HU — fatty marrow falls
 * with age and osteoporosis [Pickhardt 2013, cited in phantom/imaging/tissue-physics.ts] — so the HU tests
 * of `bone-mask.ts` and `fill-marrow.ts` leave 3–6 % of each body out, and the reference (and the anatomy)
 * count it in. A voxel enclosed by one vertebra's own voxels in its sagittal or its coronal plane is inside
 * that vertebra, whatever its HU. Neither plane encloses the spinal canal (it runs on cranially and
 * caudally past every vertebra) nor a disc or a foramen (each lies between two vertebrae); the axial plane
 * is not used because there the neural arch encloses the canal.
 */
import type { WorkGrid } from './working-grid.ts';

export interface FillLabelHolesOptions {
  readonly grid: WorkGrid;
  /** Per working voxel: 0 or a vertebra label (1…`labelCount`); holes are filled in place. */
  readonly segment: Uint8Array;
  readonly labelCount: number;
  /** A 2D hole larger than this (mm²) is not marrow (default 600: most of a lumbar body's sagittal section). */
  readonly maxHoleMm2?: number;
}

/** Returns the number of voxels added. */
export function fillLabelHoles(options: FillLabelHolesOptions): number {
  const { grid, segment, labelCount } = options;
  const { nx, ny } = grid;
  const maxHole = (options.maxHoleMm2 ?? 600) / (grid.w * grid.w);
  const boxes = labelBoxes(grid, segment, labelCount);
  const additions: number[] = [];
  for (let label = 1; label <= labelCount; label++) {
    const box = boxes[label];
    if (box === undefined) continue;
    // Sagittal planes (fixed i: axes j, k) and coronal planes (fixed j: axes i, k).
    for (let i = box.i0; i <= box.i1; i++) {
      fillPlane(segment, label, { a0: box.j0, a1: box.j1, b0: box.k0, b1: box.k1 }, (a, b) => i + nx * (a + ny * b), maxHole, additions);
    }
    for (let j = box.j0; j <= box.j1; j++) {
      fillPlane(segment, label, { a0: box.i0, a1: box.i1, b0: box.k0, b1: box.k1 }, (a, b) => a + nx * (j + ny * b), maxHole, additions);
    }
  }
  let added = 0;
  for (let n = 0; n < additions.length; n += 2) {
    if (segment[additions[n]!] === 0) {
      segment[additions[n]!] = additions[n + 1]!;
      added++;
    }
  }
  return added;
}

interface Box {
  i0: number; i1: number; j0: number; j1: number; k0: number; k1: number;
}

function labelBoxes(grid: WorkGrid, segment: Uint8Array, labelCount: number): (Box | undefined)[] {
  const { nx, ny, nz } = grid;
  const boxes: (Box | undefined)[] = new Array(labelCount + 1).fill(undefined);
  let o = 0;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, o++) {
    const v = segment[o]!;
    if (v === 0 || v > labelCount) continue;
    const b = boxes[v];
    if (b === undefined) boxes[v] = { i0: i, i1: i, j0: j, j1: j, k0: k, k1: k };
    else {
      if (i < b.i0) b.i0 = i;
      if (i > b.i1) b.i1 = i;
      if (j < b.j0) b.j0 = j;
      if (j > b.j1) b.j1 = j;
      if (k > b.k1) b.k1 = k;
    }
  }
  return boxes;
}

/**
 * Within one plane's part of the label's box, the non-label pixels not 4-connected to the box's border
 * are holes; unlabelled ones are queued as (offset, label) when the hole is small enough.
 */
function fillPlane(
  segment: Uint8Array, label: number, r: { a0: number; a1: number; b0: number; b1: number },
  offset: (a: number, b: number) => number, maxHole: number, additions: number[],
): void {
  const wa = r.a1 - r.a0 + 1, wb = r.b1 - r.b0 + 1;
  if (wa < 3 || wb < 3) return;
  const state = new Uint8Array(wa * wb); // 0 unvisited background, 1 label, 2 reached from the border
  for (let b = 0; b < wb; b++) for (let a = 0; a < wa; a++) if (segment[offset(r.a0 + a, r.b0 + b)] === label) state[a + wa * b] = 1;
  const stack: number[] = [];
  const push = (p: number): void => {
    if (state[p] === 0) {
      state[p] = 2;
      stack.push(p);
    }
  };
  for (let a = 0; a < wa; a++) {
    push(a);
    push(a + wa * (wb - 1));
  }
  for (let b = 0; b < wb; b++) {
    push(wa * b);
    push(wa - 1 + wa * b);
  }
  while (stack.length > 0) {
    const p = stack.pop()!;
    const a = p % wa, b = (p - a) / wa;
    if (a > 0) push(p - 1);
    if (a < wa - 1) push(p + 1);
    if (b > 0) push(p - wa);
    if (b < wb - 1) push(p + wa);
  }
  // Remaining 0s are holes; measure each hole before filling it.
  const region: number[] = [];
  for (let start = 0; start < state.length; start++) {
    if (state[start] !== 0) continue;
    region.length = 0;
    state[start] = 3;
    region.push(start);
    for (let n = 0; n < region.length; n++) {
      const p = region[n]!;
      const a = p % wa, b = (p - a) / wa;
      for (const q of [a > 0 ? p - 1 : -1, a < wa - 1 ? p + 1 : -1, b > 0 ? p - wa : -1, b < wb - 1 ? p + wa : -1]) {
        if (q >= 0 && state[q] === 0) {
          state[q] = 3;
          region.push(q);
        }
      }
    }
    if (region.length > maxHole) continue;
    for (const p of region) {
      const a = p % wa, b = (p - a) / wa;
      const o = offset(r.a0 + a, r.b0 + b);
      if (segment[o] === 0) additions.push(o, label);
    }
  }
}
