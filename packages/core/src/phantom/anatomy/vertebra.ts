import { cross, normalize, scale as scaleVec, sub, add, type Vec3 } from '../../geometry/vec3.ts';
import type { LabelName, Side } from '../vocabulary.ts';
import type { Tissue } from '../tissue.ts';
import { normalOf, type VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { Clipped, ClippedPrism, OrientedBox, Superellipsoid, Tube, frameToWorld, planeThrough, type Frame, type Plane } from './shapes.ts';
import type { ScenePart, VertebraInfo } from './types.ts';

/** Cortical shell thickness (mm) of bodies and processes: ~1 mm in lumbar bodies. */
const CORTEX_MM = 1;

export interface VertebraBuild {
  readonly parts: ScenePart[];
  readonly info: VertebraInfo;
  /** Vertebra-frame quantities other builders reuse (roots, ligaments, canal, ribs). */
  readonly local: VertebraLocal;
}

export interface VertebraLocal {
  /** Lateral position of the pedicle centre at its posterior end. */
  readonly pedicleU: number;
  /** Height of the pedicle centre above the body centre. */
  readonly pedicleW: number;
  readonly transverseTipU: number;
  readonly laminaW: number;
}

export interface VertebraBuildOptions {
  readonly geom: VertebraGeom;
  /** Middle heights of the discs above and below (for facet heights). */
  readonly discAboveMm: number;
  readonly discBelowMm: number;
  readonly scale: number;
  /** Inner body tissue (marrow oedema in an acute fracture). */
  readonly bodyInterior: Tissue;
}

const sideSign = (side: Side): number => (side === 'left' ? 1 : -1);

/** A frame whose ex runs from a to b (world), with ez as close as possible to `up`. */
export function segmentFrame(a: Vec3, b: Vec3, up: Vec3): Frame {
  const ex = normalize(sub(b, a));
  const ey = normalize(cross(up, ex));
  const ez = cross(ex, ey);
  return { origin: scaleVec(add(a, b), 0.5), ex, ey, ez };
}

/**
 * Body as a clipped superelliptic prism: a slightly squared oval section (exponent 2.4) with a flat
 * posterior wall, between the two endplate planes (which need not be parallel: wedging, fractures).
 */
export function bodyShape(geom: Pick<VertebraGeom, 'frame' | 'inferior' | 'superior'>, width: number, depth: number, inset: number): ClippedPrism {
  const { frame, inferior, superior } = geom;
  const planes: Plane[] = [
    planeThrough(add(inferior.centre, scaleVec(normalOf(inferior.phi), inset)), scaleVec(normalOf(inferior.phi), -1)),
    planeThrough(sub(superior.centre, scaleVec(normalOf(superior.phi), inset)), normalOf(superior.phi)),
    planeThrough(frameToWorld(frame, 0, depth / 2 - inset, 0), frame.ey),
  ];
  const halfHeight = Math.hypot(...sub(superior.centre, inferior.centre)) / 2 + depth * 0.3 + 2;
  return new ClippedPrism(frame, { a: width / 2 - inset, b: 0.55 * depth - inset, v0: 0.05 * depth, exponent: 2.4 }, planes, halfHeight);
}

/** Cortical tube with a cancellous core (processes, pedicles, ribs). */
function bonyTube(structure: LabelName, points: readonly Vec3[], ra: number, rb: number, reference: Vec3): ScenePart[] {
  const outer = new Tube(points.map((point) => ({ point, ra, rb })), reference);
  const inner = new Tube(points.map((point) => ({ point, ra: Math.max(0.6, ra - CORTEX_MM), rb: Math.max(0.6, rb - CORTEX_MM) })), reference);
  return [part(structure, 'cortical_bone', PRIORITY.cortical, outer), part(structure, 'cancellous_bone', PRIORITY.cancellous, inner)];
}

/**
 * Height of the pedicle centre above the body centre: pedicles sit in the upper half of the body [Witek],
 * never above the (possibly fractured) superior endplate.
 */
export function pedicleCentreW(geom: VertebraGeom, scale: number): number {
  const topW = Math.min(geom.anteriorHeight, geom.posteriorHeight) / 2;
  return Math.min(geom.normalHeight / 2, topW + 2) - geom.dims.pedicleHeight / 2 - 1.5 * scale;
}

/** Every part of one mobile vertebra (body, pedicles, laminae, facets, spinous and transverse processes) and its truth. */
export function buildVertebra(options: VertebraBuildOptions): VertebraBuild {
  const { geom, discAboveMm, discBelowMm, scale } = options;
  const { frame, dims, slot } = geom;
  const structure = slot.name as LabelName;
  const at = (u: number, v: number, w: number): Vec3 => frameToWorld(frame, u, v, w);
  const D = dims.depth;
  const H = geom.normalHeight;
  const parts: ScenePart[] = [];

  const body = bodyShape(geom, dims.width, D, 0);
  parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, body));
  // The bony endplates: the shell's top and bottom 1 mm (Modic changes and endplate signal live here).
  for (const endplate of [geom.inferior, geom.superior]) {
    const n = normalOf(endplate.phi);
    const inward = endplate === geom.inferior ? n : scaleVec(n, -1);
    const inner = add(endplate.centre, scaleVec(inward, CORTEX_MM));
    parts.push(part(structure, 'endplate', PRIORITY.cortical, new Clipped(body, [planeThrough(inner, inward)])));
  }
  parts.push(part(structure, options.bodyInterior, PRIORITY.cancellous, bodyShape(geom, dims.width, D, CORTEX_MM)));

  const pedicleU = dims.canalHalfWidth + dims.pedicleWidth / 2;
  const pedicleW = pedicleCentreW(geom, scale);
  const laminaW = pedicleW - 3 * scale;
  const lamThick = dims.laminaThickness;
  const laminaMidV = D / 2 + dims.canalDepth + lamThick / 2;
  const pedicles: Record<Side, Vec3> = { left: [0, 0, 0], right: [0, 0, 0] };
  const superiorArticularTips: Record<Side, Vec3> = { left: [0, 0, 0], right: [0, 0, 0] };
  const tips: Record<Side, Vec3> = { left: [0, 0, 0], right: [0, 0, 0] };
  const transverseTipU = pedicleU + dims.transverseLength;
  for (const side of ['left', 'right'] as const) {
    const s = sideSign(side);
    // Pedicle: converging forwards (medial angulation) into the posterolateral body.
    const pedA = at(s * (pedicleU - 2 * scale), D / 2 - 5 * scale, pedicleW);
    const pedB = at(s * pedicleU, D / 2 + dims.pedicleLength, pedicleW);
    parts.push(...bonyTube(structure, [pedA, pedB], dims.pedicleHeight / 2, dims.pedicleWidth / 2, frame.ez));
    pedicles[side] = at(s * (pedicleU - 1 * scale), D / 2 + dims.pedicleLength / 2, pedicleW);
    // Lamina: a plate from the pedicle's posterior end to the midline, behind the canal.
    const lamA = at(s * (pedicleU + 1), D / 2 + dims.pedicleLength - 1, laminaW);
    const lamB = at(0, laminaMidV, laminaW);
    const lamFrame = segmentFrame(lamA, lamB, frame.ez);
    const lamLength = Math.hypot(...sub(lamB, lamA));
    parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, new OrientedBox(lamFrame, [lamLength / 2 + 2, lamThick / 2, 0.42 * H])));
    parts.push(part(structure, 'cancellous_bone', PRIORITY.cancellous, new OrientedBox(lamFrame, [lamLength / 2 + 1, lamThick / 2 - CORTEX_MM, 0.42 * H - CORTEX_MM])));
    // Superior articular process: rises from the pedicle–lamina junction to the level of the disc above.
    const sapR = (slot.region === 'lumbar' || slot.lumbarType ? 4.2 : 3) * scale;
    const sapBase = at(s * (pedicleU + 1), D / 2 + dims.pedicleLength - 1, pedicleW + 2);
    const sapTip = at(s * (pedicleU + 3 * scale), D / 2 + dims.pedicleLength + 3 * scale, H / 2 + 0.8 * discAboveMm + 3 * scale);
    parts.push(...bonyTube(structure, [sapBase, sapTip], sapR, sapR, frame.ez));
    // 2 mm inside the tip: the dorsal boundary of Kambin's triangle at the disc above [MIS2017].
    superiorArticularTips[side] = add(sapTip, scaleVec(normalize(sub(sapBase, sapTip)), 2 * scale));
    // Inferior articular process: descends behind (posteromedial to) the superior process of the vertebra below.
    const iapR = (slot.region === 'lumbar' || slot.lumbarType ? 3.8 : 2.8) * scale;
    parts.push(
      ...bonyTube(structure, [at(s * (pedicleU - 4 * scale), D / 2 + dims.pedicleLength + 8 * scale, pedicleW - 5 * scale), at(s * (pedicleU - 4 * scale), D / 2 + dims.pedicleLength + 9 * scale, -H / 2 - 0.5 * discBelowMm - 3 * scale)], iapR, iapR, frame.ez),
    );
    // Transverse process: laterally from the pedicle–lamina junction, tapering.
    const tpStart = at(s * pedicleU, D / 2 + dims.pedicleLength - 1, pedicleW);
    const tpEnd = at(s * transverseTipU, D / 2 + dims.pedicleLength - 4 * scale, pedicleW);
    const tpR = dims.transverseRadius;
    const tpOuter = new Tube([{ point: tpStart, ra: tpR * 1.2, rb: tpR }, { point: tpEnd, ra: tpR * 0.9, rb: tpR * 0.75 }], frame.ez);
    const tpInner = new Tube([{ point: tpStart, ra: tpR * 1.2 - CORTEX_MM, rb: tpR - CORTEX_MM }, { point: tpEnd, ra: Math.max(0.6, tpR * 0.9 - CORTEX_MM), rb: Math.max(0.6, tpR * 0.75 - CORTEX_MM) }], frame.ez);
    parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, tpOuter), part(structure, 'cancellous_bone', PRIORITY.cancellous, tpInner));
    tips[side] = at(s * (transverseTipU - 1.5), D / 2 + dims.pedicleLength - 4 * scale + 0.1, pedicleW);
  }
  // Spinous process: from the laminae's junction backwards, tilted caudally.
  const tilt = (dims.spinousTiltDeg * Math.PI) / 180;
  const spStart = at(0, laminaMidV - lamThick / 2, laminaW);
  const spDir = normalize(sub(scaleVec(frame.ey, Math.cos(tilt)), scaleVec(frame.ez, Math.sin(tilt))));
  const spLength = dims.spinousLength + lamThick / 2;
  const spFrame: Frame = { origin: add(spStart, scaleVec(spDir, spLength / 2)), ex: frame.ex, ey: spDir, ez: cross(frame.ex, spDir) };
  const spHalf: Vec3 = [3.5 * scale, spLength / 2, dims.spinousHeight / 2];
  parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, new Superellipsoid(spFrame, spHalf, 4)));
  parts.push(part(structure, 'cancellous_bone', PRIORITY.cancellous, new Superellipsoid(spFrame, [spHalf[0] - CORTEX_MM, spHalf[1] - CORTEX_MM, spHalf[2] - CORTEX_MM], 4)));
  const spinousTip = add(spStart, scaleVec(spDir, spLength - 2));

  const info: VertebraInfo = {
    name: slot.name,
    countedAs: slot.countedAs,
    label: slot.label,
    region: slot.region,
    lumbarType: slot.lumbarType,
    ribBearing: slot.ribBearing,
    ...(slot.castellvi !== undefined ? { castellvi: slot.castellvi } : {}),
    centroid: frame.origin,
    axes: { left: frame.ex, posterior: frame.ey, superior: frame.ez },
    superiorEndplate: { centre: geom.superior.centre, normal: normalOf(geom.superior.phi) },
    inferiorEndplate: { centre: geom.inferior.centre, normal: normalOf(geom.inferior.phi) },
    body: {
      widthMm: dims.width,
      depthMm: D,
      anteriorHeightMm: geom.anteriorHeight,
      middleHeightMm: (geom.anteriorHeight + geom.posteriorHeight) / 2,
      posteriorHeightMm: geom.posteriorHeight,
    },
    pedicles,
    pedicleHeightMm: dims.pedicleHeight,
    spinousTip,
    transverseTips: tips,
    superiorArticularTips,
    canalCentre: at(0, D / 2 + dims.canalDepth / 2, 0),
  };
  return { parts, info, local: { pedicleU, pedicleW, transverseTipU, laminaW } };
}
