/**
 * The interlaminar window at a level and side (clinical reference §6): the widest working channel that passes from
 * the back, parallel to the disc's AP axis, between the laminae to the dorsal side of the dural sac. Its threshold
 * is unconfirmed (the window must admit the working channel; Choi used a 6 mm working-channel endoscope
 * [Choi 2006]; interspinous length 9 mm at L5–S1 vs 13 mm at L4–5 [Interspinous]). Measured on the bone distance
 * fields of the trajectory search: for rays on a 1 mm grid beside the midline (lateral 0–16 mm, ±20 mm around
 * the disc centre), the smallest bone clearance between the skin and the sac is the channel's radius.
 * Shoulder or axillary approach to the traversing root: a fragment lateral to the root is reached at its shoulder,
 * one medial to it in its axilla.
 */
import { add, dot, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import { mat4MulPoint } from '../geometry/matrix.ts';
import type { Side } from '../phantom/vocabulary.ts';
import { sampleField, type KeepOutFields } from './fields.ts';
import type { DiscFrameLps, DiscLevel, PlanAnatomy } from './plan-anatomy.ts';

export interface InterlaminarWindow {
  /** Diameter (mm) of the widest channel through the interlaminar gap. */
  readonly diameterMm: number;
  /** The channel's axis: where it leaves the skin and where it reaches the dural sac (LPS mm). */
  readonly entry: Vec3;
  readonly target: Vec3;
  /** Offsets of the axis from the disc centre: toward the planned side and cranial, mm. */
  readonly lateralMm: number;
  readonly cranialMm: number;
  /** Approach to the traversing root, when a fragment is present. */
  readonly rootApproach?: 'shoulder' | 'axillary';
}

const SAC = new Set(['dural_sac', 'cauda_equina', 'spinal_cord', 'conus']);

export function measureInterlaminarWindow(options: {
  readonly anatomy: PlanAnatomy;
  readonly level: DiscLevel;
  readonly side: Side;
  readonly frame: DiscFrameLps;
  readonly fields: KeepOutFields;
  readonly fragmentCentre?: Vec3;
}): InterlaminarWindow | undefined {
  const { anatomy, frame, fields } = options;
  const volume = anatomy.labels;
  const sideVec = options.side === 'left' ? frame.left : scale(frame.left, -1);
  const bone = (['vertebral_bone', 'facet', 'iliac_bone'] as const).map((g) => fields.fields.get(g)!);
  const sacValues = new Set([...anatomy.nameOfValue].filter(([, n]) => SAC.has(n)).map(([v]) => v));
  const [ni, nj, nk] = volume.size;
  const labelAt = (p: Vec3): number | undefined => {
    const q = mat4MulPoint(volume.worldToIndex, p);
    const i = Math.round(q[0]), j = Math.round(q[1]), k = Math.round(q[2]);
    return i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk ? undefined : volume.data[i + ni * (j + nj * k)]!;
  };
  let best: InterlaminarWindow | undefined;
  for (let u = 0; u <= 16; u += 1) for (let v = -20; v <= 20; v += 1) {
    const base = add(add(frame.centre, scale(sideVec, u)), scale(frame.superior, v));
    // Walk posterior from the disc centre's coronal plane: find the sac's dorsal edge, then the skin.
    let sacEnd = -1, skin = -1;
    for (let t = 0; t <= 200; t += 0.5) {
      const label = labelAt(add(base, scale(frame.posterior, t)));
      if (label === undefined) break;
      if (sacValues.has(label)) sacEnd = t;
      else if (label === 0 && sacEnd >= 0) {
        skin = t;
        break;
      }
    }
    if (sacEnd < 0 || skin < 0) continue;
    let radius = Infinity;
    for (let t = sacEnd; t <= skin && radius > 0; t += 0.5) {
      const q = mat4MulPoint(volume.worldToIndex, add(base, scale(frame.posterior, t)));
      for (const f of bone) radius = Math.min(radius, sampleField(f, q[0], q[1], q[2]));
    }
    if (!Number.isFinite(radius)) continue;
    if (best === undefined || 2 * radius > best.diameterMm) {
      best = { diameterMm: Math.round(2 * radius * 10) / 10, entry: add(base, scale(frame.posterior, skin)), target: add(base, scale(frame.posterior, sacEnd)), lateralMm: u, cranialMm: v };
    }
  }
  if (best === undefined) return undefined;
  const fragment = options.fragmentCentre;
  if (fragment === undefined) return best;
  // The traversing root near the disc: its voxels within 12 mm of the disc plane.
  const rootValues = new Set([...anatomy.nameOfValue].filter(([, n]) => n === `root_${options.level.lower}_${options.side}` || n === `drg_${options.level.lower}_${options.side}`).map(([v]) => v));
  const m = volume.indexToWorld;
  let sum = 0, count = 0;
  for (let k = 0, o = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, o++) {
    if (!rootValues.has(volume.data[o]!)) continue;
    const p: Vec3 = [m[0] * i + m[1] * j + m[2] * k + m[3], m[4] * i + m[5] * j + m[6] * k + m[7], m[8] * i + m[9] * j + m[10] * k + m[11]];
    const d = sub(p, frame.centre);
    if (Math.abs(dot(d, frame.superior)) > 12) continue;
    sum += dot(d, sideVec);
    count++;
  }
  if (count === 0) return best;
  const rootLateral = sum / count;
  const fragmentLateral = dot(sub(fragment, frame.centre), sideVec);
  return { ...best, rootApproach: fragmentLateral > rootLateral ? 'shoulder' : 'axillary' };
}
