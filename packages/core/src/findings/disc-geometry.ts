import { add, cross, dot, normalize, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import type { PlaneLps } from '../spine/types.ts';
import { inside, maskPoints, type Mask } from './label-map.ts';
import { fitPlane, type Frame } from './vertebra-geometry.ts';

/**
 * The disc space between two vertebrae from their bone alone (so a label map without disc labels, such as
 * TotalSegmentator's vertebrae, still gives disc heights): from points on the upper body's inferior surface,
 * step caudally until the lower vertebra's bone begins. The entry points are the lower superior endplate (also
 * for the sacrum, whose body is not cut out); the gaps are the disc heights.
 */
export interface DiscSpace {
  readonly upperInferior: PlaneLps;
  readonly lowerSuperior: PlaneLps;
  readonly midPlane: PlaneLps;
  /** Disc heights (mm) at the anterior edge, middle and posterior edge of the upper body, on the midline. */
  readonly anteriorMm: number;
  readonly middleMm: number;
  readonly posteriorMm: number;
  /** Lordotic angle between the two endplates (degrees, + opening anteriorly). */
  readonly angleDeg: number;
  /** Disc frame: normal (cranial) and the posterior and left axes in the disc plane. */
  readonly frame: Frame;
  /** Posterior offsets (mm along the disc's posterior axis from the mid-plane point) of the upper body's AP edges. */
  readonly anteriorEdgeMm: number;
  readonly posteriorEdgeMm: number;
}

/** Lordotic angle from the upper to the lower plane normal about the left axis: + when the space opens anteriorly. */
export function lordoticAngleDeg(upperNormal: Vec3, lowerNormal: Vec3, left: Vec3): number {
  return (Math.atan2(dot(cross(upperNormal, lowerNormal), left), dot(upperNormal, lowerNormal)) * 180) / Math.PI;
}

export function discFrame(normal: Vec3): Frame {
  const n = normalize(normal);
  const y: Vec3 = [0, 1, 0];
  const p = normalize(sub(y, scale(n, dot(y, n))));
  return { superior: n, posterior: p, left: cross(p, n) };
}

interface ColumnGap {
  readonly u: number;
  readonly v: number;
  readonly top: Vec3;
  readonly entry: Vec3;
  readonly gap: number;
}

export function measureDiscSpace(options: {
  upperBody: Mask;
  upperCentre: Vec3;
  upperFrame: Frame;
  upperInferior: PlaneLps;
  lower: Mask;
}): DiscSpace | undefined {
  const { upperBody, upperCentre, upperFrame: f, lower } = options;
  const step = Math.min(upperBody.spacing[0], upperBody.spacing[1], upperBody.spacing[2]) / 4;
  const columns: ColumnGap[] = [];
  // AP extent of the upper body in its lower third, on the midline.
  const samples: Array<{ u: number; v: number }> = [];
  const grid = Math.max(1.5, Math.min(upperBody.spacing[0], upperBody.spacing[1], upperBody.spacing[2]));
  for (let u = -12; u <= 12; u += grid) for (let v = -30; v <= 30; v += grid) samples.push({ u, v });
  for (const { u, v } of samples) {
    const start = add(upperCentre, add(scale(f.left, u), scale(f.posterior, v)));
    if (!inside(upperBody, start)) continue;
    // Down to the bottom of the upper body…
    let t = 0;
    while (t < 40 && inside(upperBody, add(start, scale(f.superior, -(t + step))))) t += step;
    const top = add(start, scale(f.superior, -t));
    // …then on until the lower bone begins (at most 30 mm: beyond that it is not this disc).
    let g = step;
    while (g < 30 && !inside(lower, add(top, scale(f.superior, -g)))) g += step;
    if (g >= 30) continue;
    columns.push({ u, v, top, entry: add(top, scale(f.superior, -g)), gap: g });
  }
  if (columns.length < 8) return undefined;
  const local = (p: Vec3): { u: number; v: number; w: number } => {
    const d = sub(p, upperCentre);
    return { u: dot(d, f.left), v: dot(d, f.posterior), w: dot(d, f.superior) };
  };
  const lowerFit = fitPlane(columns.map((c) => local(c.entry)), upperCentre, f);
  if (lowerFit === undefined) return undefined;
  const upperInferior = options.upperInferior;
  const lowerSuperior = lowerFit.plane;
  const normal = normalize(add(upperInferior.normal, lowerSuperior.normal));
  const frame = discFrame(normal);
  // Mid-plane point: halfway between the two planes on the upper body's centre line.
  const onPlane = (plane: PlaneLps): Vec3 => {
    const denom = dot(plane.normal, f.superior);
    const t = dot(sub(plane.point, upperCentre), plane.normal) / denom;
    return add(upperCentre, scale(f.superior, t));
  };
  const a = onPlane(upperInferior), b = onPlane(lowerSuperior);
  const midPoint = scale(add(a, b), 0.5);
  // Heights on the midline: a straight line through the gaps (v → gap), read at the upper body's AP edges.
  const mid = columns.filter((c) => Math.abs(c.u) <= 3 * grid);
  const use = mid.length >= 4 ? mid : columns;
  let n = 0, sv = 0, sg = 0, svv = 0, svg = 0;
  let vMin = Infinity, vMax = -Infinity;
  for (const c of use) {
    n++; sv += c.v; sg += c.gap; svv += c.v * c.v; svg += c.v * c.gap;
    vMin = Math.min(vMin, c.v);
    vMax = Math.max(vMax, c.v);
  }
  const slope = n * svv - sv * sv > 1e-9 ? (n * svg - sv * sg) / (n * svv - sv * sv) : 0;
  const icpt = (sg - slope * sv) / n;
  const half = grid / 2;
  const gapAt = (v: number): number => icpt + slope * v;
  const anteriorEdge = vMin - half, posteriorEdge = vMax + half;
  const angleDeg = lordoticAngleDeg(upperInferior.normal, lowerSuperior.normal, f.left);
  const offset = dot(sub(upperCentre, midPoint), frame.posterior);
  return {
    upperInferior,
    lowerSuperior,
    midPlane: { point: midPoint, normal },
    anteriorMm: gapAt(anteriorEdge),
    middleMm: gapAt((anteriorEdge + posteriorEdge) / 2),
    posteriorMm: gapAt(posteriorEdge),
    angleDeg,
    frame,
    anteriorEdgeMm: anteriorEdge + offset,
    posteriorEdgeMm: posteriorEdge + offset,
  };
}

/**
 * AP corners of a bone surface on the midline, within `depthMm` of a plane on the bone's side (`side` −1: below the
 * plane, +1: above): the anterior and posterior extremes of the first continuous run of bone from the front along
 * `posterior` (so the sacral canal and laminae behind the body do not count).
 */
export function surfaceCorners(bone: Mask, plane: PlaneLps, posterior: Vec3, left: Vec3, side: -1 | 1, depthMm = 3): { anterior: number; posterior: number } | undefined {
  const pts = maskPoints(bone);
  const vs: number[] = [];
  for (let i = 0; i < pts.length; i += 3) {
    const d: Vec3 = [pts[i]! - plane.point[0], pts[i + 1]! - plane.point[1], pts[i + 2]! - plane.point[2]];
    const h = side * dot(d, plane.normal);
    if (h < -0.5 || h > depthMm) continue;
    if (Math.abs(dot(d, left)) > 4) continue;
    vs.push(dot(d, posterior));
  }
  if (vs.length < 3) return undefined;
  vs.sort((a, b) => a - b);
  const gap = 2.5 * Math.max(bone.spacing[0], bone.spacing[1], bone.spacing[2]);
  let end = vs[0]!;
  for (let i = 1; i < vs.length; i++) {
    if (vs[i]! - vs[i - 1]! > gap) break;
    end = vs[i]!;
  }
  const half = Math.min(bone.spacing[0], bone.spacing[1], bone.spacing[2]) / 2;
  return { anterior: vs[0]! - half, posterior: end + half };
}

/**
 * Spondylolisthesis slip: anterior translation of the upper body's posterior-inferior corner over the lower
 * vertebra's posterior-superior corner, ÷ the AP length of the lower superior endplate × 100 [Medscape, Koslosky2020].
 */
export function measureSlip(options: { upperBody: Mask; lower: Mask; space: DiscSpace; lowerSuperior?: PlaneLps }): { translationMm: number; slipPercent: number; endplateLengthMm: number } | undefined {
  const { space } = options;
  // The lower vertebra's own fitted superior endplate, when there is one: Meyerding measures on it [Medscape,
  // Koslosky2020]. The disc space's entry plane is a fallback only: under a high-grade slip the upper body overhangs
  // the lower one, the step down from its anterior part meets no lower endplate, and that plane tilts (seed 40: 31°).
  const lowerSuperior = options.lowerSuperior ?? space.lowerSuperior;
  const n = lowerSuperior.normal;
  const p = normalize(sub(space.frame.posterior, scale(n, dot(space.frame.posterior, n))));
  const left = cross(p, n);
  const lowerCorners = surfaceCorners(options.lower, lowerSuperior, p, left, -1);
  const upperCorners = surfaceCorners(options.upperBody, space.upperInferior, p, left, 1);
  if (lowerCorners === undefined || upperCorners === undefined) return undefined;
  // Both corner sets are offsets along p from different plane points: bring the upper ones to the lower plane's origin.
  const shift = dot(sub(space.upperInferior.point, lowerSuperior.point), p);
  const translationMm = lowerCorners.posterior - (upperCorners.posterior + shift);
  const endplateLengthMm = lowerCorners.posterior - lowerCorners.anterior;
  if (endplateLengthMm <= 5) return undefined;
  return { translationMm, slipPercent: (translationMm / endplateLengthMm) * 100, endplateLengthMm };
}
