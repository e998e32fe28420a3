import { add, scale as scaleVec, type Vec3 } from '../../geometry/vec3.ts';
import type { LabelName, Side } from '../vocabulary.ts';
import type { VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import type { SacrumBuild } from './sacrum.ts';
import { Clipped, Superellipsoid, Tube, frameToWorld, planeThrough } from './shapes.ts';
import type { VertebraBuild } from './vertebra.ts';
import type { CastellviType, ScenePart } from './types.ts';

export interface TransitionalOptions {
  readonly vertebra: VertebraBuild;
  readonly geom: VertebraGeom;
  readonly sacrum: SacrumBuild;
  readonly scale: number;
}

type SideFeature = 'none' | 'I' | 'II' | 'III';

/** What each side shows for a Castellvi type [pacs, Ars, BMC-LSTV]: a-types on the chosen side only, b-types both, IV = II on the chosen side and III on the other. */
export function castellviSides(type: CastellviType, side: Side): Record<Side, SideFeature> {
  const other: Side = side === 'left' ? 'right' : 'left';
  const grade = type.replace(/[ab]$/, '') as 'I' | 'II' | 'III' | 'IV';
  if (type === 'IV') return { [side]: 'II', [other]: 'III' } as Record<Side, SideFeature>;
  if (type.endsWith('b')) return { left: grade as SideFeature, right: grade as SideFeature };
  return { [side]: grade as SideFeature, [other]: 'none' } as Record<Side, SideFeature>;
}

/**
 * Castellvi features of a lumbosacral transitional vertebra: type I a dysplastic transverse process at
 * least 19 mm tall craniocaudally (built 23 mm); type II the process reaches down to the sacral ala with a
 * pseudoarticulation (a 1.5 mm cartilage gap, tissue `cartilage`, label of the transitional vertebra);
 * type III bony fusion into the ala (continuous bone, still labelled as the transitional vertebra — its
 * identity — where it is its own bone, and `sacrum` where the ala is).
 */
export function buildTransitionalFeatures(options: TransitionalOptions): ScenePart[] {
  const { vertebra, geom, sacrum, scale } = options;
  const slot = geom.slot;
  if (slot.castellvi === undefined) return [];
  const structure = slot.name as LabelName;
  const sides = castellviSides(slot.castellvi, slot.castellviSide ?? 'left');
  const { frame, dims } = geom;
  const parts: ScenePart[] = [];
  for (const side of ['left', 'right'] as const) {
    const feature = sides[side];
    if (feature === 'none') continue;
    const s = side === 'left' ? 1 : -1;
    const local = vertebra.local;
    const tpMid: Vec3 = frameToWorld(frame, s * (local.pedicleU + 0.65 * dims.transverseLength), dims.depth / 2 + dims.pedicleLength - 4 * scale, local.pedicleW);
    if (feature === 'I') {
      const block = new Superellipsoid({ ...frame, origin: tpMid }, [0.45 * dims.transverseLength + 3 * scale, 7 * scale, 11.5 * scale], 2.6);
      const core = new Superellipsoid({ ...frame, origin: tpMid }, [0.45 * dims.transverseLength + 2 * scale, 6 * scale, 10.5 * scale], 2.6);
      parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, block), part(structure, 'cancellous_bone', PRIORITY.cancellous, core));
      continue;
    }
    const ala = sacrum.alae[side];
    const up = sacrum.topFrame.ez;
    const alaTop = add(ala.centre, scaleVec(up, ala.radii[2] * 0.97));
    const alaTopUnderTp: Vec3 = [tpMid[0], alaTop[1], alaTop[2]];
    const cartilage = 1.5 * scale;
    const end = feature === 'II' ? add(alaTopUnderTp, scaleVec(up, cartilage)) : add(alaTopUnderTp, scaleVec(up, -5 * scale));
    const r = 8 * scale;
    // The bar ends flat at `end` (the joint, or 5 mm into the ala when fused).
    const cut = [planeThrough(end, scaleVec(up, -1))];
    parts.push(
      part(structure, 'cortical_bone', PRIORITY.cortical, new Clipped(new Tube([{ point: tpMid, ra: r, rb: r }, { point: end, ra: r, rb: r }], frame.ez), cut)),
      part(structure, 'cancellous_bone', PRIORITY.cancellous, new Clipped(new Tube([{ point: tpMid, ra: r - 1, rb: r - 1 }, { point: end, ra: r - 1, rb: r - 1 }], frame.ez), cut)),
    );
    if (feature === 'II') {
      // The pseudoarticulation: a thin disc of cartilage between the bar and the ala, painted over both.
      const joint = new Superellipsoid({ ...sacrum.topFrame, origin: add(alaTopUnderTp, scaleVec(up, cartilage / 2)) }, [r, r, cartilage / 2 + 0.3]);
      parts.push(part(structure, 'cartilage', PRIORITY.cancellous + 1, joint));
    }
  }
  return parts;
}
