/**
 * Distance fields of the keep-out groups on a box of the label map around the planned level: one exact
 * Euclidean distance transform per group (distance-transform.ts), computed once and read along every
 * candidate cannula.
 */
import { mat4MulPoint } from '../geometry/matrix.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';
import { distanceTransform, sampleDistance, type DistanceField, type VoxelBox } from './distance-transform.ts';
import { KEEP_OUT_GROUPS, keepOutGroupOf, type KeepOutGroup } from './keep-out.ts';
import type { DiscLevel, PlanAnatomy } from './plan-anatomy.ts';

/**
 * A group's distance field, possibly on a coarser grid than the label map: coarse voxel (a, b, c) covers the label
 * map's voxels origin + step·(a, b, c) … + step − 1 and is set when any of them holds the group; its centre is at
 * label-map index `origin + step·(a, b, c) + (step − 1)/2`.
 */
export interface KeepOutField {
  readonly field: DistanceField;
  readonly origin: readonly [number, number, number];
  readonly step: readonly [number, number, number];
  /** Coarse voxel size, mm. */
  readonly spacingMm: readonly [number, number, number];
}

/** Distance (mm) to the group at continuous label-map index (x, y, z). */
export function sampleField(f: KeepOutField, x: number, y: number, z: number): number {
  const s = f.step, o = f.origin;
  return sampleDistance(f.field, (x - o[0] - (s[0] - 1) / 2) / s[0], (y - o[1] - (s[1] - 1) / 2) / s[1], (z - o[2] - (s[2] - 1) / 2) / s[2], f.spacingMm);
}

export interface KeepOutFields {
  readonly box: VoxelBox;
  readonly fields: ReadonlyMap<KeepOutGroup, KeepOutField>;
  /** Label value → group index into KEEP_OUT_GROUPS (−1: not a keep-out). */
  readonly groupOfValue: Int8Array;
}

/** The index-space box (clamped to the volume) of a world-space box. */
export function indexBoxOf(volume: Volume, min: Vec3, max: Vec3): VoxelBox {
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const x of [min[0], max[0]]) for (const y of [min[1], max[1]]) for (const z of [min[2], max[2]]) {
    const p = mat4MulPoint(volume.worldToIndex, [x, y, z]);
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, p[a]!);
      hi[a] = Math.max(hi[a]!, p[a]!);
    }
  }
  const l = [0, 1, 2].map((a) => Math.max(0, Math.floor(lo[a]!))) as [number, number, number];
  const h = [0, 1, 2].map((a) => Math.min(volume.size[a]! - 1, Math.ceil(hi[a]!)));
  return { lo: l, dims: [Math.max(1, h[0]! - l[0] + 1), Math.max(1, h[1]! - l[1] + 1), Math.max(1, h[2]! - l[2] + 1)] };
}

export function groupLookup(anatomy: PlanAnatomy, level: DiscLevel, side: Side): Int8Array {
  const maxValue = Math.max(0, ...anatomy.nameOfValue.keys());
  const table = new Int8Array(maxValue + 1).fill(-1);
  for (const [value, name] of anatomy.nameOfValue) {
    const group = keepOutGroupOf(name, level, side);
    if (group !== undefined) table[value] = KEEP_OUT_GROUPS.indexOf(group);
  }
  return table;
}

/** Distances beyond this (mm) are only known to be at least this: enough for any clearance margin. */
export const DISTANCE_CAP_MM = 25;

/**
 * The fields of every group on `box`. On a label map finer than `fieldVoxelMm` the fields are computed on blocks of
 * whole voxels about that size (any voxel of the group marks its block): the search only needs approximate
 * distances, and the plans it keeps are re-checked against the label map's own voxels (trajectory.ts).
 */
export function computeKeepOutFields(anatomy: PlanAnatomy, level: DiscLevel, side: Side, box: VoxelBox, capMm = DISTANCE_CAP_MM, fieldVoxelMm = 2): KeepOutFields {
  const groupOfValue = groupLookup(anatomy, level, side);
  const { labels } = anatomy;
  const [ni, nj] = labels.size;
  const [bi, bj, bk] = box.dims;
  // Group index of every box voxel, once.
  const boxGroup = new Int8Array(bi * bj * bk).fill(-1);
  const present = new Set<number>();
  for (let c = 0, o = 0; c < bk; c++) for (let b = 0; b < bj; b++) {
    let idx = box.lo[0] + ni * (box.lo[1] + b + nj * (box.lo[2] + c));
    for (let a = 0; a < bi; a++, o++, idx++) {
      const v = labels.data[idx]!;
      const g = v < groupOfValue.length ? groupOfValue[v]! : -1;
      boxGroup[o] = g;
      if (g >= 0) present.add(g);
    }
  }
  const spacing: [number, number, number] = [labels.spacing[0], labels.spacing[1], labels.spacing[2]];
  // Each group's distances on its own bounding box dilated by `capMm` (inside the search box): beyond it the
  // distance is at least `capMm`, which is all a clearance check needs to know.
  const lo = KEEP_OUT_GROUPS.map(() => [Infinity, Infinity, Infinity]);
  const hi = KEEP_OUT_GROUPS.map(() => [-Infinity, -Infinity, -Infinity]);
  for (let c = 0, o = 0; c < bk; c++) for (let b = 0; b < bj; b++) for (let a = 0; a < bi; a++, o++) {
    const g = boxGroup[o]!;
    if (g < 0) continue;
    const l = lo[g]!, h = hi[g]!;
    if (a < l[0]!) l[0] = a;
    if (a > h[0]!) h[0] = a;
    if (b < l[1]!) l[1] = b;
    if (b > h[1]!) h[1] = b;
    if (c < l[2]!) l[2] = c;
    if (c > h[2]!) h[2] = c;
  }
  const step = [0, 1, 2].map((a) => Math.max(1, Math.floor(fieldVoxelMm / spacing[a]! + 1e-6))) as [number, number, number];
  const coarse: [number, number, number] = [spacing[0] * step[0], spacing[1] * step[1], spacing[2] * step[2]];
  const fields = new Map<KeepOutGroup, KeepOutField>();
  KEEP_OUT_GROUPS.forEach((group, g) => {
    if (!present.has(g)) {
      fields.set(group, { field: distanceTransform({ lo: [0, 0, 0], dims: [1, 1, 1] }, coarse, () => false), origin: box.lo, step, spacingMm: coarse });
      return;
    }
    const pad = [0, 1, 2].map((a) => Math.ceil(capMm / spacing[a]!));
    const sl = [0, 1, 2].map((a) => Math.max(0, lo[g]![a]! - pad[a]!));
    const sh = [0, 1, 2].map((a) => Math.min(box.dims[a]! - 1, hi[g]![a]! + pad[a]!));
    const dims: [number, number, number] = [0, 1, 2].map((a) => Math.ceil((sh[a]! - sl[a]! + 1) / step[a]!)) as [number, number, number];
    const mask = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let c = sl[2]!; c <= sh[2]!; c++) for (let b = sl[1]!; b <= sh[1]!; b++) {
      const row = Math.floor((c - sl[2]!) / step[2]) * dims[0] * dims[1] + Math.floor((b - sl[1]!) / step[1]) * dims[0];
      let q = sl[0]! + bi * (b + bj * c);
      for (let a = sl[0]!; a <= sh[0]!; a++, q++) if (boxGroup[q] === g) mask[row + Math.floor((a - sl[0]!) / step[0])] = 1;
    }
    fields.set(group, {
      field: distanceTransform({ lo: [0, 0, 0], dims }, coarse, (o) => mask[o] === 1, 1000, capMm),
      origin: [box.lo[0] + sl[0]!, box.lo[1] + sl[1]!, box.lo[2] + sl[2]!],
      step,
      spacingMm: coarse,
    });
  });
  return { box, fields, groupOfValue };
}
