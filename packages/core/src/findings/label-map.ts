import { mat4MulPoint } from '../geometry/matrix.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import { VERTEBRA_NAMES, discName } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';

/**
 * Label maps in Keyhole's vocabulary (phantom truth, the anatomy pipeline) or TotalSegmentator's
 * (`vertebrae_L1`, `sacrum`, `vertebrae_S1`, `spinal_cord`): names are normalised to the vocabulary here,
 * once, so the measurements never look at a label's spelling again.
 */

/** Legend forms accepted: `{labels:[{value,name}]}` (keyhole segment), `{value: name}` (phantom truth, TotalSegmentator). */
export type LegendInput = { readonly labels: ReadonlyArray<{ readonly value: number; readonly name: string }> } | Readonly<Record<string, string>>;

/** Vocabulary name of a legend name: `vertebrae_L1` → `L1`; TotalSegmentator's `vertebrae_S1` joins `sacrum`. */
export function normaliseName(name: string): string {
  const n = name.trim();
  const ts = /^vertebrae_(C[1-7]|T1[0-3]|T[1-9]|L[1-6]|S1)$/.exec(n);
  if (ts !== null) return ts[1] === 'S1' ? 'sacrum' : ts[1]!;
  if (n === 'vertebrae_S1' || n === 'sacrum') return 'sacrum';
  return n;
}

/** Value → normalised name; several values may share a name (TotalSegmentator's S1 and sacrum). */
export function legendEntries(legend: LegendInput): Array<{ value: number; name: string }> {
  if ('labels' in legend && Array.isArray(legend.labels)) {
    return (legend.labels as ReadonlyArray<{ value: number; name: string }>).map((l) => ({ value: l.value, name: normaliseName(l.name) }));
  }
  return Object.entries(legend as Record<string, string>).map(([value, name]) => ({ value: Number(value), name: normaliseName(String(name)) }));
}

/** A binary mask on a box of the label map's voxel grid (index space), with trilinear sampling in LPS. */
export interface Mask {
  readonly lo: readonly [number, number, number];
  readonly dims: readonly [number, number, number];
  readonly data: Uint8Array;
  readonly count: number;
  /** The label map's world→index affine (4×4 row-major). */
  readonly worldToIndex: Volume['worldToIndex'];
  readonly indexToWorld: Volume['indexToWorld'];
  readonly spacing: Vec3;
}

export function maskGet(mask: Mask, i: number, j: number, k: number): number {
  const a = i - mask.lo[0], b = j - mask.lo[1], c = k - mask.lo[2];
  if (a < 0 || b < 0 || c < 0 || a >= mask.dims[0] || b >= mask.dims[1] || c >= mask.dims[2]) return 0;
  return mask.data[a + mask.dims[0] * (b + mask.dims[1] * c)]!;
}

/** Trilinear interpolation of the 0/1 mask at an LPS point (TotalSegmentator's boundary test is the same, in 2D). */
export function sampleMask(mask: Mask, p: Vec3): number {
  const m = mask.worldToIndex;
  const x = m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3];
  const y = m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7];
  const z = m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11];
  const i = Math.floor(x), j = Math.floor(y), k = Math.floor(z);
  const fx = x - i, fy = y - j, fz = z - k;
  let v = 0;
  for (let c = 0; c < 2; c++) for (let b = 0; b < 2; b++) for (let a = 0; a < 2; a++) {
    const w = (a ? fx : 1 - fx) * (b ? fy : 1 - fy) * (c ? fz : 1 - fz);
    if (w > 0) v += w * maskGet(mask, i + a, j + b, k + c);
  }
  return v;
}

export const inside = (mask: Mask, p: Vec3): boolean => sampleMask(mask, p) > 0.5;

/**
 * Where the line `p + t·dir` leaves the mask on either side of `p` (which must be inside): the extent
 * [t−, t+] in mm, stepping `step` mm and refining by bisection.
 */
export function extentAlong(mask: Mask, p: Vec3, dir: Vec3, maxMm = 120, step = 0.5): [number, number] | undefined {
  if (!inside(mask, p)) return undefined;
  const edge = (sign: number): number => {
    let t = 0;
    while (t < maxMm) {
      const next = t + step;
      if (!inside(mask, [p[0] + sign * next * dir[0], p[1] + sign * next * dir[1], p[2] + sign * next * dir[2]])) {
        let lo = t, hi = next;
        for (let n = 0; n < 6; n++) {
          const mid = (lo + hi) / 2;
          if (inside(mask, [p[0] + sign * mid * dir[0], p[1] + sign * mid * dir[1], p[2] + sign * mid * dir[2]])) lo = mid;
          else hi = mid;
        }
        return (lo + hi) / 2;
      }
      t = next;
    }
    return maxMm;
  };
  return [-edge(-1), edge(1)];
}

/** World positions of a mask's voxels (one Float64Array of x,y,z triples). */
export function maskPoints(mask: Mask): Float64Array {
  const out = new Float64Array(mask.count * 3);
  const [ni, nj, nk] = mask.dims;
  const m = mask.indexToWorld;
  let n = 0;
  for (let c = 0; c < nk; c++) for (let b = 0; b < nj; b++) for (let a = 0; a < ni; a++) {
    if (mask.data[a + ni * (b + nj * c)] === 0) continue;
    const i = a + mask.lo[0], j = b + mask.lo[1], k = c + mask.lo[2];
    out[n++] = m[0] * i + m[1] * j + m[2] * k + m[3];
    out[n++] = m[4] * i + m[5] * j + m[6] * k + m[7];
    out[n++] = m[8] * i + m[9] * j + m[10] * k + m[11];
  }
  return out;
}

/** A new mask on the same box keeping the voxels whose world position passes `keep`. */
export function filterMask(mask: Mask, keep: (p: Vec3) => boolean): Mask {
  const data = new Uint8Array(mask.data.length);
  const [ni, nj] = mask.dims;
  let count = 0;
  for (let idx = 0; idx < data.length; idx++) {
    if (mask.data[idx] === 0) continue;
    const a = idx % ni, b = Math.floor(idx / ni) % nj, c = Math.floor(idx / (ni * nj));
    const p = mat4MulPoint(mask.indexToWorld, [a + mask.lo[0], b + mask.lo[1], c + mask.lo[2]]);
    if (keep(p)) {
      data[idx] = 1;
      count++;
    }
  }
  return { ...mask, data, count };
}

/**
 * Erosion by a box of ±`mm` along each voxel axis (separable: three 1-D passes), as TotalSegmentator
 * smooths a body mask before its centroid and extents.
 */
export function erodeMask(mask: Mask, mm: number): Mask {
  const r = [0, 1, 2].map((axis) => Math.max(1, Math.round(mm / mask.spacing[axis as 0 | 1 | 2])));
  let cur = mask.data;
  const [ni, nj, nk] = mask.dims;
  const strides = [1, ni, ni * nj];
  const lens = [ni, nj, nk];
  for (let axis = 0; axis < 3; axis++) {
    const next = new Uint8Array(cur.length);
    const s = strides[axis]!, len = lens[axis]!, rad = r[axis]!;
    for (let idx = 0; idx < cur.length; idx++) {
      if (cur[idx] === 0) continue;
      const pos = Math.floor(idx / s) % len;
      let ok = pos - rad >= 0 && pos + rad < len;
      for (let d = -rad; ok && d <= rad; d++) if (cur[idx + d * s] === 0) ok = false;
      if (ok) next[idx] = 1;
    }
    cur = next;
  }
  let count = 0;
  for (const v of cur) count += v;
  return { ...mask, data: cur, count };
}

export interface LabelIndex {
  /** Normalised names present, with their masks (one mask per name; values sharing a name are merged). */
  readonly masks: ReadonlyMap<string, Mask>;
  /** Vertebrae present, cranial first (vocabulary order). */
  readonly vertebrae: readonly string[];
  /** Whether a mask touches the border of the image (the field of view cuts it). */
  readonly touchesBorder: ReadonlyMap<string, boolean>;
}

const WANTED = (name: string): boolean =>
  (VERTEBRA_NAMES as readonly string[]).includes(name) || /^[CTLS]\d+-[CTLS]\d+$/.test(name) || name.startsWith('herniation_') ||
  ['dural_sac', 'cauda_equina', 'spinal_cord', 'conus'].includes(name);

/** One pass over the label map: a cropped mask per structure the findings use. */
export function indexLabelMap(labels: Volume, legend: LegendInput): LabelIndex {
  const entries = legendEntries(legend).filter((e) => e.value !== 0 && WANTED(e.name));
  const names = [...new Set(entries.map((e) => e.name))];
  const nameOfValue = new Map<number, number>();
  entries.forEach((e) => nameOfValue.set(e.value, names.indexOf(e.name)));
  const [ni, nj, nk] = labels.size;
  const lo = names.map(() => [Infinity, Infinity, Infinity]);
  const hi = names.map(() => [-Infinity, -Infinity, -Infinity]);
  const counts = names.map(() => 0);
  const data = labels.data;
  // Value → slot lookup table for integer label maps (fast path); other values fall back to the map.
  const maxValue = Math.max(0, ...entries.map((e) => e.value));
  const table = new Int16Array(maxValue + 1).fill(-1);
  for (const [v, s] of nameOfValue) if (v >= 0 && Number.isInteger(v)) table[v] = s;
  const slotOf = (v: number): number => (v >= 0 && v <= maxValue && Number.isInteger(v) ? table[v]! : -1);
  for (let k = 0, idx = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, idx++) {
    const v = data[idx]!;
    if (v === 0) continue;
    const s = slotOf(v);
    if (s < 0) continue;
    const l = lo[s]!, h = hi[s]!;
    if (i < l[0]!) l[0] = i;
    if (j < l[1]!) l[1] = j;
    if (k < l[2]!) l[2] = k;
    if (i > h[0]!) h[0] = i;
    if (j > h[1]!) h[1] = j;
    if (k > h[2]!) h[2] = k;
    counts[s]!++;
  }
  const masks = new Map<string, Mask>();
  const touches = new Map<string, boolean>();
  names.forEach((name, s) => {
    if (counts[s] === 0) return;
    const l = lo[s]! as [number, number, number], h = hi[s]! as [number, number, number];
    const dims: [number, number, number] = [h[0] - l[0] + 1, h[1] - l[1] + 1, h[2] - l[2] + 1];
    const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let k = l[2]; k <= h[2]; k++) for (let j = l[1]; j <= h[1]; j++) {
      let idx = l[0] + ni * (j + nj * k);
      let o = dims[0] * (j - l[1] + dims[1] * (k - l[2]));
      for (let i = l[0]; i <= h[0]; i++, idx++, o++) if (slotOf(data[idx]!) === s) m[o] = 1;
    }
    masks.set(name, { lo: l, dims, data: m, count: counts[s]!, worldToIndex: labels.worldToIndex, indexToWorld: labels.indexToWorld, spacing: labels.spacing });
    touches.set(name, l[0] === 0 || l[1] === 0 || l[2] === 0 || h[0] === ni - 1 || h[1] === nj - 1 || h[2] === nk - 1);
  });
  const vertebrae = (VERTEBRA_NAMES as readonly string[]).filter((n) => masks.has(n) && n !== 'coccyx');
  return { masks, vertebrae, touchesBorder: touches };
}

/** Union of masks (on the bounding box of all); undefined when none is present. */
export function unionMasks(masks: readonly (Mask | undefined)[]): Mask | undefined {
  const present = masks.filter((m): m is Mask => m !== undefined);
  const first = present[0];
  if (first === undefined) return undefined;
  const lo: [number, number, number] = [0, 1, 2].map((a) => Math.min(...present.map((m) => m.lo[a]!))) as [number, number, number];
  const hi = [0, 1, 2].map((a) => Math.max(...present.map((m) => m.lo[a]! + m.dims[a]! - 1)));
  const dims: [number, number, number] = [hi[0]! - lo[0] + 1, hi[1]! - lo[1] + 1, hi[2]! - lo[2] + 1];
  const data = new Uint8Array(dims[0] * dims[1] * dims[2]);
  let count = 0;
  for (const m of present) {
    for (let c = 0; c < m.dims[2]; c++) for (let b = 0; b < m.dims[1]; b++) for (let a = 0; a < m.dims[0]; a++) {
      if (m.data[a + m.dims[0] * (b + m.dims[1] * c)] === 0) continue;
      const o = a + m.lo[0] - lo[0] + dims[0] * (b + m.lo[1] - lo[1] + dims[1] * (c + m.lo[2] - lo[2]));
      if (data[o] === 0) {
        data[o] = 1;
        count++;
      }
    }
  }
  return { ...first, lo, dims, data, count };
}

/** The disc between two vertebrae in the vocabulary (`L5` over `sacrum` → `L5-S1`). */
export const discBetween = (upper: string, lower: string): string => discName(upper, lower);
