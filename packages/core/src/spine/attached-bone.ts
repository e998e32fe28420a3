/**
 * Bone attached to each vertebra outside the column box: ribs on thoracic vertebrae, the ilia on the
 * sacrum (through the sacroiliac joints). All segmented vertebrae grow at once into the remaining bone,
 * dilated by one voxel so that joint spaces narrower than ~2 voxels (costovertebral, sacroiliac) still
 * connect. Per vertebra and side we keep how far laterally the attached bone reaches and its volume:
 * a rib reaches far out but is slender; an ilium is large.
 */
import type { WorkGrid } from './working-grid.ts';

export interface AttachedBone {
  /** Farthest lateral reach (mm from the column axis) per side; the side is +x (left) or −x (right). */
  readonly reachMm: { left: number; right: number };
  /** Volume (ml) of attached bone per side. */
  readonly volumeMl: { left: number; right: number };
  /** Other segments (1-based labels) whose attached bone touches this one's (an ilium shared with the sacrum). */
  readonly touches: Set<number>;
}

export interface AttachedBoneOptions {
  readonly grid: WorkGrid;
  readonly bone: Uint8Array;
  readonly segment: Uint8Array;
  readonly segmentCount: number;
  readonly axisI: Float64Array;
}

export function findAttachedBone(options: AttachedBoneOptions): AttachedBone[] {
  const { grid, bone, segment, axisI } = options;
  const { nx, ny, nz, w } = grid;
  const plane = nx * ny;
  const n = plane * nz;
  // One-voxel dilation of bone bridges narrow joint spaces.
  const reachable = new Uint8Array(n);
  for (let o = 0; o < n; o++) {
    if (!bone[o]) continue;
    reachable[o] = 1;
    const i = o % nx, j = ((o - i) / nx) % ny, k = Math.floor(o / plane);
    if (i > 0) reachable[o - 1] = 1;
    if (i < nx - 1) reachable[o + 1] = 1;
    if (j > 0) reachable[o - nx] = 1;
    if (j < ny - 1) reachable[o + nx] = 1;
    if (k > 0) reachable[o - plane] = 1;
    if (k < nz - 1) reachable[o + plane] = 1;
  }
  const owner = segment.slice();
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  for (let o = 0; o < n; o++) if (owner[o]) queue[tail++] = o;
  const result = Array.from({ length: options.segmentCount }, () => ({ reachMm: { left: 0, right: 0 }, volumeMl: { left: 0, right: 0 }, touches: new Set<number>() }));
  const voxelMl = (w * w * w) / 1000;
  while (head < tail) {
    const o = queue[head++]!;
    const label = owner[o]!;
    const i = o % nx, j = ((o - i) / nx) % ny, k = Math.floor(o / plane);
    if (!segment[o] && bone[o]) {
      const dx = (i - axisI[k]!) * w;
      const entry = result[label - 1]!;
      const side = dx >= 0 ? 'left' : 'right';
      entry.reachMm[side] = Math.max(entry.reachMm[side], Math.abs(dx));
      entry.volumeMl[side] += voxelMl;
    }
    const visit = (q: number): void => {
      if (owner[q] && owner[q] !== label && !segment[q] && !segment[o]) {
        result[label - 1]!.touches.add(owner[q]!);
        result[owner[q]! - 1]!.touches.add(label);
      }
      if (owner[q] || !reachable[q]) return;
      owner[q] = label;
      queue[tail++] = q;
    };
    if (i > 0) visit(o - 1);
    if (i < nx - 1) visit(o + 1);
    if (j > 0) visit(o - nx);
    if (j < ny - 1) visit(o + nx);
    if (k > 0) visit(o - plane);
    if (k < nz - 1) visit(o + plane);
  }
  return result;
}
