import { add, dot, scale as scaleVec, sub, type Vec3 } from '../../geometry/vec3.ts';
import type { Rng } from './prng.ts';
import { discMiddleHeight, vertebraDims, type VertebraDims } from './morphometry.ts';
import type { DiscSlot, SpineSequence, VertebraSlot } from './sequence.ts';
import type { Frame } from './shapes.ts';
import type { PathologyOption } from './types.ts';

/**
 * The spinal column's geometry: every vertebral body and disc placed in the sagittal (y–z) plane.
 *
 * Conventions (LPS, mm): x to the patient's left, y posterior, z superior. An endplate's orientation is
 * its sagittal tilt φ: its superior normal is n(φ) = (0, −sin φ, cos φ) and its posterior direction
 * p(φ) = (0, cos φ, sin φ). The centre of the sacrum's top endplate (S1, or S2 under a lumbarized S1) is
 * the origin, tilted by the sacral slope (facing anterior-superior). The column is stacked upwards:
 * each disc's lordotic wedge α turns the next endplate back (φ − α); each body's kyphotic wedge β
 * (anterior shorter) turns it forward (φ + β). The sacrum and coccyx are stacked downwards, turning
 * forwards segment by segment (the sacral curve, concave anteriorly).
 */
export interface EndplateGeom {
  readonly centre: Vec3;
  readonly phi: number;
}

export const normalOf = (phi: number): Vec3 => [0, -Math.sin(phi), Math.cos(phi)];
export const posteriorOf = (phi: number): Vec3 => [0, Math.cos(phi), Math.sin(phi)];
export const LEFT: Vec3 = [1, 0, 0];

export function sagittalFrame(origin: Vec3, phi: number): Frame {
  return { origin, ex: LEFT, ey: posteriorOf(phi), ez: normalOf(phi) };
}

export interface VertebraGeom {
  readonly slot: VertebraSlot;
  readonly dims: VertebraDims;
  readonly inferior: EndplateGeom;
  readonly superior: EndplateGeom;
  /** Frame at the body centre, tilted half-way between the endplates. */
  readonly frame: Frame;
  readonly anteriorHeight: number;
  readonly posteriorHeight: number;
  /** Height the body would have without a fracture. */
  readonly normalHeight: number;
}

export interface DiscGeom {
  readonly slot: DiscSlot;
  readonly lower: EndplateGeom;
  readonly upper: EndplateGeom;
  readonly frame: Frame;
  readonly middleHeight: number;
  readonly width: number;
  readonly depth: number;
  readonly wedgeDeg: number;
}

export interface SacralSegment {
  readonly name: string;
  readonly superior: EndplateGeom;
  readonly inferior: EndplateGeom;
  readonly frame: Frame;
  readonly width: number;
  readonly depth: number;
  readonly height: number;
}

export interface SlipRecord {
  readonly disc: string;
  readonly slipPercent: number;
  readonly translationMm: number;
}

export interface ColumnGeom {
  readonly vertebrae: ReadonlyMap<string, VertebraGeom>;
  readonly discs: ReadonlyMap<string, DiscGeom>;
  readonly sacrum: readonly SacralSegment[];
  readonly coccyx: readonly SacralSegment[];
  readonly lordosisDeg: number;
  readonly sacralSlopeDeg: number;
  readonly slips: readonly SlipRecord[];
}

const DEG = Math.PI / 180;

/** Share of the lumbar lordosis per disc, from the lumbosacral disc up: about two thirds at L4–S1 (34.2° of 49.8° standing [PMC6680033]). */
const LORDOSIS_SHARE_FROM_BOTTOM = [0.35, 0.27, 0.18, 0.12, 0.08, 0.05];

const SACRAL_SEGMENTS: ReadonlyArray<{ name: string; width: number; depth: number; height: number }> = [
  { name: 'S1', width: 46, depth: 32, height: 28 },
  { name: 'S2', width: 40, depth: 26, height: 24 },
  { name: 'S3', width: 32, depth: 21, height: 20 },
  { name: 'S4', width: 25, depth: 17, height: 16 },
  { name: 'S5', width: 20, depth: 13, height: 13 },
];
const COCCYX_SEGMENTS: ReadonlyArray<{ name: string; width: number; depth: number; height: number }> = [
  { name: 'Co1', width: 16, depth: 11, height: 10 },
  { name: 'Co2', width: 12, depth: 9, height: 8 },
  { name: 'Co3', width: 9, depth: 7, height: 6 },
];

export interface ColumnOptions {
  readonly sequence: SpineSequence;
  readonly scale: number;
  readonly lordosisDeg: number;
  readonly pathology: readonly PathologyOption[];
  readonly rng: Rng;
}

/** Rudimentary disc height below a transitional vertebra: fused (III/IV) or pseudo-articulating (II) segments keep a thin disc. */
function transitionalDiscFactor(slot: VertebraSlot): number {
  if (slot.castellvi === undefined) return 1;
  if (slot.castellvi.startsWith('III') || slot.castellvi === 'IV') return 0.4;
  if (slot.castellvi.startsWith('II')) return 0.6;
  return 0.8;
}

function stackSegments(
  top: EndplateGeom,
  specs: ReadonlyArray<{ name: string; width: number; depth: number; height: number }>,
  scale: number,
  turnDeg: number,
): SacralSegment[] {
  const segments: SacralSegment[] = [];
  let superior = top;
  for (const spec of specs) {
    const height = spec.height * scale;
    const phiMid = superior.phi + (turnDeg * DEG) / 2;
    const inferiorCentre = sub(superior.centre, scaleVec(normalOf(phiMid), height));
    const inferior = { centre: inferiorCentre, phi: superior.phi + turnDeg * DEG };
    const centre = scaleVec(add(superior.centre, inferiorCentre), 0.5);
    segments.push({ name: spec.name, superior, inferior, frame: sagittalFrame(centre, phiMid), width: spec.width * scale, depth: spec.depth * scale, height });
    superior = inferior;
  }
  return segments;
}

/** Places every vertebra and disc of the variant's whole spine. */
export function buildColumn(options: ColumnOptions): ColumnGeom {
  const { sequence, scale, lordosisDeg, pathology, rng } = options;
  const r = rng.fork('column');
  // The sacral slope carries most of the lordosis (SS ≈ LL − 10° or so), leaving L1's top endplate tilted a
  // little backwards, as in the normal lumbar curve whose apex is at L3–L4.
  const sacralSlopeDeg = Math.min(50, Math.max(15, 0.72 * lordosisDeg + 3 + r.normal(0, 3, -6, 6)));
  const top: EndplateGeom = { centre: [0, 0, 0], phi: sacralSlopeDeg * DEG };
  const lumbarized = sequence.vertebrae.some((v) => v.name === 'S1');
  // The sacrum is concave forwards: going down, its axis turns from down-and-back towards down-and-forward.
  const sacrum = stackSegments(top, lumbarized ? SACRAL_SEGMENTS.slice(1) : SACRAL_SEGMENTS, scale, -11);
  const coccyx = stackSegments(sacrum[sacrum.length - 1]!.inferior, COCCYX_SEGMENTS, scale, -12);

  const presacral = sequence.vertebrae.filter((v) => v.name !== 'sacrum' && v.name !== 'coccyx');
  const lumbarDiscs = sequence.discs.filter((d) => presacral.find((v) => v.name === d.upper)?.lumbarType === true);
  const shares = LORDOSIS_SHARE_FROM_BOTTOM.slice(0, lumbarDiscs.length);
  const shareSum = shares.reduce((a, b) => a + b, 0);

  const vertebrae = new Map<string, VertebraGeom>();
  const discs = new Map<string, DiscGeom>();
  const slips: SlipRecord[] = [];
  let below: EndplateGeom = top;
  let belowDims = { width: sacrum[0]!.width, depth: sacrum[0]!.depth };
  for (let i = presacral.length - 1; i >= 0; i--) {
    const slot = presacral[i]!;
    const dims = vertebraDims(slot, sequence, scale, rng);
    // Disc below this vertebra (C1–C2 has none: C1 simply sits 3 mm above C2).
    const discSlot = sequence.discs.find((d) => d.upper === slot.name);
    const lumbarIndex = discSlot === undefined ? -1 : lumbarDiscs.findIndex((d) => d.name === discSlot.name);
    const fromBottom = lumbarIndex < 0 ? -1 : lumbarDiscs.length - 1 - lumbarIndex;
    const wedgeDeg =
      fromBottom >= 0 ? (lordosisDeg * shares[fromBottom]!) / shareSum : slot.region === 'thoracic' ? -0.5 : slot.region === 'cervical' ? 5 : 0;
    const isTopOfSacrum = i === presacral.length - 1;
    const middleHeight = discSlot === undefined ? 3 * scale : discMiddleHeight(discSlot, sequence, scale, rng) * (isTopOfSacrum ? transitionalDiscFactor(slot) : 1);
    const phiMid = below.phi - (wedgeDeg * DEG) / 2;
    let upperCentre = add(below.centre, scaleVec(normalOf(phiMid), middleHeight));
    const upperPhi = below.phi - wedgeDeg * DEG;
    const slip = discSlot === undefined ? undefined : pathology.find((p) => p.kind === 'spondylolisthesis' && p.level === discSlot.name);
    if (slip !== undefined && slip.kind === 'spondylolisthesis' && discSlot !== undefined) {
      // Meyerding: anterior translation of the upper posterior-inferior corner over the lower posterior-superior
      // corner ÷ AP length of the lower superior endplate [Medscape, Koslosky2020]. Shift the upper endplate so
      // the measured slip is exactly the requested one.
      const lowerPost = add(below.centre, scaleVec(posteriorOf(below.phi), belowDims.depth / 2));
      const upperPost = add(upperCentre, scaleVec(posteriorOf(upperPhi), dims.depth / 2));
      const anterior = scaleVec(posteriorOf(below.phi), -1);
      const current = dot(sub(upperPost, lowerPost), anterior);
      const wanted = (slip.slipPercent / 100) * belowDims.depth;
      upperCentre = add(upperCentre, scaleVec(anterior, wanted - current));
      slips.push({ disc: discSlot.name, slipPercent: slip.slipPercent, translationMm: wanted });
    }
    const upper: EndplateGeom = { centre: upperCentre, phi: upperPhi };
    if (discSlot !== undefined) discs.set(discSlot.name, {
      slot: discSlot,
      lower: below,
      upper,
      frame: sagittalFrame(scaleVec(add(below.centre, upperCentre), 0.5), (below.phi + upperPhi) / 2),
      middleHeight,
      width: (belowDims.width + dims.width) / 2,
      depth: (belowDims.depth + dims.depth) / 2,
      wedgeDeg,
    });
    // The vertebral body.
    const fracture = pathology.find((p) => p.kind === 'compression-fracture' && p.level === slot.name);
    let anteriorHeight = dims.anteriorHeight;
    let posteriorHeight = dims.posteriorHeight;
    if (fracture !== undefined && fracture.kind === 'compression-fracture') {
      const keep = 1 - fracture.heightLossPercent / 100;
      anteriorHeight = dims.posteriorHeight * keep;
      if ((fracture.shape ?? 'wedge') === 'crush') posteriorHeight = dims.posteriorHeight * keep;
    }
    const beta = Math.atan((posteriorHeight - anteriorHeight) / dims.depth);
    const bodyPhiMid = upper.phi + beta / 2;
    const middle = (anteriorHeight + posteriorHeight) / 2;
    const superiorCentre = add(upper.centre, scaleVec(normalOf(bodyPhiMid), middle));
    const superior: EndplateGeom = { centre: superiorCentre, phi: upper.phi + beta };
    vertebrae.set(slot.name, {
      slot,
      dims,
      inferior: upper,
      superior,
      frame: sagittalFrame(scaleVec(add(upper.centre, superiorCentre), 0.5), bodyPhiMid),
      anteriorHeight,
      posteriorHeight,
      normalHeight: dims.posteriorHeight,
    });
    below = superior;
    belowDims = { width: dims.width, depth: dims.depth };
  }
  return { vertebrae, discs, sacrum, coccyx, lordosisDeg, sacralSlopeDeg, slips };
}
