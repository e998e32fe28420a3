import { add, scale as scaleVec, type Vec3 } from '../../geometry/vec3.ts';
import type { LabelName, Side } from '../vocabulary.ts';
import type { VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import type { SacrumBuild } from './sacrum.ts';
import { Clipped, Superellipsoid, Tube, frameToWorld, planeThrough } from './shapes.ts';
import type { VertebraBuild } from './vertebra.ts';
import type { CastellviType, Landmark, ScenePart } from './types.ts';

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
export function buildTransitionalFeatures(options: TransitionalOptions): { parts: ScenePart[]; landmarks: Record<string, Landmark> } {
  const { vertebra, geom, sacrum, scale } = options;
  const slot = geom.slot;
  if (slot.castellvi === undefined) return { parts: [], landmarks: {} };
  const landmarks: Record<string, Landmark> = {};
  const structure = slot.name as LabelName;
  const sides = castellviSides(slot.castellvi, slot.castellviSide ?? 'left');
  const { frame, dims } = geom;
  const parts: ScenePart[] = [];
  for (const side of ['left', 'right'] as const) {
    const feature = sides[side];
    if (feature === 'none') continue;
    const s = side === 'left' ? 1 : -1;
    const local = vertebra.local;
    // Dysplastic processes are built behind the exiting root and its ganglion (which leave the foramen in front of them).
    const tpMid: Vec3 = frameToWorld(frame, s * (local.pedicleU + 0.75 * dims.transverseLength), dims.depth / 2 + dims.pedicleLength + 2 * scale, local.pedicleW);
        if (feature === 'I') {
      const block = new Superellipsoid({ ...frame, origin: tpMid }, [0.4 * dims.transverseLength + 3 * scale, 5 * scale, 11.5 * scale], 2.6);
      const core = new Superellipsoid({ ...frame, origin: tpMid }, [0.4 * dims.transverseLength + 2 * scale, 4 * scale, 10.5 * scale], 2.6);
      parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, block), part(structure, 'cancellous_bone', PRIORITY.cancellous, core));
      landmarks[`${slot.name}.lstv_${side}.process`] = { point: tpMid, structure };
      continue;
    }
    // The bar descends from the back of the process (behind the exiting root and its ganglion), along the
    // vertebra's own axis (which leans backwards going down, away from the foramen), to where it meets the ala.
    const barTop: Vec3 = frameToWorld(frame, s * (local.pedicleU + 0.8 * dims.transverseLength), dims.depth / 2 + dims.pedicleLength + 2 * scale, local.pedicleW);
    const ala = sacrum.alae[side];
    landmarks[`${slot.name}.lstv_${side}.process`] = { point: barTop, structure };
    const alaShape = new Superellipsoid({ ...sacrum.topFrame, origin: ala.centre }, ala.radii, 2.6);
    const up = sacrum.topFrame.ez;
    let alaTopUnderTp: Vec3 = add(ala.centre, scaleVec(up, ala.radii[2]));
    const down = scaleVec(frame.ez, -1);
    for (let t = 0; t < 120; t += 0.25) {
      const p: Vec3 = add(barTop, scaleVec(down, t));
      if (alaShape.contains(p[0], p[1], p[2])) {
        alaTopUnderTp = p;
        break;
      }
    }
    const cartilage = 1.5 * scale;
    const end = feature === 'II' ? add(alaTopUnderTp, scaleVec(up, cartilage)) : add(alaTopUnderTp, scaleVec(up, -5 * scale));
    const r = 6 * scale;
    // The bar ends flat at `end` (the joint, or 5 mm into the ala when fused).
    const cut = [planeThrough(end, scaleVec(up, -1))];
    parts.push(
      part(structure, 'cortical_bone', PRIORITY.cortical, new Clipped(new Tube([{ point: barTop, ra: r, rb: r }, { point: end, ra: r, rb: r }], frame.ez), cut)),
      part(structure, 'cancellous_bone', PRIORITY.cancellous, new Clipped(new Tube([{ point: barTop, ra: r - 1, rb: r - 1 }, { point: end, ra: r - 1, rb: r - 1 }], frame.ez), cut)),
    );
    if (feature === 'II') {
      // The pseudoarticulation: a thin disc of cartilage between the bar and the ala, painted over both.
      const jointCentre = add(alaTopUnderTp, scaleVec(up, cartilage / 2));
      const joint = new Superellipsoid({ ...sacrum.topFrame, origin: jointCentre }, [r, r, cartilage / 2 + 0.3]);
      parts.push(part(structure, 'cartilage', PRIORITY.cancellous + 1, joint));
      landmarks[`${slot.name}.lstv_${side}.joint`] = { point: jointCentre, structure };
    } else {
      landmarks[`${slot.name}.lstv_${side}.fusion`] = { point: add(alaTopUnderTp, scaleVec(up, -2 * scale)), structure };
    }
  }
  return { parts, landmarks };
}
