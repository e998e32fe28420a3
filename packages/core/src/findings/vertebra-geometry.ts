import { add, cross, dot, normalize, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import type { PlaneLps } from '../spine/types.ts';
import { erodeMask, extentAlong, filterMask, inside, maskPoints, type Mask } from './label-map.ts';

/**
 * Geometry of one vertebra from its label: a frame (superior from the neighbouring body centres as
 * TotalSegmentator's spine report takes it, posterior from LPS +y), the body cut from the posterior elements
 * at the posterior wall (the first gap of bone behind the body on the midline: the canal), endplate planes
 * fitted to the body's top and bottom surfaces, and the pedicles.
 */

export interface Frame {
  readonly superior: Vec3;
  readonly posterior: Vec3;
  readonly left: Vec3;
}

export function frameFromSuperior(superior: Vec3): Frame {
  const s = normalize(superior);
  // LPS +y is posterior for the patient whatever the table position: anatomy lives in patient space.
  const y: Vec3 = [0, 1, 0];
  const p = normalize(sub(y, scale(s, dot(y, s))));
  const l = cross(p, s);
  return { superior: s, posterior: p, left: l };
}

export function centroidOf(points: Float64Array): Vec3 {
  let x = 0, y = 0, z = 0;
  const n = points.length / 3;
  for (let i = 0; i < points.length; i += 3) {
    x += points[i]!;
    y += points[i + 1]!;
    z += points[i + 2]!;
  }
  return n > 0 ? [x / n, y / n, z / n] : [NaN, NaN, NaN];
}

/** Superior axis at index i of centres listed cranial first: previous − next (TotalSegmentator's height axis). */
export function superiorAxes(centres: readonly Vec3[]): Vec3[] {
  return centres.map((c, i) => {
    const prev = centres[i - 1], next = centres[i + 1];
    const d = prev !== undefined && next !== undefined ? sub(prev, next) : prev !== undefined ? sub(prev, c) : next !== undefined ? sub(c, next) : ([0, 0, 1] as Vec3);
    return normalize(d);
  });
}

export interface BodySplit {
  readonly body: Mask;
  /** Posterior wall offset (mm along posterior from `origin`). */
  readonly wallMm: number;
  readonly origin: Vec3;
}

/**
 * Cuts the body from the posterior elements: on the midline strip the bone profile along the posterior axis
 * runs body → canal (no bone) → lamina and spinous process; the body ends where the count first drops below
 * a fifth of the body's. Voxels anterior to that wall are the body.
 */
export function splitBody(vertebra: Mask, origin: Vec3, frame: Frame): BodySplit | undefined {
  const pts = maskPoints(vertebra);
  const bin = Math.max(1, (vertebra.spacing[0] + vertebra.spacing[1] + vertebra.spacing[2]) / 3);
  const strip = Math.max(4, 1.6 * bin);
  const counts = new Map<number, number>();
  for (let i = 0; i < pts.length; i += 3) {
    const d: Vec3 = [pts[i]! - origin[0], pts[i + 1]! - origin[1], pts[i + 2]! - origin[2]];
    if (Math.abs(dot(d, frame.left)) > strip) continue;
    const b = Math.floor(dot(d, frame.posterior) / bin);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const first = keys[0]!, last = keys[keys.length - 1]!;
  // The body: the anterior run of well-filled bins, measured against its fullest bin.
  let peak = 0;
  let b = first;
  let wall = last;
  for (; b <= last; b++) {
    const c = counts.get(b) ?? 0;
    peak = Math.max(peak, c);
    if (peak > 0 && c < 0.2 * peak && b > first + 3) {
      wall = b;
      break;
    }
  }
  const wallMm = wall * bin;
  const body = filterMask(vertebra, (p) => dot(sub(p, origin), frame.posterior) < wallMm);
  return body.count > 0 ? { body, wallMm, origin } : undefined;
}

/** Body centre as TotalSegmentator takes it: the centroid of the body eroded 3 mm (the raw body's if erosion empties it). */
export function bodyCentre(body: Mask): { centre: Vec3; smoothed: Mask } {
  const smoothed = erodeMask(body, 3);
  const use = smoothed.count > 0 ? smoothed : body;
  return { centre: centroidOf(maskPoints(use)), smoothed: use };
}

interface SurfaceSample {
  readonly u: number;
  readonly v: number;
  readonly top: number;
  readonly bottom: number;
}

/** Top and bottom of the body along the superior axis at columns over its central part. */
export function sampleColumns(body: Mask, centre: Vec3, frame: Frame, widthFraction = 0.6, depthFraction = 0.7): SurfaceSample[] {
  const lat = extentAlong(body, centre, frame.left);
  const ap = extentAlong(body, centre, frame.posterior);
  if (lat === undefined || ap === undefined) return [];
  const out: SurfaceSample[] = [];
  const uHalf = ((lat[1] - lat[0]) / 2) * widthFraction;
  const uMid = (lat[0] + lat[1]) / 2;
  const vHalf = ((ap[1] - ap[0]) / 2) * depthFraction;
  const vMid = (ap[0] + ap[1]) / 2;
  const step = Math.max(1.5, Math.min(body.spacing[0], body.spacing[1], body.spacing[2]));
  for (let u = uMid - uHalf; u <= uMid + uHalf + 1e-9; u += step) {
    for (let v = vMid - vHalf; v <= vMid + vHalf + 1e-9; v += step) {
      const p = add(centre, add(scale(frame.left, u), scale(frame.posterior, v)));
      const e = extentAlong(body, p, frame.superior);
      if (e !== undefined) out.push({ u, v, top: e[1], bottom: e[0] });
    }
  }
  return out;
}

/** Least-squares plane w = a + b·u + c·v through surface samples; returned as a point and unit normal (cranial). */
export function fitPlane(samples: ReadonlyArray<{ u: number; v: number; w: number }>, centre: Vec3, frame: Frame): { plane: PlaneLps; a: number; b: number; c: number } | undefined {
  if (samples.length < 4) return undefined;
  // Normal equations for [a b c].
  let n = 0, su = 0, sv = 0, sw = 0, suu = 0, svv = 0, suv = 0, suw = 0, svw = 0;
  for (const s of samples) {
    n++; su += s.u; sv += s.v; sw += s.w; suu += s.u * s.u; svv += s.v * s.v; suv += s.u * s.v; suw += s.u * s.w; svw += s.v * s.w;
  }
  const m = [n, su, sv, su, suu, suv, sv, suv, svv];
  const r = [sw, suw, svw];
  const det3 = (q: number[]): number => q[0]! * (q[4]! * q[8]! - q[5]! * q[7]!) - q[1]! * (q[3]! * q[8]! - q[5]! * q[6]!) + q[2]! * (q[3]! * q[7]! - q[4]! * q[6]!);
  const d = det3(m);
  if (Math.abs(d) < 1e-9) return undefined;
  const col = (k: number): number[] => m.map((x, idx) => (idx % 3 === k ? r[Math.floor(idx / 3)]! : x));
  const a = det3(col(0)) / d, b = det3(col(1)) / d, c = det3(col(2)) / d;
  // Surface w(u,v) = a + b u + c v: normal ∝ superior − b·left − c·posterior.
  const normal = normalize(sub(frame.superior, add(scale(frame.left, b), scale(frame.posterior, c))));
  return { plane: { point: add(centre, scale(frame.superior, a)), normal }, a, b, c };
}

export interface EndplateFit {
  readonly superior: PlaneLps;
  readonly inferior: PlaneLps;
  /** Height between the planes along the superior axis at AP offset v (mm from the body centre) on the midline. */
  readonly heightAt: (v: number) => number;
  readonly samples: readonly SurfaceSample[];
}

export function fitEndplates(body: Mask, centre: Vec3, frame: Frame): EndplateFit | undefined {
  const samples = sampleColumns(body, centre, frame);
  const top = fitPlane(samples.map((s) => ({ u: s.u, v: s.v, w: s.top })), centre, frame);
  const bottom = fitPlane(samples.map((s) => ({ u: s.u, v: s.v, w: s.bottom })), centre, frame);
  if (top === undefined || bottom === undefined) return undefined;
  return {
    superior: top.plane,
    inferior: bottom.plane,
    heightAt: (v) => top.a + top.c * v - (bottom.a + bottom.c * v),
    samples,
  };
}

/** Height of the body along the superior axis at an LPS point (undefined outside the body). */
export function heightThrough(body: Mask, p: Vec3, superior: Vec3): number | undefined {
  const e = extentAlong(body, p, superior);
  return e === undefined ? undefined : e[1] - e[0];
}

/**
 * TotalSegmentator's spine report heights (`measure_verte_height.py`), followed step for step so the numbers compare:
 * sagittal voxel planes every ~5 mm over the middle half of the eroded body's lateral extent; in each, the AP line
 * through the eroded body's centroid meets the eroded body at two points (found by stepping half a voxel and backing
 * up a quarter step to the last point inside, the mask read bilinearly); heights of the raw body along the height
 * axis at 15%, 50% and 85% of that line from its posterior end; the plane whose three heights differ most is kept
 * (its fracture screen looks for the worst plane).
 */
export function totalSegmentatorHeights(body: Mask, smoothed: Mask, centre: Vec3, frame: Frame, positions: readonly [number, number, number]): { posterior: number; middle: number; anterior: number; lateralOffsetMm: number } | undefined {
  // The voxel axis closest to the lateral direction carries the sagittal planes.
  const w2i = smoothed.worldToIndex;
  const axisOf = (d: Vec3, row: number): number => w2i[4 * row]! * d[0] + w2i[4 * row + 1]! * d[1] + w2i[4 * row + 2]! * d[2];
  const lateralPerMm = [0, 1, 2].map((r) => axisOf(frame.left, r));
  const a = lateralPerMm.map(Math.abs).indexOf(Math.max(...lateralPerMm.map(Math.abs)));
  const perMm = lateralPerMm[a]!;
  const spacing = smoothed.spacing[a as 0 | 1 | 2];
  const cIndex = w2i[4 * a]! * centre[0] + w2i[4 * a + 1]! * centre[1] + w2i[4 * a + 2]! * centre[2] + w2i[4 * a + 3]!;
  let iMin = Infinity, iMax = -Infinity;
  const [ni, nj, nk] = smoothed.dims;
  for (let c = 0; c < nk; c++) for (let b = 0; b < nj; b++) for (let q = 0; q < ni; q++) {
    if (smoothed.data[q + ni * (b + nj * c)] === 0) continue;
    const idx = [q + smoothed.lo[0], b + smoothed.lo[1], c + smoothed.lo[2]][a]!;
    iMin = Math.min(iMin, idx);
    iMax = Math.max(iMax, idx);
  }
  if (!(iMax >= iMin)) return undefined;
  const margin = Math.round(0.25 * (iMax - iMin + 1));
  const stepSlices = Math.max(1, Math.round(5 / spacing));
  // In-plane voxel size (the plane's two other axes), for TotalSegmentator's half-voxel steps.
  const inPlane = [0, 1, 2].filter((x) => x !== a).map((x) => body.spacing[x as 0 | 1 | 2]);
  const step = 0.5 * (inPlane[0]! + inPlane[1]!) / 2;
  const lastInside = (mask: Mask, p: Vec3, dir: Vec3, sign: number): number | undefined => {
    for (let t = step; t < 200; t += step) {
      if (!inside(mask, add(p, scale(dir, sign * t)))) {
        for (let back = t - step; back < t; back += step / 4) if (inside(mask, add(p, scale(dir, sign * back)))) return sign * back;
        return undefined;
      }
    }
    return undefined;
  };
  const extent = (mask: Mask, p: Vec3, dir: Vec3): [number, number] | undefined => {
    const lo = lastInside(mask, p, dir, -1), hi = lastInside(mask, p, dir, 1);
    return lo === undefined || hi === undefined ? undefined : [lo, hi];
  };
  const measure = (u: number): { posterior: number; middle: number; anterior: number; lateralOffsetMm: number } | undefined => {
    const q = add(centre, scale(frame.left, u));
    const ap = extent(smoothed, q, frame.posterior);
    if (ap === undefined) return undefined;
    const hs = positions.map((f) => {
      const e = extent(body, add(q, scale(frame.posterior, ap[1] - f * (ap[1] - ap[0]))), frame.superior);
      return e === undefined ? undefined : e[1] - e[0];
    });
    if (hs.some((h) => h === undefined || h <= 0)) return undefined;
    return { posterior: hs[0]!, middle: hs[1]!, anterior: hs[2]!, lateralOffsetMm: u };
  };
  let best: { posterior: number; middle: number; anterior: number; lateralOffsetMm: number } | undefined;
  let bestSpread = -1;
  for (let slice = iMin + margin; slice <= iMax - margin; slice += stepSlices) {
    const m = measure((slice - cIndex) / perMm);
    if (m === undefined) continue;
    const spread = Math.max(m.posterior, m.middle, m.anterior) - Math.min(m.posterior, m.middle, m.anterior);
    if (spread > bestSpread) {
      bestSpread = spread;
      best = m;
    }
  }
  return best ?? measure((Math.round(cIndex) - cIndex) / perMm);
}

/**
 * Pedicle edges per side: bone of the posterior elements just behind the posterior wall (the first 1.5 mm,
 * in front of the transverse process), its medial and lateral reach from the midline and its
 * craniocaudal span.
 */
export function pedicleEdges(vertebra: Mask, centre: Vec3, frame: Frame, wallMm: number): { left?: { medialMm: number; lateralMm: number; lowerMm: number; upperMm: number }; right?: { medialMm: number; lateralMm: number; lowerMm: number; upperMm: number } } {
  const pts = maskPoints(vertebra);
  // Two bands behind the wall: the first 1.5 mm for the lateral edge (in front of the transverse process), and
  // 2–3.5 mm for the medial edge (clear of any voxel of the posterior wall left behind by the cut).
  const sides = { left: [] as number[][], right: [] as number[][] };
  const deep = { left: [] as number[], right: [] as number[] };
  for (let i = 0; i < pts.length; i += 3) {
    const d: Vec3 = [pts[i]! - centre[0], pts[i + 1]! - centre[1], pts[i + 2]! - centre[2]];
    const v = dot(d, frame.posterior);
    if (v < wallMm || v > wallMm + 3.5) continue;
    const u = dot(d, frame.left);
    const w = dot(d, frame.superior);
    if (v <= wallMm + 1.5) (u >= 0 ? sides.left : sides.right).push([Math.abs(u), w]);
    if (v >= wallMm + 2) (u >= 0 ? deep.left : deep.right).push(Math.abs(u));
  }
  const edges = (list: number[][], inner: number[]): { medialMm: number; lateralMm: number; lowerMm: number; upperMm: number } | undefined => {
    if (list.length < 4) return undefined;
    const us = list.map((x) => x[0]!).sort((a, b) => a - b);
    const ws = list.map((x) => x[1]!).sort((a, b) => a - b);
    const q = (arr: number[], f: number): number => arr[Math.min(arr.length - 1, Math.max(0, Math.round(f * (arr.length - 1))))]!;
    // Half a voxel out from the outermost voxel centres: edges of the bone, not of its voxel centres.
    const half = Math.min(vertebra.spacing[0], vertebra.spacing[1], vertebra.spacing[2]) / 2;
    // Lateral edge: walk out from the medial edge while the bone stays as tall as the pedicle (a transverse process
    // or rib continuing at the same AP level is thinner craniocaudally, so its columns hold fewer voxels).
    const bin = Math.max(1, 2 * half);
    const innerSorted = [...inner].sort((a, b) => a - b);
    const medial = innerSorted.length >= 4 ? q(innerSorted, 0.02) : q(us, 0.02);
    const counts: number[] = [];
    for (const u of us) {
      const b = Math.floor((u - medial) / bin);
      if (b >= 0) counts[b] = (counts[b] ?? 0) + 1;
    }
    // The pedicle's typical column count: the median over its first 6 mm (a single crowded bin, where a cortex runs
    // along a voxel row, would make a maximum stop the walk too early).
    const first = counts.slice(0, Math.max(1, Math.round(6 / bin))).map((c) => c ?? 0).sort((a, b) => a - b);
    const peak = first[Math.floor(first.length / 2)] ?? 0;
    // A single thin bin (voxel aliasing on an oblique frame) does not end the pedicle: it ends where two bins in a row
    // fall below a quarter of the peak. The pedicle's section is oval, so its columns shorten towards its lateral
    // edge: half the typical height is reached at 87% of its half width (a 0.5 cut read wide pedicles 1–1.6 mm short),
    // a quarter at 97%. Bone further out at this AP level and this short is not pedicle: the transverse process
    // starts behind this band.
    let end = 0;
    const tall = (b: number): boolean => (counts[b] ?? 0) >= 0.25 * peak;
    while (end + 1 < counts.length && (tall(end + 1) || (end + 2 < counts.length && tall(end + 2)))) end++;
    // The outermost voxel centre of the last pedicle bin (then half a voxel out, below).
    let lastCentre = medial;
    for (const u of us) if (Math.floor((u - medial) / bin) <= end) lastCentre = Math.max(lastCentre, u);
    const lateral = Math.min(q(us, 0.98), lastCentre);
    return { medialMm: medial - half, lateralMm: lateral + half, lowerMm: q(ws, 0.02) - half, upperMm: q(ws, 0.98) + half };
  };
  const left = edges(sides.left, deep.left), right = edges(sides.right, deep.right);
  return { ...(left !== undefined ? { left } : {}), ...(right !== undefined ? { right } : {}) };
}

export { inside };
