import type { ColumnGeom, VertebraGeom } from './column.ts';
import { buildKidneys, buildBowel } from './organs.ts';
import { buildPelvis } from './pelvis.ts';
import type { Rng } from './prng.ts';
import { buildRibs } from './ribs.ts';
import type { SacrumBuild } from './sacrum.ts';
import type { SpineSequence } from './sequence.ts';
import type { Vec3 } from '../../geometry/vec3.ts';
import { Intersection, frameToWorld, type Aabb } from './shapes.ts';
import { TORSO, buildParaspinals, buildPsoas, buildTorso } from './torso.ts';
import { pedicleCentreW, type VertebraBuild } from './vertebra.ts';
import { buildVessels } from './vessels.ts';
import type { IliacCrestHeight, Landmark, ScenePart } from './types.ts';

export interface SoftTissueOptions {
  readonly column: ColumnGeom;
  readonly sequence: SpineSequence;
  /** Mobile vertebrae in the scene, cranial first. */
  readonly mobile: readonly VertebraGeom[];
  readonly hasSacrum: boolean;
  readonly hasCoccyx: boolean;
  readonly vertebraBuilds: ReadonlyMap<string, VertebraBuild>;
  readonly sacrum: SacrumBuild | undefined;
  readonly subcutaneousFatMm: number;
  readonly scale: number;
  readonly iliacCrestHeight: IliacCrestHeight;
  readonly rng: Rng;
}

export interface SoftTissueBuild {
  readonly parts: ScenePart[];
  readonly landmarks: Record<string, Landmark>;
  readonly bodyBox: Aabb;
  readonly iliacCrestOffsetMm: number;
}

/**
 * Crest apex z from the option, relative to the last lumbar-type vertebra's pedicle (clinical reference
 * §6: Choi's "above the middle of the L5 pedicle" [HIC-Def]; Song's groups by the top of the L5 pedicle and
 * the lower edge of the L4 pedicle [Song2021]). Heights compare world z (cranial), as on a lateral X-ray.
 */
export function crestApex(column: ColumnGeom, sequence: SpineSequence, height: IliacCrestHeight, scale: number): { z: number; offsetMm: number } {
  const lumbarTypes = sequence.vertebrae.filter((v) => v.lumbarType);
  const last = column.vertebrae.get(lumbarTypes[lumbarTypes.length - 1]!.name)!;
  const above = column.vertebrae.get(lumbarTypes[lumbarTypes.length - 2]!.name)!;
  // Heights are read at the pedicle itself (half-way along it), as on the lateral radiograph the rules use.
  const z = (geom: VertebraGeom, dw: number): number => frameToWorld(geom.frame, 0, geom.dims.depth / 2 + geom.dims.pedicleLength / 2, pedicleCentreW(geom, scale) + dw)[2];
  const middle = z(last, 0);
  const apexZ =
    typeof height === 'object'
      ? middle + height.offsetMm
      : height === 'low'
        ? z(last, -last.dims.pedicleHeight / 2 - 4 * scale)
        : height === 'mid-L5'
          ? middle
          : height === 'high'
            ? (z(last, last.dims.pedicleHeight / 2) + z(above, -above.dims.pedicleHeight / 2)) / 2
            : z(above, -above.dims.pedicleHeight / 2 + 4 * scale);
  return { z: apexZ, offsetMm: apexZ - middle };
}

function nonEmpty(box: Aabb): boolean {
  return box.min[0] <= box.max[0] && box.min[1] <= box.max[1] && box.min[2] <= box.max[2];
}

/** Body outline, muscles, vessels, kidneys, bowel, pelvis and ribs around the spine of the scene. */
export function buildSoftTissue(options: SoftTissueOptions): SoftTissueBuild {
  const { column, sequence, mobile, scale } = options;
  const parts: ScenePart[] = [];
  const landmarks: Record<string, Landmark> = {};
  const crest = crestApex(column, sequence, options.iliacCrestHeight, scale);
  const sacralSegments = options.hasSacrum ? column.sacrum : [];
  let zMin = Infinity;
  let pelvisParts: ScenePart[] = [];
  if (options.hasSacrum && options.sacrum !== undefined) {
    const pelvis = buildPelvis({ sacrumTop: column.sacrum[0]!, sacrum: options.sacrum, crestApexZ: crest.z, scale });
    pelvisParts = pelvis.parts;
    Object.assign(landmarks, pelvis.landmarks);
    zMin = Math.min(zMin, pelvis.zMin, column.sacrum[column.sacrum.length - 1]!.inferior.centre[2]);
  }
  if (options.hasCoccyx) zMin = Math.min(zMin, column.coccyx[column.coccyx.length - 1]!.inferior.centre[2]);
  const lowest = mobile[mobile.length - 1];
  if (!options.hasSacrum && lowest !== undefined) zMin = Math.min(zMin, lowest.inferior.centre[2] - 15 * scale);
  const highest = mobile[0];
  const zMax = (highest !== undefined ? highest.superior.centre[2] : options.hasSacrum ? column.sacrum[0]!.superior.centre[2] : column.coccyx[0]!.superior.centre[2]) + 40 * scale;
  const torso = buildTorso({
    mobile,
    vertebraBuilds: options.vertebraBuilds,
    sacrum: sacralSegments,
    coccyx: options.hasCoccyx ? column.coccyx : [],
    subcutaneousFatMm: options.subcutaneousFatMm,
    scale,
    zMin: zMin - 25 * scale,
    zMax,
  });
  parts.push(...torso.parts);
  const inside: ScenePart[] = [...pelvisParts];
  inside.push(...buildParaspinals({ mobile, sacrum: sacralSegments, scale }));
  inside.push(...buildPsoas({ mobile, sacrum: sacralSegments, scale }));

  const presacral = sequence.vertebrae.filter((v) => v.name !== 'sacrum' && v.name !== 'coccyx').map((v) => column.vertebrae.get(v.name)!);
  const lumbarTypes = presacral.filter((g) => g.slot.lumbarType);
  const vessels = buildVessels({
    column,
    presacral,
    bifurcationVertebra: lumbarTypes[lumbarTypes.length - 2]!.slot.name,
    confluenceVertebra: lumbarTypes[lumbarTypes.length - 1]!.slot.name,
    scale,
  });
  inside.push(...vessels.parts);
  Object.assign(landmarks, vessels.landmarks);
  const kidneyDisc = [...column.discs.values()].find((d) => d.slot.upper === lumbarTypes[0]!.slot.name)!;
  const kidneys = buildKidneys({ disc: kidneyDisc, scale });
  inside.push(...kidneys.parts);
  Object.assign(landmarks, kidneys.landmarks);

  // Bowel: colon in the flanks and across the front, small bowel in front of the great vessels.
  const l3 = lumbarTypes[Math.min(2, lumbarTypes.length - 1)]!;
  const fat = options.subcutaneousFatMm;
  const tipY = frameToWorld(l3.frame, 0, l3.dims.depth / 2 + l3.dims.canalDepth + 40 * scale, 0)[1];
  const anteriorSkin = tipY + 8 * scale + fat - (TORSO.lumbarDepth * scale + 2 * fat);
  const wallInnerY = anteriorSkin + fat + 2 + 12 * scale;
  const wallInnerX = TORSO.lumbarHalfWidth * scale - 2 - 12 * scale;
  const lumbosacral = [...column.discs.values()].find((d) => d.slot.lower === 'sacrum')!;
  const bowelTop = lumbarTypes[0]!.frame.origin[2];
  const bowelBottom = lumbosacral.frame.origin[2] - 10 * scale;
  const smallX = wallInnerX - 2 * 20 * scale - 10 * scale;
  const bowelOptions = {
    zMin: bowelBottom,
    zMax: bowelTop,
    colonX: wallInnerX - 24 * scale,
    colonY: l3.frame.origin[1] - 5 * scale,
    transverseY: wallInnerY + 22 * scale,
    smallBowel: {
      min: [-smallX, wallInnerY + 4 * scale, bowelBottom] as Vec3,
      max: [smallX, l3.frame.origin[1] - l3.dims.depth / 2 - 24 * scale, bowelTop - 45 * scale] as Vec3,
    },
  };
  const bowel = buildBowel({ ...bowelOptions, scale, rng: options.rng.fork('bowel') });
  inside.push(...bowel.parts);
  Object.assign(landmarks, bowel.landmarks);

  for (const geom of mobile) {
    if (!geom.slot.ribBearing) continue;
    const ribs = buildRibs({ geom, build: options.vertebraBuilds.get(geom.slot.name)!, thoracicCount: sequence.thoracicCount, scale });
    inside.push(...ribs.parts);
    Object.assign(landmarks, ribs.landmarks);
  }
  // Everything soft or pelvic stays inside the skin; structures wholly outside the scene's body are dropped.
  for (const p of inside) {
    const clipped = new Intersection([p.shape, torso.inner]);
    if (nonEmpty(clipped.box)) parts.push({ ...p, shape: clipped });
  }
  const kept = new Set(parts.map((p) => p.structure));
  for (const [name, landmark] of Object.entries(landmarks)) {
    if (!kept.has(landmark.structure) || !torso.inner.contains(...(landmark.point as [number, number, number]))) delete landmarks[name];
  }
  return { parts, landmarks, bodyBox: torso.outer.box, iliacCrestOffsetMm: crest.offsetMm };
}
