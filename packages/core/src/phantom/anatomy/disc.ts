import { add, dot, scale as scaleVec, sub } from '../../geometry/vec3.ts';
import type { LabelName } from '../vocabulary.ts';
import { normalOf, posteriorOf, type DiscGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { ClippedPrism, frameToWorld, planeThrough, type Plane } from './shapes.ts';
import type { DiscInfo, ScenePart } from './types.ts';

/** The annulus bulges this far beyond the vertebral margins (a normal disc; not a "bulge" in Fardon's sense). */
const ANNULUS_OVERHANG_MM = 0.8;

export interface DiscBuild {
  readonly parts: ScenePart[];
  readonly info: DiscInfo;
  /** The annulus outline (herniation fragments are carved against it). */
  readonly outline: ClippedPrism;
}

/** Height between the disc's endplate planes along the mid normal, at an offset v along its AP axis. */
export function discHeightAt(geom: DiscGeom, v: number): number {
  const n = geom.frame.ez;
  const p = frameToWorld(geom.frame, 0, v, 0);
  const nl = normalOf(geom.lower.phi);
  const nu = normalOf(geom.upper.phi);
  // Intersections of the line p + t·n with both planes.
  const tl = dot(sub(geom.lower.centre, p), nl) / dot(n, nl);
  const tu = dot(sub(geom.upper.centre, p), nu) / dot(n, nu);
  return tu - tl;
}

export function discOutline(geom: DiscGeom, inset: number, sectionScale = 1, extraPlanes: readonly Plane[] = []): ClippedPrism {
  const { frame, lower, upper, depth, width } = geom;
  const planes: Plane[] = [
    planeThrough(add(lower.centre, scaleVec(normalOf(lower.phi), inset)), scaleVec(normalOf(lower.phi), -1)),
    planeThrough(sub(upper.centre, scaleVec(normalOf(upper.phi), inset)), normalOf(upper.phi)),
    planeThrough(frameToWorld(frame, 0, (depth / 2 + ANNULUS_OVERHANG_MM) * sectionScale, 0), frame.ey),
    ...extraPlanes,
  ];
  const a = (width / 2 + ANNULUS_OVERHANG_MM) * sectionScale;
  const b = (0.55 * depth + ANNULUS_OVERHANG_MM) * sectionScale;
  return new ClippedPrism(frame, { a, b, v0: 0.05 * depth, exponent: 2.4 }, planes, geom.middleHeight / 2 + depth * 0.3 + 2);
}

/** Annulus and nucleus of a disc, and its truth (the imaging engineer angles axial stacks along `normal`). */
export function buildDisc(geom: DiscGeom): DiscBuild {
  const structure = geom.slot.name as LabelName;
  const outline = discOutline(geom, 0);
  // Nucleus: the central ~half of the disc, kept off the endplates by the cartilage and inner annulus.
  const nucleus = discOutline(geom, Math.max(0.8, 0.2 * geom.middleHeight), 0.55);
  const parts = [part(structure, 'annulus', PRIORITY.annulus, outline), part(structure, 'nucleus', PRIORITY.nucleus, nucleus)];
  const info: DiscInfo = {
    name: geom.slot.name,
    label: geom.slot.label,
    upper: geom.slot.upper,
    lower: geom.slot.lower,
    centre: geom.frame.origin,
    normal: geom.frame.ez,
    posterior: posteriorOf((geom.lower.phi + geom.upper.phi) / 2),
    anteriorHeightMm: discHeightAt(geom, -geom.depth / 2),
    middleHeightMm: discHeightAt(geom, 0),
    posteriorHeightMm: discHeightAt(geom, geom.depth / 2),
    apRadiusMm: geom.depth / 2 + ANNULUS_OVERHANG_MM,
    lateralRadiusMm: geom.width / 2 + ANNULUS_OVERHANG_MM,
  };
  return { parts, info, outline };
}
