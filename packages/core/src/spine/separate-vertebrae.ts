/**
 * Vertebrae separated by seeded region growing through the bone mask: each vertebral body's core (bone
 * within a few mm of the centre line, between its two discs) is a seed, and all seeds grow at once
 * (breadth-first, 6-connected) through bone only, so every bone voxel joins the body it is reached from
 * first along bone: pedicles, laminae, transverse and spinous processes go with their own body (the
 * geodesic form of marker-based watershed: Beucher & Meyer 1993). Growth stays inside a box around the
 * column (`lateralLimitMm` across, −40…+100 mm front to back) so ilia and rib shafts are not taken.
 */
import type { ColumnProfile } from './column-profile.ts';
import type { WorkGrid } from './working-grid.ts';

export interface SegmentRange {
  /** Profile sample indices (inclusive) of the vertebra's body along the centre line. */
  readonly first: number;
  readonly last: number;
}

/** Vertebra ranges from caudal to cranial (one more than there are discs). */
export function segmentRanges(profile: ColumnProfile): SegmentRange[] {
  const ranges: SegmentRange[] = [];
  let first = 0;
  for (const disc of profile.discs) {
    ranges.push({ first, last: disc.first - 1 });
    first = disc.last + 1;
  }
  ranges.push({ first, last: profile.samples.length - 1 });
  return ranges;
}

export interface SeparateOptions {
  readonly grid: WorkGrid;
  readonly bone: Uint8Array;
  readonly profile: ColumnProfile;
  readonly ranges: readonly SegmentRange[];
  readonly lateralLimitMm: number;
}

export interface SeparateResult {
  /** Per working voxel: 0 or 1 + the index of the vertebra range it belongs to. */
  readonly segment: Uint8Array;
  /** Centre-line (i, j) per slice k, clamped at the ends of the track: the column box's axis. */
  readonly axisI: Float64Array;
  readonly axisJ: Float64Array;
}

/** Column axis per slice: the centre line where tracked, its end values beyond. */
export function columnAxis(grid: WorkGrid, profile: ColumnProfile): { axisI: Float64Array; axisJ: Float64Array } {
  const axisI = new Float64Array(grid.nz), axisJ = new Float64Array(grid.nz);
  const samples = profile.samples;
  const kFirst = Math.round(samples[0]!.g[2]);
  for (let k = 0; k < grid.nz; k++) {
    const t = Math.min(samples.length - 1, Math.max(0, k - kFirst));
    axisI[k] = samples[t]!.g[0];
    axisJ[k] = samples[t]!.g[1];
  }
  return { axisI, axisJ };
}

export function separateVertebrae(options: SeparateOptions): SeparateResult {
  const { grid, bone, profile, ranges } = options;
  const { nx, ny, nz, w } = grid;
  const n = nx * ny * nz;
  const { axisI, axisJ } = columnAxis(grid, profile);
  const kLow = Math.round(profile.samples[0]!.g[2]) - Math.round(80 / w);
  const kHigh = Math.round(profile.samples[profile.samples.length - 1]!.g[2]) + Math.round(30 / w);
  const lat = options.lateralLimitMm / w, front = 40 / w, back = 100 / w;
  const inBox = (i: number, j: number, k: number): boolean => {
    if (k < kLow || k > kHigh) return false;
    const di = i - axisI[k]!, dj = j - axisJ[k]!;
    return Math.abs(di) <= lat && dj >= -front && dj <= back;
  };
  const segment = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  const seedRadius = Math.max(1, 6 / w);
  ranges.forEach((range, index) => {
    const shrink = Math.max(1, Math.round(2 / w));
    const first = index === 0 ? range.first : range.first + shrink;
    const last = index === ranges.length - 1 ? range.last : range.last - shrink;
    for (let t = first; t <= last; t++) {
      const g = profile.samples[t]!.g;
      const k = Math.round(g[2]);
      if (k < 0 || k >= nz) continue;
      const r = Math.ceil(seedRadius);
      for (let j = Math.round(g[1]) - r; j <= Math.round(g[1]) + r; j++) {
        for (let i = Math.round(g[0]) - r; i <= Math.round(g[0]) + r; i++) {
          if (i < 0 || j < 0 || i >= nx || j >= ny) continue;
          if ((i - g[0]) ** 2 + (j - g[1]) ** 2 > seedRadius * seedRadius) continue;
          const o = i + nx * (j + ny * k);
          if (!bone[o] || segment[o]) continue;
          segment[o] = index + 1;
          queue[tail++] = o;
        }
      }
    }
  });
  const plane = nx * ny;
  while (head < tail) {
    const o = queue[head++]!;
    const label = segment[o]!;
    const i = o % nx, j = ((o - i) / nx) % ny, k = Math.floor(o / plane);
    const visit = (q: number, qi: number, qj: number, qk: number): void => {
      if (segment[q] || !bone[q] || !inBox(qi, qj, qk)) return;
      segment[q] = label;
      queue[tail++] = q;
    };
    if (i > 0) visit(o - 1, i - 1, j, k);
    if (i < nx - 1) visit(o + 1, i + 1, j, k);
    if (j > 0) visit(o - nx, i, j - 1, k);
    if (j < ny - 1) visit(o + nx, i, j + 1, k);
    if (k > 0) visit(o - plane, i, j, k - 1);
    if (k < nz - 1) visit(o + plane, i, j, k + 1);
  }
  return { segment, axisI, axisJ };
}
