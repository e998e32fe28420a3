/**
 * Discs from the bone profile along the body centre line. At each centre-line sample the cross-section
 * perpendicular to the column (radius `profileRadiusMm`) is read from the filled bone mask: inside a
 * vertebral body it is bone throughout, across a disc it is soft tissue. Runs where less than half the
 * cross-section is bone are discs; a bone run shorter than `minVertebraMm` between two such runs is not a
 * vertebra (vertebral bodies are ~27 mm tall [Witek], discs 6–15 mm [JOSR2018]) and its weaker neighbouring
 * dip is dropped. A second sign catches discs that the filled bone mask hides (a degenerate or oblique
 * lumbosacral disc enclosed by bone at 3 mm): a core darker than `discMaxHu` with a bright endplate
 * (≥ `endplateRiseHu` brighter) within 6 mm on both sides along the column.
 */
import { cross, normalize, type Vec3 } from '../geometry/vec3.ts';
import type { TrackedCentreline } from './body-centreline.ts';
import { nearestOffset, type WorkGrid } from './working-grid.ts';

export interface ColumnSample {
  /** Grid coordinates of the centre-line point (continuous). */
  readonly g: Vec3;
  /** Unit tangent pointing cranially (grid axes = LPS axes). */
  readonly tangent: Vec3;
  /** Arc length from the caudal end (mm). */
  readonly s: number;
  /** Fraction of the cross-section that is bone. */
  readonly boneFraction: number;
  /** Mean HU of the central 4 mm of the cross-section. */
  readonly coreHu: number;
  /** True where the sample looks like disc: little bone, or a dark valley between two bright endplates. */
  readonly discLike: boolean;
}

export interface DiscRun {
  /** Sample indices (inclusive) of the run. */
  readonly first: number;
  readonly last: number;
  readonly minFraction: number;
}

export interface ColumnProfile {
  /** Samples from caudal to cranial. */
  readonly samples: readonly ColumnSample[];
  /** Disc runs from caudal to cranial. */
  readonly discs: readonly DiscRun[];
}

export interface ProfileOptions {
  readonly grid: WorkGrid;
  readonly bone: Uint8Array;
  readonly centreline: TrackedCentreline;
  readonly profileRadiusMm: number;
  readonly minVertebraMm: number;
  /** A disc core is darker than this (HU, default 100). */
  readonly discMaxHu?: number;
  /** Endplates on both sides of a disc are at least this much brighter than its core (HU, default 80). */
  readonly endplateRiseHu?: number;
}

/** Two unit vectors spanning the plane perpendicular to `t` (the first as close to x as possible). */
export function perpendicularBasis(t: Vec3): [Vec3, Vec3] {
  const x: Vec3 = [1, 0, 0];
  const a = normalize([x[0] - t[0] * t[0], x[1] - t[0] * t[1], x[2] - t[0] * t[2]]);
  return [a, cross(t, a)];
}

export function buildColumnProfile(options: ProfileOptions): ColumnProfile {
  const { grid, bone, centreline } = options;
  const count = centreline.kMax - centreline.kMin + 1;
  const points: Vec3[] = [];
  for (let t = 0; t < count; t++) points.push([centreline.i[t]!, centreline.j[t]!, centreline.kMin + t]);
  const samples: ColumnSample[] = [];
  const rr = options.profileRadiusMm / grid.w;
  const step = 0.75;
  let s = 0;
  for (let t = 0; t < count; t++) {
    const a = points[Math.max(0, t - 3)]!, b = points[Math.min(count - 1, t + 3)]!;
    const tangent = count > 1 ? normalize([b[0] - a[0], b[1] - a[1], b[2] - a[2]]) : ([0, 0, 1] as Vec3);
    if (t > 0) {
      const p = points[t - 1]!, q = points[t]!;
      s += Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]) * grid.w;
    }
    const [u, v] = perpendicularBasis(tangent);
    const g = points[t]!;
    let inside = 0, total = 0, coreSum = 0, coreCount = 0;
    const rc = 4 / grid.w;
    for (let du = -rr; du <= rr; du += step) {
      for (let dv = -rr; dv <= rr; dv += step) {
        if (du * du + dv * dv > rr * rr) continue;
        const o = nearestOffset(grid, g[0] + du * u[0] + dv * v[0], g[1] + du * u[1] + dv * v[1], g[2] + du * u[2] + dv * v[2]);
        total++;
        if (o >= 0 && bone[o]) inside++;
        if (o >= 0 && du * du + dv * dv <= rc * rc) {
          coreSum += grid.hu[o]!;
          coreCount++;
        }
      }
    }
    samples.push({ g, tangent, s, boneFraction: total > 0 ? inside / total : 0, coreHu: coreCount > 0 ? coreSum / coreCount : -1000, discLike: false });
  }
  const near = Math.max(1, Math.round(6 / grid.w));
  const maxHu = options.discMaxHu ?? 100, rise = options.endplateRiseHu ?? 80;
  const marked = samples.map((sample, t) => {
    if (sample.boneFraction < 0.5) return { ...sample, discLike: true };
    let before = -Infinity, after = -Infinity;
    for (let d = 1; d <= near; d++) {
      before = Math.max(before, samples[t - d]?.coreHu ?? -Infinity);
      after = Math.max(after, samples[t + d]?.coreHu ?? -Infinity);
    }
    const valley = sample.coreHu < maxHu && before - sample.coreHu >= rise && after - sample.coreHu >= rise;
    return { ...sample, discLike: valley };
  });
  return { samples: marked, discs: findDiscRuns(marked, options.minVertebraMm) };
}

function findDiscRuns(samples: readonly ColumnSample[], minVertebraMm: number): DiscRun[] {
  const runs: DiscRun[] = [];
  let t = 0;
  while (t < samples.length) {
    if (!samples[t]!.discLike) {
      t++;
      continue;
    }
    const first = t;
    let minFraction = 1;
    while (t < samples.length && samples[t]!.discLike) minFraction = Math.min(minFraction, samples[t++]!.boneFraction);
    // A disc has bone on both sides: runs touching either end of the track are not discs.
    if (first > 0 && t < samples.length) runs.push({ first, last: t - 1, minFraction });
  }
  // Drop dips that would leave a "vertebra" shorter than minVertebraMm; keep the deeper of two close dips.
  let changed = true;
  while (changed && runs.length > 1) {
    changed = false;
    for (let r = 0; r + 1 < runs.length; r++) {
      const a = runs[r]!, b = runs[r + 1]!;
      const between = samples[b.first]!.s - samples[a.last]!.s;
      if (between < minVertebraMm) {
        runs.splice(a.minFraction <= b.minFraction ? r + 1 : r, 1);
        changed = true;
        break;
      }
    }
  }
  // The end segments must be long enough to be (part of) a vertebra too.
  while (runs.length > 0 && samples[runs[0]!.first]!.s - samples[0]!.s < 0.5 * minVertebraMm) runs.shift();
  while (runs.length > 0 && samples[samples.length - 1]!.s - samples[runs[runs.length - 1]!.last]!.s < 0.5 * minVertebraMm) runs.pop();
  return runs;
}
