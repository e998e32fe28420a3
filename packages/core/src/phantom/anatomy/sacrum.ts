import type { Vec3 } from '../../geometry/vec3.ts';
import type { LabelName, Side } from '../vocabulary.ts';
import type { SacralSegment } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { OrientedBox, Superellipsoid, Tube, frameToWorld, type Frame } from './shapes.ts';
import { bodyShape } from './vertebra.ts';
import type { ScenePart } from './types.ts';

const CORTEX_MM = 1;

/** Canal size in a sacral segment (triangular in life; an oval here), shrinking caudally. */
export function sacralCanal(segmentIndex: number, scale: number): { halfWidth: number; depth: number } {
  return { halfWidth: Math.max(6, 14 - 2 * segmentIndex) * scale, depth: Math.max(5, 12 - 2 * segmentIndex) * scale };
}

export interface SacrumBuild {
  readonly parts: ScenePart[];
  /** Centre of each ala (its lateral mass at the top segment), for the pelvis and LSTV builders. */
  readonly alae: Readonly<Record<Side, { centre: Vec3; radii: Vec3 }>>;
  /** Frame of the top sacral segment (its ez is the sacral base normal). */
  readonly topFrame: Frame;
}

/**
 * The sacrum as fused segments (bodies, lateral masses, a posterior wall behind the sacral canal) with the
 * alae at its top segment and the superior articular processes that meet the last lumbar facets
 * (`facetTips`: where each process ends, in world coordinates).
 */
export function buildSacrum(segments: readonly SacralSegment[], scale: number, facetTips: Readonly<Record<Side, Vec3>>): SacrumBuild {
  const structure: LabelName = 'sacrum';
  const parts: ScenePart[] = [];
  let alae: SacrumBuild['alae'] | undefined;
  segments.forEach((segment, index) => {
    const { frame, width: W, depth: D, height: H } = segment;
    const at = (u: number, v: number, w: number): Vec3 => frameToWorld(frame, u, v, w);
    parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, bodyShape(segment, W, D, 0)));
    parts.push(part(structure, 'cancellous_bone', PRIORITY.cancellous, bodyShape(segment, W, D, CORTEX_MM)));
    const canal = sacralCanal(index, scale);
    const wallV = D / 2 + canal.depth;
    const wallThick = 8 * scale;
    // Posterior wall (fused laminae) behind the canal.
    const wallFrame = { ...frame, origin: at(0, wallV + wallThick / 2, 0) };
    parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, new OrientedBox(wallFrame, [canal.halfWidth + 10 * scale, wallThick / 2, H / 2 + 2.5 * scale])));
    parts.push(part(structure, 'cancellous_bone', PRIORITY.cancellous, new OrientedBox(wallFrame, [canal.halfWidth + 9 * scale, wallThick / 2 - CORTEX_MM, H / 2 + 2.5 * scale - CORTEX_MM])));
    for (const side of ['left', 'right'] as const) {
      const s = side === 'left' ? 1 : -1;
      // Lateral mass joining body and posterior wall beside the canal; at the top segment it is the ala.
      const top = index === 0;
      const lateral = (top ? 26 : Math.max(6, 16 - 4 * index)) * scale;
      const centre = at(s * (canal.halfWidth + lateral), top ? 0.1 * D + 4 * scale : D / 4, top ? -3 * scale : 0);
      const radii: Vec3 = top ? [lateral, 24 * scale, 19 * scale] : [lateral, (D / 2 + canal.depth) * 0.75, H / 2 + 0.5];
      const massFrame = { ...frame, origin: centre };
      parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, new Superellipsoid(massFrame, radii, 2.6)));
      parts.push(part(structure, 'cancellous_bone', PRIORITY.cancellous, new Superellipsoid(massFrame, [radii[0] - CORTEX_MM, radii[1] - CORTEX_MM, radii[2] - CORTEX_MM], 2.6)));
      if (top) {
        alae = { ...(alae ?? { left: { centre, radii }, right: { centre, radii } }), [side]: { centre, radii } };
        // Superior articular process of the sacrum (facet with the last lumbar inferior process).
        const base = at(s * (canal.halfWidth + 6 * scale), wallV - 2 * scale, H / 2 - 6 * scale);
        // Its tip is placed in the last lumbar vertebra's frame (behind its foramen, beside its inferior
        // process): the sacral base is tilted by the sacral slope, so "up" in the sacrum's frame is forward.
        const tip = facetTips[side];
        const r = 4.2 * scale;
        parts.push(part(structure, 'cortical_bone', PRIORITY.cortical, new Tube([{ point: base, ra: r, rb: r }, { point: tip, ra: r, rb: r }], frame.ez)));
        parts.push(part(structure, 'cancellous_bone', PRIORITY.cancellous, new Tube([{ point: base, ra: r - CORTEX_MM, rb: r - CORTEX_MM }, { point: tip, ra: r - CORTEX_MM, rb: r - CORTEX_MM }], frame.ez)));
      }
    }
  });
  if (alae === undefined) throw new RangeError('the sacrum needs at least one segment');
  return { parts, alae, topFrame: segments[0]!.frame };
}

/** The coccyx: small fused bodies continuing the sacral curve. */
export function buildCoccyx(segments: readonly SacralSegment[]): ScenePart[] {
  return segments.flatMap((segment) => [
    part('coccyx', 'cortical_bone', PRIORITY.cortical, bodyShape(segment, segment.width, segment.depth, 0)),
    part('coccyx', 'cancellous_bone', PRIORITY.cancellous, bodyShape(segment, segment.width, segment.depth, CORTEX_MM)),
  ]);
}
