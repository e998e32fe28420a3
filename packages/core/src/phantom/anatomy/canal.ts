import { add, distance, scale as scaleVec, sub, type Vec3 } from '../../geometry/vec3.ts';
import type { Frame } from './shapes.ts';
import { Tube, frameToWorld, type TubeNode } from './shapes.ts';
import { PRIORITY, part } from './part.ts';
import type { ScenePart } from './types.ts';

/**
 * One cross-section of the spinal canal, cranial to caudal: at every vertebral body middle, every disc
 * middle and down the sacral canal. The dural sac, epidural fat, cord and cauda equina are tubes through
 * these stations, so they follow the lordosis and narrow where a stenosis is built.
 */
export interface CanalStation {
  /** Frame of the body or disc the station belongs to (its origin is the body or disc centre). */
  readonly frame: Frame;
  /** AP offset of the canal's anterior wall (the posterior body or disc margin). */
  readonly wallV: number;
  readonly canalHalfWidth: number;
  readonly canalDepth: number;
  /** Dural-sac half-width and half-depth (0 below the end of the sac). */
  readonly sacLateral: number;
  readonly sacAp: number;
  /** Vertebra or disc name, or a sacral segment name (S1…S5). */
  readonly name: string;
}

export function sacCentre(station: CanalStation): Vec3 {
  // The sac rests 1.2 mm behind the posterior longitudinal ligament, leaving dorsal epidural fat behind it.
  return frameToWorld(station.frame, 0, station.wallV + 1.2 + station.sacAp, 0);
}

export function canalCentre(station: CanalStation): Vec3 {
  return frameToWorld(station.frame, 0, station.wallV + station.canalDepth / 2, 0);
}

/** Point at arclength `s` (mm) along a polyline, clamped to its ends. */
export function pointAlong(points: readonly Vec3[], s: number): Vec3 {
  let remaining = s;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!, b = points[i + 1]!;
    const d = distance(a, b);
    if (remaining <= d) return add(a, scaleVec(sub(b, a), d > 0 ? remaining / d : 0));
    remaining -= d;
  }
  return points[points.length - 1]!;
}

export function polylineLength(points: readonly Vec3[]): number {
  let total = 0;
  for (let i = 0; i + 1 < points.length; i++) total += distance(points[i]!, points[i + 1]!);
  return total;
}

/** Arclength of the point of a polyline closest to `target` (by vertex projection on each segment). */
export function arclengthOf(points: readonly Vec3[], target: Vec3): number {
  let best = Infinity, bestS = 0, acc = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!, b = points[i + 1]!;
    const ab = sub(b, a);
    const len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((target[0] - a[0]) * ab[0] + (target[1] - a[1]) * ab[1] + (target[2] - a[2]) * ab[2]) / len2)) : 0;
    const p = add(a, scaleVec(ab, t));
    const d = distance(p, target);
    if (d < best) {
      best = d;
      bestS = acc + t * Math.sqrt(len2);
    }
    acc += Math.sqrt(len2);
  }
  return bestS;
}

export interface CanalBuildOptions {
  readonly stations: readonly CanalStation[];
  /** Extra length (mm) of sac and fat beyond the first station (to the top of the body). */
  readonly cranialExtensionMm: number;
  /** Conus tip (on the sac centre line); undefined when the scene has no conus (it starts below it or ends above it). */
  readonly conusTip: Vec3 | undefined;
  /** Cord radius scale. */
  readonly scale: number;
  /** Whether the scene's top is above the conus tip (so it contains cord). */
  readonly includeCord: boolean;
}

export interface CanalBuild {
  readonly parts: ScenePart[];
  /** The sac centre line (cranial first). */
  readonly centreline: Vec3[];
  readonly conusStart: Vec3 | undefined;
}

/** Dural sac (CSF), epidural fat, spinal cord, conus medullaris and cauda equina. */
export function buildCanal(options: CanalBuildOptions): CanalBuild {
  const { stations, scale } = options;
  const first = stations[0]!;
  const up = first.frame.ez;
  const extend = (p: Vec3): Vec3 => add(p, scaleVec(up, options.cranialExtensionMm));
  const withSac = stations.filter((s) => s.sacAp > 0);
  const sacPoints = withSac.map(sacCentre);
  const centreline = [extend(sacPoints[0]!), ...sacPoints];
  const parts: ScenePart[] = [];

  const fatNodes: TubeNode[] = stations.map((s) => ({ point: canalCentre(s), ra: s.canalHalfWidth - 0.3, rb: s.canalDepth / 2 - 0.3 }));
  fatNodes.unshift({ ...fatNodes[0]!, point: extend(fatNodes[0]!.point) });
  parts.push(part('epidural_fat', 'fat', PRIORITY.epiduralFat, new Tube(fatNodes)));

  const sacNodes: TubeNode[] = withSac.map((s, i) => ({ point: sacPoints[i]!, ra: s.sacLateral, rb: s.sacAp }));
  sacNodes.unshift({ ...sacNodes[0]!, point: centreline[0]! });
  parts.push(part('dural_sac', 'csf', PRIORITY.duralSac, new Tube(sacNodes)));

  let conusStart: Vec3 | undefined;
  if (options.includeCord && options.conusTip !== undefined) {
    const tipS = arclengthOf(centreline, options.conusTip);
    const conusLength = 25 * scale;
    const startS = Math.max(0, tipS - conusLength);
    conusStart = pointAlong(centreline, startS);
    const cordRadius = (station: TubeNode): TubeNode => ({ ...station, ra: Math.min(station.ra * 0.55, 5 * scale), rb: Math.min(station.rb * 0.6, 4 * scale) });
    // Cord from the top to the conus; the conus tapers from the cord's size to a point at its tip.
    const cordNodes: TubeNode[] = [];
    let acc = 0;
    for (let i = 0; i < centreline.length; i++) {
      if (i > 0) acc += distance(centreline[i - 1]!, centreline[i]!);
      if (acc >= startS) break;
      cordNodes.push(cordRadius(sacNodes[i]!));
    }
    const startNode: TubeNode = { point: conusStart, ra: 4.5 * scale, rb: 3.8 * scale };
    if (cordNodes.length > 0) {
      parts.push(part('spinal_cord', 'neural', PRIORITY.cord, new Tube([...cordNodes, startNode])));
    }
    const mid = pointAlong(centreline, (startS + tipS) / 2);
    parts.push(
      part('conus', 'neural', PRIORITY.cord, new Tube([startNode, { point: mid, ra: 3.2 * scale, rb: 2.8 * scale }, { point: options.conusTip, ra: 1.2 * scale, rb: 1.2 * scale }])),
    );
  }
  if (options.includeCord && options.conusTip === undefined) {
    // The scene ends above the conus: the cord runs through all of it, there is no cauda.
    parts.push(part('spinal_cord', 'neural', PRIORITY.cord, new Tube(sacNodes.map((n) => ({ ...n, ra: Math.min(n.ra * 0.55, 5 * scale), rb: Math.min(n.rb * 0.6, 4 * scale) })))));
    return { parts, centreline, conusStart: undefined };
  }
  // Cauda equina: the bundle of lumbosacral roots below the conus, lying dorsally in the sac, down to S2.
  const caudaFrom = conusStart !== undefined ? arclengthOf(centreline, conusStart) : 0;
  const caudaNodes: TubeNode[] = [];
  let acc = 0;
  for (let i = 0; i < centreline.length; i++) {
    if (i > 0) acc += distance(centreline[i - 1]!, centreline[i]!);
    const node = sacNodes[i]!;
    if (acc < caudaFrom) continue;
    const station = withSac[Math.max(0, i - 1)]!;
    const shift = scaleVec(station.frame.ey, 0.3 * node.rb);
    caudaNodes.push({ point: add(node.point, shift), ra: 0.55 * node.ra, rb: 0.45 * node.rb });
  }
  if (conusStart !== undefined) caudaNodes.unshift({ point: conusStart, ra: 2 * scale, rb: 2 * scale });
  if (caudaNodes.length >= 2 && (conusStart !== undefined || !options.includeCord)) {
    parts.push(part('cauda_equina', 'neural', PRIORITY.cauda, new Tube(caudaNodes)));
  }
  return { parts, centreline, conusStart };
}
