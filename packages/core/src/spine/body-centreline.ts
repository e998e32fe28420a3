/**
 * The vertebral body centre line, tracked slice by slice along z.
 *
 * A vertebral body is the thickest bone cross-section along the column: its inscribed radius (~12–18 mm)
 * exceeds that of the posterior elements, ribs and iliac wings (a few mm). The start is the (x, y) column
 * where thick bone persists over most slices, weighted towards the body's left-right middle (femoral heads
 * are thick too, but short and lateral). From there each slice takes the thickest point within a window of
 * the previous one; slices without a body (discs) are bridged up to `trackMaxGapMm`, then tracking stops.
 */
import type { WorkGrid } from './working-grid.ts';

export interface TrackOptions {
  readonly grid: WorkGrid;
  /** Inscribed radius per voxel (mm), from `sliceDistance` of the filled bone. */
  readonly radius: Float32Array;
  readonly bodyMinRadiusMm: number;
  readonly trackWindowMm: number;
  readonly trackMaxGapMm: number;
}

export interface TrackedCentreline {
  /** Slice range (inclusive) covered, and per slice the grid (i, j) of the body centre (bridged slices interpolated, then smoothed). */
  readonly kMin: number;
  readonly kMax: number;
  readonly i: Float64Array;
  readonly j: Float64Array;
  /** Per slice whether a body was found in it (false: bridged). */
  readonly found: Uint8Array;
}

function seedColumn(options: TrackOptions): { i: number; j: number } | undefined {
  const { grid, radius, bodyMinRadiusMm } = options;
  const { nx, ny, nz, hu, w } = grid;
  const plane = nx * ny;
  const score = new Float64Array(plane);
  for (let k = 0; k < nz; k++) {
    const base = k * plane;
    for (let p = 0; p < plane; p++) if (radius[base + p]! >= bodyMinRadiusMm) score[p]! += 1;
  }
  // Left-right middle of the body (soft tissue and bone), to prefer the column over lateral thick bone.
  let sx = 0, sn = 0;
  for (let o = 0; o < hu.length; o += 7) {
    if (hu[o]! > -300) {
      sx += o % nx;
      sn++;
    }
  }
  const midI = sn > 0 ? sx / sn : nx / 2;
  const sigma = 50 / w;
  let best = -1, bestP = -1;
  for (let p = 0; p < plane; p++) {
    const s = score[p]!;
    if (s <= 0) continue;
    const di = (p % nx) - midI;
    const v = s * Math.exp((-di * di) / (2 * sigma * sigma));
    if (v > best) {
      best = v;
      bestP = p;
    }
  }
  // A column needs thick bone over at least ~2 vertebral bodies' worth of slices.
  if (bestP < 0 || score[bestP]! * w < 25) return undefined;
  return { i: bestP % nx, j: Math.floor(bestP / nx) };
}

/** Thickest point within the window around (pi, pj) in slice k, or undefined when no body is there. */
function bestInSlice(options: TrackOptions, k: number, pi: number, pj: number): { i: number; j: number } | undefined {
  const { grid, radius, bodyMinRadiusMm, trackWindowMm } = options;
  const { nx, ny, w } = grid;
  const r = Math.ceil(trackWindowMm / w);
  const base = k * nx * ny;
  let best = -Infinity, bi = -1, bj = -1;
  for (let j = Math.max(0, Math.round(pj) - r); j <= Math.min(ny - 1, Math.round(pj) + r); j++) {
    for (let i = Math.max(0, Math.round(pi) - r); i <= Math.min(nx - 1, Math.round(pi) + r); i++) {
      const d = radius[base + i + nx * j]!;
      if (d < bodyMinRadiusMm) continue;
      const dist = Math.hypot(i - pi, j - pj) * w;
      if (dist > trackWindowMm) continue;
      // Prefer thick bone, then nearness (keeps the track on one body when two are in the window); a
      // sideways step costs more than one front to back (the column bends in the sagittal plane, and the
      // sacrum's lateral masses are as thick as its body).
      const v = d - 0.25 * dist - 0.5 * Math.abs(i - pi) * w;
      if (v > best) {
        best = v;
        bi = i;
        bj = j;
      }
    }
  }
  return bi < 0 ? undefined : { i: bi, j: bj };
}

export function trackBodyCentreline(options: TrackOptions): TrackedCentreline | undefined {
  const { grid, radius } = options;
  const { nx, ny, nz, w } = grid;
  const seed = seedColumn(options);
  if (seed === undefined) return undefined;
  // Seed slice: the thickest body near the seed column.
  let k0 = -1, bestR = 0;
  for (let k = 0; k < nz; k++) {
    const hit = bestInSlice(options, k, seed.i, seed.j);
    if (hit === undefined) continue;
    const d = radius[hit.i + nx * (hit.j + ny * k)]!;
    if (d > bestR) {
      bestR = d;
      k0 = k;
    }
  }
  if (k0 < 0) return undefined;
  const ci = new Float64Array(nz).fill(NaN);
  const cj = new Float64Array(nz).fill(NaN);
  const start = bestInSlice(options, k0, seed.i, seed.j)!;
  ci[k0] = start.i;
  cj[k0] = start.j;
  let kMin = k0, kMax = k0;
  for (const step of [1, -1]) {
    let pi = start.i, pj = start.j, gap = 0;
    for (let k = k0 + step; k >= 0 && k < nz; k += step) {
      const hit = bestInSlice(options, k, pi, pj);
      if (hit === undefined) {
        gap += w;
        if (gap > options.trackMaxGapMm) break;
        continue;
      }
      gap = 0;
      ci[k] = hit.i;
      cj[k] = hit.j;
      pi = hit.i;
      pj = hit.j;
      if (step > 0) kMax = k;
      else kMin = k;
    }
  }
  const count = kMax - kMin + 1;
  const found = new Uint8Array(count);
  const ri = new Float64Array(count), rj = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    found[t] = Number.isNaN(ci[kMin + t]!) ? 0 : 1;
    ri[t] = ci[kMin + t]!;
    rj[t] = cj[kMin + t]!;
  }
  fillGaps(ri, found);
  fillGaps(rj, found);
  // Smooth over ~12 mm: the body centre wanders within a body; the column is smooth.
  const half = Math.max(1, Math.round(6 / w));
  return { kMin, kMax, i: smooth(ri, half), j: smooth(rj, half), found };
}

function fillGaps(values: Float64Array, found: Uint8Array): void {
  let last = -1;
  for (let t = 0; t < values.length; t++) {
    if (!found[t]) continue;
    if (last >= 0 && t - last > 1) {
      for (let u = last + 1; u < t; u++) values[u] = values[last]! + ((values[t]! - values[last]!) * (u - last)) / (t - last);
    }
    last = t;
  }
}

function smooth(values: Float64Array, half: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let t = 0; t < values.length; t++) {
    let s = 0, n = 0;
    for (let u = Math.max(0, t - half); u <= Math.min(values.length - 1, t + half); u++) {
      s += values[u]!;
      n++;
    }
    out[t] = s / n;
  }
  return out;
}
