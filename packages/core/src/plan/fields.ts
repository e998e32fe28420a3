/**
 * Distance fields of the keep-out groups on a box of the label map around the planned level: one exact
 * Euclidean distance transform per group (distance-transform.ts), computed once and read along every
 * candidate cannula.
 */
import { mat4MulPoint } from '../geometry/matrix.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';
import { distanceTransform, type DistanceField, type VoxelBox } from './distance-transform.ts';
import { KEEP_OUT_GROUPS, keepOutGroupOf, type KeepOutGroup } from './keep-out.ts';
import type { DiscLevel, PlanAnatomy } from './plan-anatomy.ts';

export interface KeepOutFields {
  readonly box: VoxelBox;
  readonly fields: ReadonlyMap<KeepOutGroup, DistanceField>;
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

export function computeKeepOutFields(anatomy: PlanAnatomy, level: DiscLevel, side: Side, box: VoxelBox, capMm = DISTANCE_CAP_MM): KeepOutFields {
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
  const fields = new Map<KeepOutGroup, DistanceField>();
  KEEP_OUT_GROUPS.forEach((group, g) => {
    if (!present.has(g)) {
      fields.set(group, distanceTransform({ lo: box.lo, dims: [1, 1, 1] }, spacing, () => false));
      return;
    }
    const pad = [0, 1, 2].map((a) => Math.ceil(capMm / spacing[a]!));
    const sl = [0, 1, 2].map((a) => Math.max(0, lo[g]![a]! - pad[a]!));
    const sh = [0, 1, 2].map((a) => Math.min(box.dims[a]! - 1, hi[g]![a]! + pad[a]!));
    const dims: [number, number, number] = [sh[0]! - sl[0]! + 1, sh[1]! - sl[1]! + 1, sh[2]! - sl[2]! + 1];
    const sub: VoxelBox = { lo: [box.lo[0] + sl[0]!, box.lo[1] + sl[1]!, box.lo[2] + sl[2]!], dims };
    const mask = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let c = 0, o = 0; c < dims[2]; c++) for (let b = 0; b < dims[1]; b++) {
      let q = sl[0]! + bi * (sl[1]! + b + bj * (sl[2]! + c));
      for (let a = 0; a < dims[0]; a++, o++, q++) if (boxGroup[q] === g) mask[o] = 1;
    }
    fields.set(group, distanceTransform(sub, spacing, (o) => mask[o] === 1, 1000, capMm));
  });
  return { box, fields, groupOfValue };
}
