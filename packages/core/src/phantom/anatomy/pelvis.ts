import { add, cross, dot, normalize, scale as scaleVec, sub, type Vec3 } from '../../geometry/vec3.ts';
import type { LabelName } from '../vocabulary.ts';
import type { SacralSegment } from './column.ts';
import { PRIORITY, part } from './part.ts';
import type { SacrumBuild } from './sacrum.ts';
import { HalfDiscPlate, Superellipsoid, Tube, type Frame } from './shapes.ts';
import type { Landmark, ScenePart } from './types.ts';

export interface PelvisOptions {
  readonly sacrumTop: SacralSegment;
  readonly sacrum: SacrumBuild;
  /** World z of the iliac crest apex. */
  readonly crestApexZ: number;
  readonly scale: number;
}

export interface PelvisBuild {
  readonly parts: ScenePart[];
  readonly landmarks: Record<string, Landmark>;
  /** Lowest z of the pelvis (for the body outline). */
  readonly zMin: number;
}

/**
 * Pelvis: each ilium is a wing (a flat half-disc plate flaring outwards, from the posterior superior to the
 * anterior superior iliac spine) with a thickened crest along its top, a posterior block beside the
 * sacroiliac joint and an acetabular mass below; the pubic and ischial rami are the `pelvis` label.
 * The crest apex height is a scene option tied to the L5 pedicle (clinical reference §6).
 */
export function buildPelvis(options: PelvisOptions): PelvisBuild {
  const { sacrumTop, sacrum, crestApexZ, scale } = options;
  const parts: ScenePart[] = [];
  const landmarks: Record<string, Landmark> = {};
  const c = sacrumTop.frame.origin;
  let zMin = Infinity;
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const name: LabelName = side === 'left' ? 'ilium_left' : 'ilium_right';
    const ala = sacrum.alae[side];
    const psis: Vec3 = [s * 62 * scale, c[1] + 55 * scale, 0];
    const asis: Vec3 = [s * 118 * scale, c[1] - 75 * scale, 0];
    const e1 = normalize(sub(asis, psis));
    // The wing flares outwards (~15° from vertical).
    const flare = normalize([s * 0.27, 0, 1]);
    const e2 = normalize(sub(flare, scaleVec(e1, dot(flare, e1))));
    const n = cross(e1, e2);
    const ru = Math.hypot(asis[0] - psis[0], asis[1] - psis[1]) / 2;
    const rw = 72 * scale;
    const mid = scaleVec(add(psis, asis), 0.5);
    const origin: Vec3 = [mid[0] - e2[0] * rw, mid[1] - e2[1] * rw, crestApexZ - e2[2] * rw];
    const frame: Frame = { origin, ex: e1, ey: n, ez: e2 };
    parts.push(part(name, 'cortical_bone', PRIORITY.cortical, new HalfDiscPlate(frame, ru, rw, -25 * scale, 4.5 * scale)));
    parts.push(part(name, 'cancellous_bone', PRIORITY.cancellous, new HalfDiscPlate(frame, ru - 1, rw - 1, -25 * scale, 3.5 * scale)));
    // Crest: a thicker rim along the top of the wing.
    const crest: Vec3[] = [];
    for (let deg = -80; deg <= 80; deg += 16) {
      const t = (deg * Math.PI) / 180;
      crest.push(add(origin, add(scaleVec(e1, ru * Math.sin(t)), scaleVec(e2, (rw - 4 * scale) * Math.cos(t)))));
    }
    const rc = 6 * scale;
    parts.push(part(name, 'cortical_bone', PRIORITY.cortical, new Tube(crest.map((point) => ({ point, ra: rc, rb: rc })))));
    parts.push(part(name, 'cancellous_bone', PRIORITY.cancellous, new Tube(crest.map((point) => ({ point, ra: rc - 1, rb: rc - 1 })))));
    landmarks[`iliac_crest_${side}.top`] = { point: add(origin, scaleVec(e2, rw - 4 * scale)), structure: name };
    // Posterior ilium beside the sacroiliac joint (2 mm joint space to the ala), and the acetabular mass.
    const sij: Vec3 = [ala.centre[0] + s * (ala.radii[0] + 14 * scale), ala.centre[1] + 8 * scale, ala.centre[2] - 12 * scale];
    const sijFrame: Frame = { origin: sij, ex: [1, 0, 0], ey: [0, 1, 0], ez: [0, 0, 1] };
    parts.push(part(name, 'cortical_bone', PRIORITY.cortical, new Superellipsoid(sijFrame, [12 * scale, 26 * scale, 34 * scale], 2.4)));
    parts.push(part(name, 'cancellous_bone', PRIORITY.cancellous, new Superellipsoid(sijFrame, [11 * scale, 25 * scale, 33 * scale], 2.4)));
    const wingBottom = add(origin, scaleVec(e2, -25 * scale));
    const acetabulum: Vec3 = [s * 95 * scale, c[1] - 40 * scale, wingBottom[2] - 45 * scale];
    parts.push(part(name, 'cortical_bone', PRIORITY.cortical, new Tube([{ point: wingBottom, ra: 16 * scale, rb: 16 * scale }, { point: acetabulum, ra: 22 * scale, rb: 22 * scale }])));
    parts.push(part(name, 'cancellous_bone', PRIORITY.cancellous, new Tube([{ point: wingBottom, ra: 15 * scale, rb: 15 * scale }, { point: acetabulum, ra: 21 * scale, rb: 21 * scale }])));
    // Pubic ramus to the symphysis, ischial ramus down and back.
    const symphysis: Vec3 = [s * 10 * scale, c[1] - 120 * scale, acetabulum[2] - 25 * scale];
    const ischium: Vec3 = [s * 70 * scale, c[1] - 15 * scale, acetabulum[2] - 50 * scale];
    const r = 9 * scale;
    parts.push(part('pelvis', 'cortical_bone', PRIORITY.cortical, new Tube([{ point: acetabulum, ra: r, rb: r }, { point: symphysis, ra: r, rb: r }])));
    parts.push(part('pelvis', 'cortical_bone', PRIORITY.cortical, new Tube([{ point: acetabulum, ra: r + 1, rb: r + 1 }, { point: ischium, ra: r + 1, rb: r + 1 }])));
    parts.push(part('pelvis', 'cancellous_bone', PRIORITY.cancellous, new Tube([{ point: acetabulum, ra: r - 1, rb: r - 1 }, { point: symphysis, ra: r - 1, rb: r - 1 }])));
    parts.push(part('pelvis', 'cancellous_bone', PRIORITY.cancellous, new Tube([{ point: acetabulum, ra: r, rb: r }, { point: ischium, ra: r, rb: r }])));
    zMin = Math.min(zMin, ischium[2] - r - 2, symphysis[2] - r - 2);
  }
  return { parts, landmarks, zMin };
}
