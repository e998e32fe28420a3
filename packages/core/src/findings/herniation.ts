import { add, dot, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import type { PlaneLps } from '../spine/types.ts';
import type { DiscSpace } from './disc-geometry.ts';
import { maskPoints, type Mask } from './label-map.ts';
import type { FindingsSettings } from './settings.ts';
import type { HerniationMeasurements, PedicleEdges } from './types.ts';
import type { Frame } from './vertebra-geometry.ts';

/**
 * Disc herniation from the disc label against the expected disc envelope: the convex hull of the adjacent
 * endplate outlines, projected on the disc mid-plane. Disc material lying more than a margin outside it is
 * displaced; its connected pieces are measured and classified with nomenclature 2.0 [Fardon]:
 * - bulge: displaced over more than 25% of the circumference (> 90° about the disc centre);
 * - protrusion: in every plane the displaced material is no wider than its base;
 * - extrusion: in some plane wider than its base (axial: across; sagittal: craniocaudal);
 * - sequestration: no continuity with the parent disc.
 * Zones by the lateral position of the material against the canal and the upper pedicles [Radiopaedia-Nom];
 * migration and its grade against the posterior disc height [Lee2006] and Lee's zones by the pedicles [LeeZones].
 */

type Pt2 = readonly [number, number];

/** Convex hull (Andrew's monotone chain), counter-clockwise. */
export function convexHull(points: readonly Pt2[]): Pt2[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const crossZ = (o: Pt2, a: Pt2, b: Pt2): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt2[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && crossZ(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt2[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && crossZ(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Signed distance to a convex CCW polygon: > 0 outside (distance to the boundary), ≤ 0 inside. */
export function outsideDistance(hull: readonly Pt2[], p: Pt2): number {
  let inside = true;
  let best = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!, b = hull[(i + 1) % hull.length]!;
    const ex = b[0] - a[0], ey = b[1] - a[1];
    const px = p[0] - a[0], py = p[1] - a[1];
    if (ex * py - ey * px < 0) inside = false;
    const t = Math.max(0, Math.min(1, (px * ex + py * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(px - t * ex, py - t * ey));
  }
  return inside ? -best : best;
}

export interface HerniationInput {
  readonly material: Mask;
  readonly space: DiscSpace;
  /** Bone whose surfaces bound the disc: the upper body, and the lower body (or the sacrum's front part). */
  readonly upperBody: Mask;
  readonly lowerBody: Mask;
  /** The lower bone is the sacrum (its alae continue the S1 endplate's level laterally). */
  readonly lowerIsSacrum?: boolean;
  readonly upperPedicles?: { readonly left?: PedicleEdges; readonly right?: PedicleEdges };
  readonly upperFrame: Frame;
  readonly upperCentre: Vec3;
  readonly lowerPedicles?: { readonly left?: PedicleEdges; readonly right?: PedicleEdges };
  readonly lowerFrame?: Frame;
  readonly lowerCentre?: Vec3;
  readonly settings: FindingsSettings;
}

function slabOutline(bone: Mask, plane: PlaneLps, side: -1 | 1, frame: Frame, origin: Vec3, maxV: number): Pt2[] {
  const pts = maskPoints(bone);
  const out: Pt2[] = [];
  for (let i = 0; i < pts.length; i += 3) {
    const p: Vec3 = [pts[i]!, pts[i + 1]!, pts[i + 2]!];
    const h = side * dot(sub(p, plane.point), plane.normal);
    if (h < -0.5 || h > 3) continue;
    const d = sub(p, origin);
    const v = dot(d, frame.posterior);
    if (v > maxV) continue;
    out.push([dot(d, frame.left), v]);
  }
  return out;
}

/** How far (mm) the lower endplate's outline may reach beyond the upper one's at the same AP position (a lower lumbar body is up to ~1.5 mm wider each side). */
const LOWER_OUTLINE_TOLERANCE_MM = 2;

/**
 * The upper outline's half width (largest |u|) as a function of the AP position v: the widest point within 1 mm of v,
 * or the overall half width where the upper outline has no point that far forward or back (a slipped level).
 */
function upperHalfWidthProfile(outline: readonly Pt2[]): (v: number) => number {
  const overall = Math.max(...outline.map((p) => Math.abs(p[0])));
  const byBin = new Map<number, number>();
  for (const [u, v] of outline) {
    const b = Math.round(v);
    byBin.set(b, Math.max(byBin.get(b) ?? 0, Math.abs(u)));
  }
  return (v: number): number => {
    const b = Math.round(v);
    const near = [byBin.get(b - 1), byBin.get(b), byBin.get(b + 1)].filter((x): x is number => x !== undefined);
    return near.length === 0 ? overall : Math.max(...near);
  };
}

/** Half of a voxel's extent, added to extents measured between voxel centres. */
const voxelPad = (m: Mask): number => Math.min(m.spacing[0], m.spacing[1], m.spacing[2]);

/** Distance beyond the endplate outline (mm) down to which a detected piece is grown: just outside a normal annulus, which overhangs the bony edge by about 1 mm. */
const GROW_MM = 1.3;
/** Steps (voxels) of that growth: enough to reach from the margin to the disc's outline. */
const GROW_STEPS = 5;
/** How far (mm) beyond the grown piece, in its own columns, its extent may continue toward the disc. */
const NECK_MM = 3;
/** A normal annulus overhangs the bony edge by about this much (mm): material within it is the disc's own rim. */
const ANNULUS_MM = 0.9;

export function detectHerniation(input: HerniationInput): { measurements: HerniationMeasurements; all: HerniationMeasurements[] } {
  const { material, space, settings } = input;
  const f = space.frame;
  const o = space.midPlane.point;
  // The envelope: both endplate outlines (bone within 3 mm of each endplate plane), the lower one limited to the
  // front of the upper body's posterior edge (+3 mm) so the sacrum's or lower vertebra's posterior elements stay out.
  const maxV = space.posteriorEdgeMm + 3;
  const upperOutline = slabOutline(input.upperBody, space.upperInferior, 1, f, o, maxV);
  // The lower outline is kept within the upper body's outline at each AP position (+ 2 mm for a lower lumbar body,
  // which is up to ~1.5 mm wider each side; + 0 for the sacrum, whose S1 endplate is no wider than L5's): bone of the
  // lower vertebra at its endplate's height that is not its endplate rim — the sacral alae beside S1, the pedicle
  // roots at the posterolateral corner of a lumbar body (their top lies 1.5–3 mm below the superior endplate) — would
  // otherwise square the hull's posterior corners and swallow the foraminal zone (a foraminal L5-S1 protrusion of
  // 7.5 mm went unseen).
  const upperHalfWidthAt = upperHalfWidthProfile(upperOutline);
  const tolerance = input.lowerIsSacrum === true ? 0 : LOWER_OUTLINE_TOLERANCE_MM;
  const outline = [...upperOutline, ...slabOutline(input.lowerBody, space.lowerSuperior, -1, f, o, maxV).filter((p) => Math.abs(p[0]) <= upperHalfWidthAt(p[1]) + tolerance)];
  const hull = convexHull(outline);
  if (hull.length < 3) return { measurements: { present: false }, all: [] };
  let hu = 0, hv = 0;
  for (const p of hull) {
    hu += p[0];
    hv += p[1];
  }
  hu /= hull.length;
  hv /= hull.length;

  // Displaced voxels and their connected pieces (26-connectivity) on the material mask's box.
  const [ni, nj, nk] = material.dims;
  const n = ni * nj * nk;
  const dist = new Float32Array(n).fill(NaN);
  const m = material.indexToWorld;
  const local = new Float32Array(n * 3);
  for (let idx = 0; idx < n; idx++) {
    if (material.data[idx] === 0) continue;
    const a = idx % ni, b = Math.floor(idx / ni) % nj, c = Math.floor(idx / (ni * nj));
    const i = a + material.lo[0], j = b + material.lo[1], k = c + material.lo[2];
    const p: Vec3 = [m[0] * i + m[1] * j + m[2] * k + m[3], m[4] * i + m[5] * j + m[6] * k + m[7], m[8] * i + m[9] * j + m[10] * k + m[11]];
    const d = sub(p, o);
    const u = dot(d, f.left), v = dot(d, f.posterior), w = dot(d, f.superior);
    local[3 * idx] = u;
    local[3 * idx + 1] = v;
    local[3 * idx + 2] = w;
    const d2 = outsideDistance(hull, [u, v]);
    // Outside the disc space (beyond an endplate plane, outside the endplate outline) no disc tissue belongs at all:
    // migrated material there counts as displaced by how far it lies beyond the endplate.
    const beyondPlane = Math.max(dot(sub(p, space.upperInferior.point), space.upperInferior.normal), -dot(sub(p, space.lowerSuperior.point), space.lowerSuperior.normal));
    dist[idx] = d2 > 0 && beyondPlane > 1 ? Math.max(d2, settings.herniationMarginMm + beyondPlane) : d2;
  }
  const voxelVolume = material.spacing[0] * material.spacing[1] * material.spacing[2];
  const comp = new Int32Array(n).fill(-1);
  const pieces: number[][] = [];
  const stack: number[] = [];
  const neighbours = (idx: number, visit: (x: number) => void): void => {
    const a = idx % ni, b = Math.floor(idx / ni) % nj, c = Math.floor(idx / (ni * nj));
    for (let dc = -1; dc <= 1; dc++) for (let db = -1; db <= 1; db++) for (let da = -1; da <= 1; da++) {
      if (da === 0 && db === 0 && dc === 0) continue;
      const x = a + da, y = b + db, z = c + dc;
      if (x < 0 || y < 0 || z < 0 || x >= ni || y >= nj || z >= nk) continue;
      visit(x + ni * (y + nj * z));
    }
  };
  for (let idx = 0; idx < n; idx++) {
    if (!(dist[idx]! > settings.herniationMarginMm) || comp[idx]! >= 0) continue;
    const id = pieces.length;
    const list: number[] = [];
    comp[idx] = id;
    stack.push(idx);
    while (stack.length > 0) {
      const c = stack.pop()!;
      list.push(c);
      neighbours(c, (x) => {
        if (comp[x]! < 0 && dist[x]! > settings.herniationMarginMm) {
          comp[x] = id;
          stack.push(x);
        }
      });
    }
    pieces.push(list);
  }

  // Continuity with the parent disc: flood through the material from the piece; reaching material inside the envelope means connected.
  const connectedToDisc = (list: number[]): boolean => {
    const seen = new Uint8Array(n);
    for (const x of list) {
      seen[x] = 1;
      stack.push(x);
    }
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (dist[c]! <= 0) {
        stack.length = 0;
        return true;
      }
      neighbours(c, (x) => {
        if (seen[x] === 0 && material.data[x] === 1) {
          seen[x] = 1;
          stack.push(x);
        }
      });
    }
    return false;
  };

  const pad = voxelPad(material);
  const canalHalf = avg(input.upperPedicles?.left?.medialMm, input.upperPedicles?.right?.medialMm);
  const results: HerniationMeasurements[] = [];
  // A piece found beyond the margin is measured with the material around it down to just outside the disc's own
  // outline (`growMm`): its full extent and its base, not only the part beyond the detection margin.
  const grow = (list: number[]): number[] => {
    // Breadth-first, at most GROW_STEPS voxels from the detected piece: the rim of a normal annulus must not carry
    // the growth around the disc.
    const seen = new Uint8Array(n);
    let front: number[] = [];
    const out: number[] = [];
    for (const x of list) {
      seen[x] = 1;
      front.push(x);
    }
    for (let step = 0; front.length > 0; step++) {
      out.push(...front);
      if (step >= GROW_STEPS) break;
      const next: number[] = [];
      for (const c of front) neighbours(c, (x) => {
        if (seen[x] === 0 && dist[x]! > GROW_MM && dist[x]! <= settings.herniationMarginMm) {
          seen[x] = 1;
          next.push(x);
        }
      });
      front = next;
    }
    return out;
  };
  for (const found of pieces) {
    if (found.length * voxelVolume < settings.herniationMinVolumeMm3) continue;
    const list = grow(found);
    const volume = list.length * voxelVolume;
    let su = 0, sv = 0, sw = 0, maxD = 0;
    for (const x of list) {
      su += local[3 * x]!;
      sv += local[3 * x + 1]!;
      sw += local[3 * x + 2]!;
      maxD = Math.max(maxD, dist[x]!);
    }
    const cu = su / list.length, cv = sv / list.length, cw = sw / list.length;
    // Outward direction (from the envelope centre) and the tangent across it.
    const ou = cu - hu, ov = cv - hv;
    const len = Math.hypot(ou, ov) || 1;
    const nu = ou / len, nv = ov / len;
    const tu = -nv, tv = nu;
    // Width profiles against the distance beyond the envelope: axial (across) and sagittal (craniocaudal).
    const bins = new Map<number, { tMin: number; tMax: number; wMin: number; wMax: number }>();
    let angMin = Infinity, angMax = -Infinity;
    const angles: number[] = [];
    let tAll = [Infinity, -Infinity], wAll = [Infinity, -Infinity];
    for (const x of list) {
      const u = local[3 * x]!, v = local[3 * x + 1]!, w = local[3 * x + 2]!;
      const t = (u - hu) * tu + (v - hv) * tv;
      // Width profiles from the piece beyond the detection margin (the grown rim is cut short at its sides).
      if (dist[x]! > settings.herniationMarginMm) {
        const b = Math.floor(dist[x]! - settings.herniationMarginMm);
        const bin = bins.get(b) ?? { tMin: Infinity, tMax: -Infinity, wMin: Infinity, wMax: -Infinity };
        bin.tMin = Math.min(bin.tMin, t);
        bin.tMax = Math.max(bin.tMax, t);
        bin.wMin = Math.min(bin.wMin, w);
        bin.wMax = Math.max(bin.wMax, w);
        bins.set(b, bin);
      }
      tAll = [Math.min(tAll[0]!, t), Math.max(tAll[1]!, t)];
      wAll = [Math.min(wAll[0]!, w), Math.max(wAll[1]!, w)];
      const ang = Math.atan2(u - hu, -(v - hv));
      angles.push(ang);
      angMin = Math.min(angMin, ang);
      angMax = Math.max(angMax, ang);
    }
    const angleDeg = angularSpan(angles);
    const ordered = [...bins.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
    const widths = ordered.map((b) => b.tMax - b.tMin + pad);
    const heights = ordered.map((b) => b.wMax - b.wMin + pad);
    const ratio = (profile: number[]): number => {
      const peakAt = profile.indexOf(Math.max(...profile));
      const neck = Math.min(...profile.slice(0, peakAt + 1));
      return profile[peakAt]! / Math.max(neck, 1e-6);
    };
    const axialRatio = ratio(widths), sagittalRatio = ratio(heights);
    const connected = connectedToDisc(list);
    // Extents also take the material outside the envelope in the piece's own columns (its neck down to the disc
    // outline, which the growth threshold leaves out), not the normal rim beside it.
    const cells = new Set<number>();
    const cellOf = (x: number): number => Math.round(local[3 * x]!) * 4096 + Math.round(local[3 * x + 1]!);
    for (const x of list) cells.add(cellOf(x));
    const [w0, w1] = [wAll[0]! - NECK_MM, wAll[1]! + NECK_MM];
    // The same material (everything beyond a normal annulus in the piece's columns) gives the zone its position.
    let mu = 0, mn = 0;
    for (let x = 0; x < n; x++) {
      if (!(dist[x]! > ANNULUS_MM)) continue;
      const u = local[3 * x]!, v = local[3 * x + 1]!, w = local[3 * x + 2]!;
      if (w < w0 || w > w1 || !cells.has(cellOf(x))) continue;
      mu += u;
      mn++;
      const t = (u - hu) * tu + (v - hv) * tv;
      tAll = [Math.min(tAll[0]!, t), Math.max(tAll[1]!, t)];
      wAll = [Math.min(wAll[0]!, w), Math.max(wAll[1]!, w)];
    }
    const lateralMm = tAll[1]! - tAll[0]! + pad;
    const craniocaudalMm = wAll[1]! - wAll[0]! + pad;
    const beyondMarginMm = maxD;
    // Displacement from one side of the canal to the other (wider than the interpedicular distance) is a broad-based
    // bulge narrowing the canal, not a focal herniation.
    const broad = canalHalf !== undefined && lateralMm >= 0.9 * 2 * canalHalf;
    // Material overriding both endplates while centred on the disc is a circumferential overhang narrowing the canal
    // (a bulge, as in central stenosis), not a focal herniation, which leaves the disc at one level.
    const reachBoth = migrationReach(list, local, space, o);
    const overridesBoth = reachBoth.up > 2.5 && reachBoth.down > 2.5 && Math.abs(cw) < 0.25 * space.middleMm;
    const type: HerniationMeasurements['type'] = !connected
      ? 'sequestration'
      : angleDeg > settings.bulgeMinAngleDeg || broad || overridesBoth
        ? 'bulge'
        : axialRatio > settings.extrusionWidthRatio || sagittalRatio > settings.extrusionWidthRatio
          ? 'extrusion'
          : 'protrusion';
    // Zone by where the displaced material lies (its centroid: every voxel beyond a normal annulus in the piece's
    // columns, so a thin protrusion is not judged by its tip alone) against the upper pedicles' edges
    // [Radiopaedia-Nom]: foraminal between the medial and lateral edges, extraforaminal beyond the lateral edge.
    // The base (where the material leaves the disc) is reported beside it.
    const materialU = mn > 0 ? mu / mn : cu;
    let minD = Infinity;
    for (const x of list) minD = Math.min(minD, dist[x]!);
    let bu = 0, bn = 0;
    for (const x of list) if (dist[x]! <= minD + 1) {
      bu += local[3 * x]!;
      bn++;
    }
    const baseU = bu / bn;
    const absU = Math.abs(materialU);
    const side = materialU >= 0 ? 'left' : 'right';
    const ped = side === 'left' ? input.upperPedicles?.left ?? input.upperPedicles?.right : input.upperPedicles?.right ?? input.upperPedicles?.left;
    let zone: HerniationMeasurements['zone'];
    if (ped === undefined || canalHalf === undefined) zone = absU < 8 ? 'central' : 'subarticular';
    else if (absU < settings.centralZoneFraction * canalHalf) zone = 'central';
    else if (absU < ped.medialMm) zone = 'subarticular';
    else if (absU < ped.lateralMm + settings.extraforaminalMarginMm) zone = 'foraminal';
    else zone = 'extraforaminal';
    // Migration: how far the material reaches beyond the endplates, and where its centre lies.
    const reach = migrationReach(list, local, space, o);
    const halfHeight = space.middleMm / 2;
    let migration: HerniationMeasurements['migration'];
    const direction = cw > 0 ? 'up' : 'down';
    const beyond = direction === 'up' ? reach.up : reach.down;
    if (Math.abs(cw) > settings.migrationCentreFraction * halfHeight && beyond > 0 && type !== 'bulge') {
      // High grade: beyond the posterior disc height [Lee2006].
      const grade = beyond > space.posteriorMm ? 'high' : 'low';
      const leeZone = leeZoneOf({ direction, reach, input, list, local, o, f });
      migration = { direction, grade, beyondEndplateMm: beyond, ...(leeZone !== undefined ? { leeZone } : {}) };
    }
    const centre = add(o, add(scale(f.left, cu), add(scale(f.posterior, cv), scale(f.superior, cw))));
    // A protrusion is widest where it leaves the disc, inside the annulus overhang that cannot be told from the
    // normal rim: its width there follows from the two layers beyond the margin, taking its section as elliptical
    // (W² linear in the squared distance from the disc outline).
    let lateralAtBase = lateralMm;
    const wb0 = widths[0], wb1 = widths[1];
    if (type === 'protrusion' && wb0 !== undefined && wb1 !== undefined && wb1 < wb0) {
      const x0 = settings.herniationMarginMm + 0.5 - ANNULUS_MM, x1 = x0 + 1;
      const s2 = (wb0 * wb0 * x1 * x1 - wb1 * wb1 * x0 * x0) / (x1 * x1 - x0 * x0);
      if (Number.isFinite(s2) && s2 > 0) lateralAtBase = Math.min(Math.max(lateralMm, Math.sqrt(s2)), lateralMm + 3);
    }
    // Largest dimension: across the disc outline or craniocaudal (the depth beyond the margin is reported apart).
    const sizeMm = Math.max(lateralAtBase, craniocaudalMm);
    // Confidence: small or barely displaced pieces are less sure; classification near its thresholds too.
    const nearRatio = Math.min(Math.abs(Math.max(axialRatio, sagittalRatio) - settings.extrusionWidthRatio) / 0.2, 1);
    const confidence = Math.max(0.3, Math.min(0.95, 0.5 + 0.25 * Math.min(1, (beyondMarginMm - settings.herniationMarginMm) / 2) + 0.2 * (type === 'protrusion' || type === 'extrusion' ? nearRatio : 1)));
    results.push({
      present: type !== 'bulge',
      zone: type === 'bulge' ? 'central' : zone,
      side: zone === 'central' ? 'midline' : side,
      type,
      sizeMm,
      beyondMarginMm,
      lateralMm,
      craniocaudalMm,
      baseWidthMm: Math.min(...widths.slice(0, widths.indexOf(Math.max(...widths)) + 1)),
      maxWidthMm: Math.max(...widths),
      volumeMm3: volume,
      angleDeg,
      lateralOffsetMm: baseU,
      centreOffsetMm: cu,
      materialOffsetMm: materialU,
      beyondEndplatesMm: { up: reachBoth.up, down: reachBoth.down },
      ...(type === 'bulge' ? { bulgeReason: angleDeg > settings.bulgeMinAngleDeg ? 'circumference' : broad ? 'canal-wide' : 'both-endplates' } : {}),
      connected,
      ...(migration !== undefined ? { migration } : {}),
      centre,
      confidence,
    });
  }
  results.sort((a, b) => (b.volumeMm3 ?? 0) - (a.volumeMm3 ?? 0));
  const main = results[0];
  return { measurements: main ?? { present: false }, all: results };
}

function avg(a: number | undefined, b: number | undefined): number | undefined {
  if (a !== undefined && b !== undefined) return (a + b) / 2;
  return a ?? b;
}

/** Span (degrees) of a set of angles on the circle: 360 minus the largest empty arc. */
function angularSpan(angles: number[]): number {
  if (angles.length < 2) return 0;
  const sorted = [...angles].sort((a, b) => a - b);
  let gap = sorted[0]! + 2 * Math.PI - sorted[sorted.length - 1]!;
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i]! - sorted[i - 1]!);
  return ((2 * Math.PI - gap) * 180) / Math.PI;
}

/** How far (mm, along the disc normal) the piece reaches above the upper and below the lower endplate plane. */
function migrationReach(list: number[], local: Float32Array, space: DiscSpace, o: Vec3): { up: number; down: number; top: Vec3; bottom: Vec3 } {
  const f = space.frame;
  let up = -Infinity, down = -Infinity;
  let top: Vec3 = o, bottom: Vec3 = o;
  for (const x of list) {
    const p = add(o, add(scale(f.left, local[3 * x]!), add(scale(f.posterior, local[3 * x + 1]!), scale(f.superior, local[3 * x + 2]!))));
    const aboveUpper = dot(sub(p, space.upperInferior.point), space.upperInferior.normal);
    const belowLower = -dot(sub(p, space.lowerSuperior.point), space.lowerSuperior.normal);
    if (aboveUpper > up) {
      up = aboveUpper;
      top = p;
    }
    if (belowLower > down) {
      down = belowLower;
      bottom = p;
    }
  }
  return { up, down, top, bottom };
}

/** Lee's migration zones by the pedicles [LeeZones]. */
function leeZoneOf(args: { direction: 'up' | 'down'; reach: { top: Vec3; bottom: Vec3 }; input: HerniationInput; list: number[]; local: Float32Array; o: Vec3; f: Frame }): 1 | 2 | 3 | 4 | undefined {
  const { input, direction, reach } = args;
  if (direction === 'up') {
    const ped = input.upperPedicles?.left ?? input.upperPedicles?.right;
    if (ped === undefined) return undefined;
    const w = dot(sub(reach.top, input.upperCentre), input.upperFrame.superior);
    // Zone 1 (far-up): reaching to within 3 mm of the lower edge of the upper pedicle; else zone 2 (near-up).
    return w >= ped.lowerMm - input.settings.leeZone1MarginMm ? 1 : 2;
  }
  const ped = input.lowerPedicles?.left ?? input.lowerPedicles?.right;
  if (ped === undefined || input.lowerCentre === undefined || input.lowerFrame === undefined) return undefined;
  const w = dot(sub(reach.bottom, input.lowerCentre), input.lowerFrame.superior);
  // Zone 3 (near-down) to the midpoint of the lower pedicle; zone 4 (far-down) below it.
  return w < (ped.lowerMm + ped.upperMm) / 2 ? 4 : 3;
}
