/**
 * Vertebrae separated by seeded region growing through the bone mask: each vertebral body's core (bone
 * within a few mm of the centre line, between its two discs) is a seed, and all seeds grow at once
 * (breadth-first, 6-connected) through bone only, so every bone voxel joins the body it is reached from
 * first along bone: pedicles, laminae, transverse and spinous processes go with their own body (the
 * geodesic form of marker-based watershed: Beucher & Meyer 1993). Bone outside a box around the column
 * (`lateralLimitMm` across, −40…+100 mm front to back) is a competing marker of its own ("not spine"),
 * so ribs and ilia that touch the column inside the box are claimed from their lateral parts and the
 * vertebrae keep only what their bodies reach first. Body markers are large (most of the body's
 * cross-section, from its inscribed radius) and the sacrum's marker takes its alae too, so that the
 * ilia do not win the sacral alae through a bridged sacroiliac joint.
 *
 * Two stages: first each body's marker grows alone within the slab between its own endplates, up to
 * `slabGrowthMm` behind and `slabHalfWidthMm` across the centre line (its pedicles; `growWithinSlabs`);
 * then all markers compete through the rest of the bone in order of path cost, with cheaper caudal and
 * dearer cranial steps in the neural arch (the laminae and spinous processes hang below their own body).
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
  /** The same for the caudal segment when it may be the sacrum (its alae and lateral masses are wider). */
  readonly sacrumLateralLimitMm: number;
  /** Inscribed radius per voxel (mm) of the filled bone, per axial slice (sizes the body markers). */
  readonly radius: Float32Array;
  /** Cost of a cranial step behind the vertebral bodies (default 1: plain geodesic distance). */
  readonly posteriorCranialStepCost?: number;
  /** Cost of a caudal step behind the vertebral bodies (default 1; rounded to a multiple of 0.5). */
  readonly posteriorCaudalStepCost?: number;
  /** The caudal discount applies within this distance (mm) of the centre line across (default: everywhere). */
  readonly posteriorCaudalHalfWidthMm?: number;
  /** First-stage growth of each body within its own endplates' slab up to this far (mm) behind the centre line (default 0: none). */
  readonly slabGrowthMm?: number;
  /** …and within this distance (mm) across the centre line (default 22). */
  readonly slabHalfWidthMm?: number;
  /** Steps this far (mm) or more behind the body centre line are biased (default 12). */
  readonly posteriorBiasFromMm?: number;
  /** The caudal segment may be the sacrum: give it a marker across its alae. */
  readonly caudalMayBeSacrum: boolean;
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
  const kLow = Math.round(profile.samples[0]!.g[2]) - Math.round(150 / w);
  const kHigh = Math.round(profile.samples[profile.samples.length - 1]!.g[2]) + Math.round(30 / w);
  const lat = options.lateralLimitMm / w, front = 40 / w, back = 100 / w;
  const latSacrum = options.caudalMayBeSacrum ? options.sacrumLateralLimitMm / w : lat;
  // The wider sacral box starts below the caudal disc (the S1 endplate): above it lie the last lumbar
  // vertebra's transverse processes and the iliac crests.
  const firstDisc = profile.discs[0];
  const sacrumTopK = firstDisc !== undefined ? Math.floor(profile.samples[firstDisc.first]!.g[2]) : -1;
  const inBox = (i: number, j: number, k: number, label = 0): boolean => {
    if (k < kLow || k > kHigh) return false;
    const di = i - axisI[k]!, dj = j - axisJ[k]!;
    return Math.abs(di) <= (label === 1 && k <= sacrumTopK ? latSacrum : lat) && dj >= -front && dj <= back;
  };
  const segment = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  const OTHER = 255;
  const seed = (o: number, label: number): void => {
    if (!bone[o] || segment[o]) return;
    segment[o] = label;
    queue[tail++] = o;
  };
  ranges.forEach((range, index) => {
    const shrink = Math.max(1, Math.round(2 / w));
    const first = index === 0 ? range.first : range.first + shrink;
    const last = index === ranges.length - 1 ? range.last : range.last - shrink;
    for (let t = first; t <= last; t++) {
      const g = profile.samples[t]!.g;
      const k = Math.round(g[2]);
      if (k < 0 || k >= nz) continue;
      const ci = Math.round(g[0]), cj = Math.round(g[1]);
      const centre = ci >= 0 && cj >= 0 && ci < nx && cj < ny ? options.radius[ci + nx * (cj + ny * k)]! : 0;
      // Most of the body's cross-section: 80 % of its inscribed radius, at least 6 mm.
      const seedRadius = Math.max(6, 0.8 * centre) / w;
      const r = Math.ceil(seedRadius);
      for (let j = cj - r; j <= cj + r; j++) {
        for (let i = ci - r; i <= ci + r; i++) {
          if (i < 0 || j < 0 || i >= nx || j >= ny) continue;
          if ((i - g[0]) ** 2 + (j - g[1]) ** 2 > seedRadius * seedRadius) continue;
          seed(i + nx * (j + ny * k), index + 1);
        }
      }
      // Not in the top 15 mm of the sacrum, where the last lumbar vertebra's transverse and articular
      // processes lie beside and behind the oblique S1 endplate.
      if (index === 0 && options.caudalMayBeSacrum && profile.samples[range.last]!.s - profile.samples[t]!.s >= 15) {
        // The alae beside the S1 body (same front-to-back band, up to 40 mm across).
        const ra = Math.round(40 / w), band = Math.round(15 / w);
        for (let j = cj - band; j <= cj + band; j++) for (let i = ci - ra; i <= ci + ra; i++) {
          if (i >= 0 && j >= 0 && i < nx && j < ny) seed(i + nx * (j + ny * k), 1);
        }
      }
    }
  });
  if (options.caudalMayBeSacrum) {
    // Below the tracked column the sacrum narrows and curves backwards: its marker takes the bone within
    // 30 mm across and −30…+60 mm front to back of the axis, so the ilia cannot claim it through the joints.
    const kFirst = Math.round(profile.samples[0]!.g[2]);
    const ra = Math.round(30 / w), front2 = Math.round(30 / w), back2 = Math.round(60 / w);
    for (let k = Math.max(0, kLow); k < kFirst; k++) {
      const ci = Math.round(axisI[k]!), cj = Math.round(axisJ[k]!);
      for (let j = cj - front2; j <= cj + back2; j++) for (let i = ci - ra; i <= ci + ra; i++) {
        if (i >= 0 && j >= 0 && i < nx && j < ny) seed(i + nx * (j + ny * k), 1);
      }
    }
  }
  if ((options.slabGrowthMm ?? 0) > 0) growWithinSlabs(options, segment, queue, tail, axisI, axisJ, inBox, (t) => { tail = t; });
  // Bone outside the column box competes as "not spine".
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const o = i + nx * (j + ny * k);
    if (bone[o] && !segment[o] && !inBox(i, j, k, 1)) seed(o, OTHER);
  }
  // Growth in order of path cost (Dial's bucket queue, in half steps). Behind the vertebral
  // bodies a step cranially costs more than a step caudally: the laminae, inferior articular and spinous
  // processes hang down from their own vertebra, while the vertebra below would reach them upwards through
  // bone blurred together at 3 mm (facets, kissing spinous processes). The superior articular processes
  // point upwards and pay for it, but they are short. The sacrum grows without the bias (its articular
  // processes and crest rise to meet L5). A caudal step there costs less than a step across (`caudalCost`):
  // the lamina and spinous process of each vertebra overlap the top of the body below.
  const plane = nx * ny;
  // Costs in half steps, so that a caudal step behind the bodies may cost half a step.
  const cranialCost = Math.max(2, Math.round(2 * (options.posteriorCranialStepCost ?? 1)));
  const caudalCost = Math.max(1, Math.round(2 * (options.posteriorCaudalStepCost ?? 1)));
  const behind = (options.posteriorBiasFromMm ?? 12) / w;
  const medial = (options.posteriorCaudalHalfWidthMm ?? Infinity) / w;
  const sacrumLabel = options.caudalMayBeSacrum ? 1 : -1;
  const cost = new Int32Array(n).fill(-1);
  const buckets: number[][] = Array.from({ length: cranialCost + 1 }, () => []);
  for (let t = 0; t < tail; t++) {
    cost[queue[t]!] = 0;
    buckets[0]!.push(queue[t]!);
  }
  let pending = tail;
  for (let d = 0; pending > 0; d++) {
    const bucket = buckets[d % buckets.length]!;
    for (let b = 0; b < bucket.length; b++) {
      const o = bucket[b]!;
      pending--;
      if (cost[o] !== d) continue;
      const label = segment[o]!;
      const i = o % nx, j = ((o - i) / nx) % ny, k = Math.floor(o / plane);
      const visit = (q: number, qi: number, qj: number, qk: number, step: number): void => {
        if (!bone[q]) return;
        const nd = d + step;
        const previous = cost[q]!;
        if (previous >= 0 && previous <= nd) return;
        if (label !== OTHER && !inBox(qi, qj, qk, label)) return;
        cost[q] = nd;
        segment[q] = label;
        buckets[nd % buckets.length]!.push(q);
        pending++;
      };
      const base = 2;
      const biased = label !== OTHER && label !== sacrumLabel && j - axisJ[k]! > behind;
      const up = biased ? cranialCost : base;
      const down = biased && Math.abs(i - axisI[k]!) <= medial ? caudalCost : base;
      if (i > 0) visit(o - 1, i - 1, j, k, base);
      if (i < nx - 1) visit(o + 1, i + 1, j, k, base);
      if (j > 0) visit(o - nx, i, j - 1, k, base);
      if (j < ny - 1) visit(o + nx, i, j + 1, k, base);
      if (k > 0) visit(o - plane, i, j, k - 1, down);
      if (k < nz - 1) visit(o + plane, i, j, k + 1, up);
    }
    bucket.length = 0;
  }
  for (let o = 0; o < n; o++) if (segment[o] === OTHER) segment[o] = 0;
  return { segment, axisI, axisJ };
}

/**
 * First stage: each vertebral body's marker grows through bone within its own slab (between the planes
 * of its two endplates, across the column's tangent, up to `slabGrowthMm` behind the centre line: the
 * body, its pedicles and the roots of its articular processes), breadth-first, before any neighbour can
 * compete. On the real CT L1's pedicles were otherwise reached first by T12, running down its inferior
 * articular processes through a facet joint blurred shut at 3 mm.
 */
function growWithinSlabs(
  options: SeparateOptions, segment: Uint8Array, queue: Int32Array, start: number, axisI: Float64Array, axisJ: Float64Array,
  inBox: (i: number, j: number, k: number, label: number) => boolean, setTail: (t: number) => void,
): void {
  const { grid, bone, profile, ranges } = options;
  const { nx, ny, nz, w } = grid;
  const plane = nx * ny;
  const limit = (options.slabGrowthMm ?? 0) / w;
  const margin = 1 / w;
  const sacrumHalfWidth = 30 / w;
  const halfWidth = (options.slabHalfWidthMm ?? 22) / w;
  const slab = ranges.map((r) => ({ lo: profile.samples[r.first]!, hi: profile.samples[r.last]! }));
  let tail = start;
  for (let head = 0; head < tail; head++) {
    const o = queue[head]!;
    const label = segment[o]!;
    if (label < 1 || label > ranges.length) continue;
    const { lo, hi } = slab[label - 1]!;
    const i0 = o % nx, j0 = ((o - i0) / nx) % ny, k0 = Math.floor(o / plane);
    for (const [di, dj, dk] of [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]] as const) {
      const i = i0 + di, j = j0 + dj, k = k0 + dk;
      if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
      const q = i + nx * (j + ny * k);
      if (!bone[q] || segment[q]) continue;
      if (j - axisJ[k]! > limit || !inBox(i, j, k, label)) continue;
      // The sacrum only near the column (its S1 body and the roots of its alae), short of the sacroiliac
      // joints, whose iliac side competes only in the second stage.
      if (Math.abs(i - axisI[k]!) > (label === 1 ? sacrumHalfWidth : halfWidth)) continue;
      const below = (i - lo.g[0]) * lo.tangent[0] + (j - lo.g[1]) * lo.tangent[1] + (k - lo.g[2]) * lo.tangent[2];
      const above = (i - hi.g[0]) * hi.tangent[0] + (j - hi.g[1]) * hi.tangent[1] + (k - hi.g[2]) * hi.tangent[2];
      // The caudal segment (the sacrum when there is one) has no lower endplate in view that bounds it.
      if ((label > 1 && below < -margin) || above > margin) continue;
      segment[q] = label;
      queue[tail++] = q;
    }
  }
  setTail(tail);
}
