import { add, scale as scaleVec, sub, type Vec3 } from '../../geometry/vec3.ts';
import type { LabelName } from '../vocabulary.ts';
import type { ColumnGeom, VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { Tube, frameToWorld } from './shapes.ts';
import type { Landmark, ScenePart } from './types.ts';

export interface VesselOptions {
  readonly column: ColumnGeom;
  /** Whole-spine presacral vertebrae, cranial first (vessels are built along all of them, then clipped to the body). */
  readonly presacral: readonly VertebraGeom[];
  /** Vertebra at whose lower third the aorta bifurcates (normally L4 [Lian2018 lists it as an unreliable level marker]). */
  readonly bifurcationVertebra: string;
  /** Vertebra whose upper half holds the iliac vein confluence (normally L5). */
  readonly confluenceVertebra: string;
  readonly scale: number;
}

export interface VesselBuild {
  readonly parts: ScenePart[];
  readonly landmarks: Record<string, Landmark>;
}

/**
 * Aorta (left of the midline, in front of the bodies) bifurcating at ~L4 into the common iliac arteries;
 * IVC (right, a little deeper) formed at ~L5 by the iliac veins, which run behind and medial to the arteries.
 */
export function buildVessels(options: VesselOptions): VesselBuild {
  const { column, presacral, scale } = options;
  const parts: ScenePart[] = [];
  const landmarks: Record<string, Landmark> = {};
  const sacralTop = column.sacrum[0]!;
  const lumbosacral = [...column.discs.values()].find((d) => d.slot.lower === 'sacrum')!;
  const bifIndex = presacral.findIndex((g) => g.slot.name === options.bifurcationVertebra);
  const confIndex = presacral.findIndex((g) => g.slot.name === options.confluenceVertebra);

  // Aorta.
  const aortaNodes = presacral.slice(0, bifIndex + 1).map((g) => {
    const thoracic = g.slot.region !== 'cervical' && !g.slot.lumbarType;
    const r = (thoracic ? 11.5 : 10) * scale;
    return { point: frameToWorld(g.frame, 10 * scale, -g.dims.depth / 2 - 3 * scale - r, 0), ra: r, rb: r };
  });
  const bifGeom = presacral[bifIndex]!;
  const rBif = 8.5 * scale;
  const bifurcation = frameToWorld(bifGeom.frame, 5 * scale, -bifGeom.dims.depth / 2 - 3 * scale - rBif, -0.3 * bifGeom.normalHeight);
  aortaNodes.push({ point: bifurcation, ra: rBif, rb: rBif });
  const cervicalCut = aortaNodes.filter((_, i) => presacral[i] === undefined || presacral[i]!.slot.region !== 'cervical');
  if (cervicalCut.length >= 2) parts.push(part('aorta', 'blood_arterial', PRIORITY.artery, new Tube(cervicalCut)));
  // Just above the bifurcation (at it, the iliac origins overlap the aorta).
  const aboveBif = aortaNodes[aortaNodes.length - 2]?.point ?? add(bifurcation, [0, 0, 20]);
  landmarks['aorta.bifurcation'] = { point: add(bifurcation, scaleVec(sub(aboveBif, bifurcation), 8 * scale / Math.hypot(...sub(aboveBif, bifurcation)))), structure: 'aorta' };
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const r = 5.5 * scale;
    const points: Vec3[] = [
      bifurcation,
      frameToWorld(lumbosacral.frame, s * 28 * scale, -lumbosacral.depth / 2 - 14 * scale, 0),
      frameToWorld(sacralTop.frame, s * 55 * scale, -sacralTop.depth / 2 - 28 * scale, -40 * scale),
      frameToWorld(sacralTop.frame, s * 75 * scale, -sacralTop.depth / 2 - 50 * scale, -90 * scale),
    ];
    const name = `iliac_artery_${side}` as LabelName;
    parts.push(part(name, 'blood_arterial', PRIORITY.artery, new Tube(points.map((point) => ({ point, ra: r, rb: r })))));
    landmarks[`${name}.origin`] = { point: add(points[0]!, scaleVec(add(points[1]!, scaleVec(points[0]!, -1)), 0.4)), structure: name };
  }

  // IVC and iliac veins (the veins lie deeper than the arteries; the confluence sits below the bifurcation).
  const ivcNodes = presacral.slice(0, confIndex + 1).filter((g) => g.slot.region !== 'cervical').map((g) => ({
    point: frameToWorld(g.frame, -16 * scale, -g.dims.depth / 2 - 2 * scale - 9 * scale, 0),
    ra: 12 * scale,
    rb: 9 * scale,
  }));
  const confGeom = presacral[confIndex]!;
  const confluence = frameToWorld(confGeom.frame, -8 * scale, -confGeom.dims.depth / 2 - 2 * scale - 8 * scale, 0.2 * confGeom.normalHeight);
  ivcNodes.push({ point: confluence, ra: 11 * scale, rb: 8 * scale });
  if (ivcNodes.length >= 2) parts.push(part('ivc', 'blood_venous', PRIORITY.vein, new Tube(ivcNodes)));
  // The right common iliac artery crosses in front of the confluence, so the IVC landmark is one level up.
  const ivcAbove = ivcNodes[ivcNodes.length - 3];
  if (ivcAbove !== undefined) landmarks['ivc.above_confluence'] = { point: ivcAbove.point, structure: 'ivc' };
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const r = 7 * scale;
    const points: Vec3[] = [
      confluence,
      frameToWorld(lumbosacral.frame, s * 24 * scale, -lumbosacral.depth / 2 - 5 * scale, -2 * scale),
      frameToWorld(sacralTop.frame, s * 50 * scale, -sacralTop.depth / 2 - 15 * scale, -42 * scale),
      frameToWorld(sacralTop.frame, s * 70 * scale, -sacralTop.depth / 2 - 36 * scale, -92 * scale),
    ];
    const name = `iliac_vein_${side}` as LabelName;
    parts.push(part(name, 'blood_venous', PRIORITY.vein, new Tube(points.map((point) => ({ point, ra: r, rb: r })))));
  }
  return { parts, landmarks };
}
