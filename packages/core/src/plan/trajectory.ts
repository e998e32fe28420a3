/**
 * The transforaminal trajectory planner (issue 7): for a disc level and side, a target in the disc space or
 * the herniated fragment, and a search over skin entry points for a working cannula (a cylinder of the
 * configured diameter, 7 mm by default, 6–8 mm OD [Kumari2021]) that keeps the largest clearance from every
 * keep-out structure (keep-out.ts).
 *
 * - Directions are searched in the disc's own frame: the angle from the coronal plane in the disc's axial
 *   plane (posterolateral: the published 12°–68° medial tilts [Rajagopal], 32.5°–48.4° at L5–S1 [Sousa]) and
 *   the craniocaudal tilt (3° cranial to 27° caudal [Rajagopal]); the ranges are settings.
 * - Along each candidate the cannula's axis is sampled from the target out to the skin (the first background
 *   voxel); each group's clearance is the distance field (distance-transform.ts) minus the cannula's radius,
 *   minimised over the axis. Hard constraints: every group's clearance at least its margin (bone: the cannula
 *   may touch, not cross), the skin entry within the configured distance from the midline, and entry into the
 *   disc through Kambin's triangle — the posterolateral annulus between the exiting root (hypotenuse), the
 *   traversing root and dural sac (medial side) and the lower vertebra's endplate (base), below the superior
 *   articular process [MIS2017]. A path that clears the two roots, the sac and the bone and docks on the
 *   posterolateral half of the disc can only pass through that triangle; its three sides' clearances are
 *   reported.
 * - Score: the smallest clearance above margin over all groups; the best direction of the coarse grid is
 *   refined locally. Without any safe candidate the planner says so, names what blocked the candidates
 *   (for example the iliac crest at L5–S1 [Choi 2006, Sousa]) and reports whether resecting the superior
 *   articular process (foraminoplasty [PMID26815257]) would open a path and how much bone is in the way.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { mat4MulPoint } from '../geometry/matrix.ts';
import { add, dot, normalize, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import type { LegendInput } from '../findings/label-map.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';
import { computeKeepOutFields, DISTANCE_CAP_MM, indexBoxOf, sampleField, type KeepOutField, type KeepOutFields } from './fields.ts';
import { measureInterlaminarWindow, type InterlaminarWindow } from './interlaminar.ts';
import { GROUP_MARGIN, GROUP_TITLE, KEEP_OUT_GROUPS, type KeepOutGroup } from './keep-out.ts';
import { buildPlanAnatomy, discFrameOf, pointsOf, resolveDiscLevel, type DiscFrameLps, type DiscLevel, type PlanAnatomy } from './plan-anatomy.ts';
import { resolvePlanSettings, type PlanSettings } from './settings.ts';

export interface TrajectoryOptions {
  /** Label map in the phantom vocabulary (any segmentation with such a legend). */
  readonly labels: Volume;
  readonly legend: LegendInput;
  /** Disc level, e.g. `L4-L5`. */
  readonly level: string;
  readonly side: Side;
  /** Target (LPS mm) the surgeon picked; default: in the disc space nearest the herniated fragment. */
  readonly target?: Vec3;
  readonly settings?: Partial<PlanSettings>;
  /** A label map already indexed (saves a pass when planning several levels). */
  readonly anatomy?: PlanAnatomy;
}

export interface GroupClearance {
  readonly group: KeepOutGroup;
  readonly title: string;
  /** Smallest distance (mm) from the cannula's surface to the structure along the whole cannula (negative: intersects); null when the group is absent from the label map. */
  readonly clearanceMm: number | null;
  readonly marginMm: number;
  /** Distance from the target along the axis where the smallest clearance is, mm. */
  readonly atMm: number | null;
  readonly ok: boolean;
  /** Hard constraint for this plan (false for the resectable facet with foraminoplasty). */
  readonly hard: boolean;
}

export interface Trajectory {
  /** Skin entry (LPS mm): where the axis leaves the body. */
  readonly entry: Vec3;
  readonly target: Vec3;
  /** Where the axis enters the disc (or fragment) coming from the skin: the docking point on the annulus. */
  readonly docking: Vec3;
  /** Unit vector from the target toward the entry. */
  readonly direction: Vec3;
  readonly lengthMm: number;
  /** Skin entry distance from the midline sagittal plane through the disc centre (mm), and its height above (+) or below the disc centre along the disc normal. */
  readonly entryFromMidlineMm: number;
  readonly entryHeightMm: number;
  readonly angles: {
    /** Angle of the cannula to the patient's axial plane (+ entry cranial to the target). */
    readonly toAxialPlaneDeg: number;
    /** Angle of the cannula to the patient's sagittal plane. */
    readonly toSagittalPlaneDeg: number;
    /** In the axial view, the angle from the horizontal (coronal, table) plane, as [Sousa] reports it. */
    readonly fromCoronalPlaneDeg: number;
    /** The search parameters, in the disc's frame: angle from the disc's coronal plane and craniocaudal tilt from the disc plane. */
    readonly discAxialDeg: number;
    readonly discTiltDeg: number;
  };
  /** C-arm angles (DICOM positioner, detector position) that show the cannula end-on ("bull's-eye" view). */
  readonly bullsEye: { readonly primaryDeg: number; readonly secondaryDeg: number };
  readonly clearances: readonly GroupClearance[];
  /** Smallest clearance above margin over all hard groups (the score; ≥ 0 for a safe plan). */
  readonly safetyMarginMm: number;
  readonly limitingGroup: KeepOutGroup | null;
  readonly kambin: {
    readonly passes: boolean;
    /** Docking point offsets from the disc centre, mm: along posterior and toward the planned side. */
    readonly dockingPosteriorMm: number;
    readonly dockingLateralMm: number;
    readonly exitingRootMm: number | null;
    readonly traversingRootMm: number | null;
    readonly duralSacMm: number | null;
    readonly lowerVertebraMm: number | null;
  };
  readonly foraminoplasty: {
    /** The cannula crosses the lower vertebra (its superior articular process). */
    readonly needed: boolean;
    /** Axis length (mm) over which the cannula overlaps that bone, and the deepest overlap (mm). */
    readonly boneLengthMm: number;
    readonly boneDepthMm: number;
  };
  readonly safe: boolean;
}

/**
 * `safe`: accepted plans exist; `needs-foraminoplasty`: no safe path unless the superior articular process is resected
 * (not allowed by the settings: reported as an option); `no-safe-path`: none even then.
 */
export type TrajectoryStatus = 'safe' | 'needs-foraminoplasty' | 'no-safe-path';

export interface TrajectoryResult {
  readonly level: string;
  readonly side: Side;
  readonly status: TrajectoryStatus;
  readonly message: string;
  readonly target: Vec3;
  /** Where the target came from: the surgeon, the fragment, the fragment's base (more room), or the posterolateral disc. */
  readonly targetSource: 'given' | 'herniation' | 'herniation-base' | 'disc';
  readonly disc: DiscFrameLps;
  /** Accepted (safe) plans, best first (at most `keepPlans`); empty unless `status` is `safe`. */
  readonly plans: readonly Trajectory[];
  /**
   * Without a safe path and with foraminoplasty not allowed (`allowForaminoplasty` false): the paths that resecting
   * the superior articular process would open, and how much bone is in the way — an option, not an accepted plan.
   */
  readonly foraminoplastyPlans: readonly Trajectory[];
  /** The interlaminar window at the level and side (the alternative route), when the label map shows one. */
  readonly interlaminar?: InterlaminarWindow;
  /** The best candidate whatever its safety (for display when no plan is safe). */
  readonly closest?: Trajectory;
  readonly search: {
    readonly candidates: number;
    readonly safe: number;
    readonly safeWithForaminoplasty: number;
    /** How many candidates each constraint ruled out (a candidate may fail several). */
    readonly blockedBy: Readonly<Record<string, number>>;
  };
  readonly settings: PlanSettings;
}

const DEG = Math.PI / 180;

interface Context {
  readonly anatomy: PlanAnatomy;
  readonly level: DiscLevel;
  readonly side: Side;
  readonly frame: DiscFrameLps;
  readonly sideVec: Vec3;
  readonly fields: KeepOutFields;
  readonly settings: PlanSettings;
  readonly radius: number;
  readonly discValues: ReadonlySet<number>;
  readonly spacing: readonly [number, number, number];
}

interface Evaluation {
  readonly a: number;
  readonly e: number;
  readonly direction: Vec3;
  readonly fov: boolean;
  readonly entryT: number;
  readonly dockingT: number;
  readonly minClear: Float64Array;
  readonly minAt: Float64Array;
  readonly boneLength: number;
  readonly boneDepth: number;
  readonly entry: Vec3;
  readonly fromMidline: number;
  readonly kambinOk: boolean;
  readonly dockPost: number;
  readonly dockLat: number;
  readonly violations: readonly string[];
  readonly strictScore: number;
  readonly softScore: number;
  /** Tie-break among equally safe candidates: the sum of every group's slack, each clipped at 10 mm (room around the whole cannula). */
  readonly room: number;
}

function directionOf(ctx: Context, a: number, e: number): Vec3 {
  const { frame, sideVec } = ctx;
  const horiz = add(scale(sideVec, Math.cos(a * DEG)), scale(frame.posterior, Math.sin(a * DEG)));
  return normalize(add(scale(horiz, Math.cos(e * DEG)), scale(frame.superior, Math.sin(e * DEG))));
}

function labelAt(volume: Volume, x: number, y: number, z: number): number | undefined {
  const i = Math.round(x), j = Math.round(y), k = Math.round(z);
  const [ni, nj, nk] = volume.size;
  if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) return undefined;
  return volume.data[i + ni * (j + nj * k)]!;
}

function evaluate(ctx: Context, target: Vec3, a: number, e: number): Evaluation {
  const { anatomy, settings, radius, fields } = ctx;
  const volume = anatomy.labels;
  const direction = directionOf(ctx, a, e);
  const t0 = mat4MulPoint(volume.worldToIndex, target);
  const t1 = mat4MulPoint(volume.worldToIndex, add(target, direction));
  const stepIdx: Vec3 = sub(t1, t0);
  const groups = KEEP_OUT_GROUPS.length;
  const minClear = new Float64Array(groups).fill(Infinity);
  const minAt = new Float64Array(groups).fill(0);
  const fieldList: KeepOutField[] = KEEP_OUT_GROUPS.map((g) => fields.fields.get(g)!);
  const facet = KEEP_OUT_GROUPS.indexOf('facet');
  const h = settings.axisStepMm;
  const maxT = 400;
  let entryT = -1, dockingT = -1, fov = true;
  let boneLength = 0, boneDepth = 0;
  for (let t = 0; t <= maxT; t += h) {
    const x = t0[0] + t * stepIdx[0], y = t0[1] + t * stepIdx[1], z = t0[2] + t * stepIdx[2];
    const label = labelAt(volume, x, y, z);
    if (label === undefined) {
      fov = false;
      break;
    }
    if (label === 0) {
      entryT = t;
      break;
    }
    if (dockingT < 0 && !ctx.discValues.has(label)) dockingT = t;
    for (let g = 0; g < groups; g++) {
      const c = sampleField(fieldList[g]!, x, y, z) - radius;
      if (c < minClear[g]!) {
        minClear[g] = c;
        minAt[g] = t;
      }
      if (g === facet && c < 0) {
        boneLength += h;
        if (-c > boneDepth) boneDepth = -c;
      }
    }
  }
  const entry = add(target, scale(direction, Math.max(0, entryT)));
  const rel = sub(entry, ctx.frame.centre);
  const fromMidline = Math.abs(dot(rel, ctx.frame.left));
  const docking = add(target, scale(direction, Math.max(0, dockingT)));
  const dRel = sub(docking, ctx.frame.centre);
  const dockPost = dot(dRel, ctx.frame.posterior);
  const dockLat = dot(dRel, ctx.sideVec);
  // Kambin's triangle: the axis enters the disc on its posterolateral annulus on the planned side [MIS2017].
  const kambinOk = dockingT >= 0 && dockLat > 0 && dockPost >= -0.25 * ctx.frame.apRadiusMm;
  return score(ctx, { a, e, direction, fov, entryT, dockingT, minClear, minAt, boneLength, boneDepth, entry, fromMidline, kambinOk, dockPost, dockLat, violations: [], strictScore: 0, softScore: 0, room: 0 });
}

/** Constraints and scores of a candidate from its clearances. */
function score(ctx: Context, ev: Evaluation): Evaluation {
  const { settings } = ctx;
  const { minClear, fov, entryT, fromMidline, kambinOk } = ev;
  const violations: string[] = [];
  if (!fov) violations.push('field of view');
  else if (entryT < 0) violations.push('field of view');
  let strict = Infinity, soft = Infinity, room = 0;
  KEEP_OUT_GROUPS.forEach((g, n) => {
    const c = minClear[n]!;
    if (!Number.isFinite(c)) return;
    const slack = c - settings.marginsMm[GROUP_MARGIN[g]];
    room += Math.min(slack, 10);
    if (slack < 0) violations.push(g);
    strict = Math.min(strict, slack);
    if (g !== 'facet') soft = Math.min(soft, slack);
  });
  const [dMin, dMax] = settings.entryDistanceMm;
  if (fov && entryT >= 0 && (fromMidline < dMin || fromMidline > dMax)) violations.push('entry distance');
  if (!kambinOk) violations.push("Kambin's triangle");
  return { ...ev, violations, strictScore: strict, softScore: soft, room };
}

/** Band (mm beyond the cannula's surface) inside which clearances are recomputed exactly from the label map's voxels. */
const EXACT_BAND_MM = 12;

/**
 * Exact clearances of a candidate from the label map itself: the distance from every keep-out voxel centre within
 * the band to the cannula's axis segment, less the radius. The search reads trilinear samples of the distance
 * fields at discrete steps, which can overestimate by a fraction of a voxel; the accepted plans are re-checked here
 * and the reported clearances are these.
 */
function exactCheck(ctx: Context, target: Vec3, ev: Evaluation): Evaluation {
  if (ev.entryT < 0) return ev;
  const volume = ctx.anatomy.labels;
  const u = ev.direction;
  const length = ev.entryT;
  const reach = ctx.radius + EXACT_BAND_MM;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const t of [0, length]) for (const dx of [-reach, reach]) for (const dy of [-reach, reach]) for (const dz of [-reach, reach]) {
    const idx = mat4MulPoint(volume.worldToIndex, [target[0] + t * u[0] + dx, target[1] + t * u[1] + dy, target[2] + t * u[2] + dz]);
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, idx[a]!);
      hi[a] = Math.max(hi[a]!, idx[a]!);
    }
  }
  const [ni, nj, nk] = volume.size;
  const i0 = Math.max(0, Math.floor(lo[0]!)), i1 = Math.min(ni - 1, Math.ceil(hi[0]!));
  const j0 = Math.max(0, Math.floor(lo[1]!)), j1 = Math.min(nj - 1, Math.ceil(hi[1]!));
  const k0 = Math.max(0, Math.floor(lo[2]!)), k1 = Math.min(nk - 1, Math.ceil(hi[2]!));
  const m = volume.indexToWorld;
  const table = ctx.fields.groupOfValue;
  const best = new Float64Array(KEEP_OUT_GROUPS.length).fill(Infinity);
  const at = new Float64Array(KEEP_OUT_GROUPS.length);
  const reach2 = reach * reach;
  for (let k = k0; k <= k1; k++) for (let j = j0; j <= j1; j++) {
    let o = i0 + ni * (j + nj * k);
    for (let i = i0; i <= i1; i++, o++) {
      const value = volume.data[o]!;
      const g = value < table.length ? table[value]! : -1;
      if (g < 0) continue;
      const dx = m[0] * i + m[1] * j + m[2] * k + m[3] - target[0];
      const dy = m[4] * i + m[5] * j + m[6] * k + m[7] - target[1];
      const dz = m[8] * i + m[9] * j + m[10] * k + m[11] - target[2];
      const t = Math.min(length, Math.max(0, dx * u[0] + dy * u[1] + dz * u[2]));
      const ex = dx - t * u[0], ey = dy - t * u[1], ez = dz - t * u[2];
      const d2 = ex * ex + ey * ey + ez * ez;
      if (d2 > reach2 || d2 >= best[g]! * best[g]!) continue;
      best[g] = Math.sqrt(d2);
      at[g] = t;
    }
  }
  const minClear = Float64Array.from(ev.minClear);
  const minAt = Float64Array.from(ev.minAt);
  KEEP_OUT_GROUPS.forEach((_, g) => {
    if (Number.isFinite(best[g]!)) {
      minClear[g] = best[g]! - ctx.radius;
      minAt[g] = at[g]!;
    } else if (Number.isFinite(minClear[g]!)) minClear[g] = Math.max(minClear[g]!, EXACT_BAND_MM);
  });
  return score(ctx, { ...ev, minClear, minAt });
}

const isSafe = (ev: Evaluation, allowFacet: boolean): boolean => ev.violations.every((v) => allowFacet && v === 'facet');

function toTrajectory(ctx: Context, target: Vec3, ev: Evaluation, allowFacet: boolean): Trajectory {
  const { settings } = ctx;
  const clearances: GroupClearance[] = KEEP_OUT_GROUPS.map((g, n) => {
    const c = ev.minClear[n]!;
    const present = Number.isFinite(c) && !ctx.fields.fields.get(g)!.field.empty;
    const margin = settings.marginsMm[GROUP_MARGIN[g]];
    const hard = !(allowFacet && g === 'facet');
    return { group: g, title: GROUP_TITLE[g], clearanceMm: present ? round(c) : null, marginMm: margin, atMm: present ? round(ev.minAt[n]!) : null, ok: !present || c >= margin || !hard, hard };
  });
  let limiting: KeepOutGroup | null = null, best = Infinity;
  clearances.forEach((c) => {
    if (c.clearanceMm === null || !c.hard) return;
    const slack = c.clearanceMm - c.marginMm;
    if (slack < best) {
      best = slack;
      limiting = c.group;
    }
  });
  const d = ev.direction;
  const clearanceOf = (g: KeepOutGroup): number | null => clearances.find((c) => c.group === g)?.clearanceMm ?? null;
  return {
    entry: roundVec(ev.entry),
    target: roundVec(target),
    docking: roundVec(add(target, scale(d, Math.max(0, ev.dockingT)))),
    direction: [round(d[0], 4), round(d[1], 4), round(d[2], 4)],
    lengthMm: round(ev.entryT),
    entryFromMidlineMm: round(ev.fromMidline),
    entryHeightMm: round(dot(sub(ev.entry, ctx.frame.centre), ctx.frame.superior)),
    angles: {
      toAxialPlaneDeg: round(Math.asin(d[2]) / DEG, 1),
      toSagittalPlaneDeg: round(Math.asin(Math.abs(d[0])) / DEG, 1),
      fromCoronalPlaneDeg: round(Math.atan2(d[1], Math.abs(d[0])) / DEG, 1),
      discAxialDeg: round(ev.a, 1),
      discTiltDeg: round(ev.e, 1),
    },
    // Detector toward the skin entry, source under the table: u = [sin p·cos s, −cos p·cos s, sin s] (drr/c-arm.ts).
    bullsEye: { primaryDeg: round(Math.atan2(d[0], -d[1]) / DEG, 1), secondaryDeg: round(Math.asin(d[2]) / DEG, 1) },
    clearances,
    safetyMarginMm: round(best),
    limitingGroup: limiting,
    kambin: {
      passes: ev.kambinOk,
      dockingPosteriorMm: round(ev.dockPost),
      dockingLateralMm: round(ev.dockLat),
      exitingRootMm: clearanceOf('exiting_root'),
      traversingRootMm: clearanceOf('traversing_root'),
      duralSacMm: clearanceOf('dural_sac'),
      lowerVertebraMm: clearanceOf('facet'),
    },
    foraminoplasty: { needed: ev.boneLength > 0, boneLengthMm: round(ev.boneLength), boneDepthMm: round(ev.boneDepth) },
    safe: isSafe(ev, allowFacet),
  };
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
const roundVec = (v: Vec3): Vec3 => [round(v[0]), round(v[1]), round(v[2])];

/** The point of `points` (flat) nearest to `ref` among those passing `ok`. */
function nearest(points: Float64Array, ref: Vec3, ok: (p: Vec3) => boolean): Vec3 | undefined {
  let best: Vec3 | undefined, bestD = Infinity;
  for (let q = 0; q < points.length; q += 3) {
    const p: Vec3 = [points[q]!, points[q + 1]!, points[q + 2]!];
    const d = (p[0] - ref[0]) ** 2 + (p[1] - ref[1]) ** 2 + (p[2] - ref[2]) ** 2;
    if (d < bestD && ok(p)) {
      bestD = d;
      best = p;
    }
  }
  return best;
}

function checkTarget(volume: Volume, target: Vec3): void {
  if (!target.every((v) => Number.isFinite(v))) throw new KeyholeError('VALIDATION_FAILED', { path: 'target', message: `must be three finite LPS coordinates in mm, got [${target.join(', ')}]` });
  const idx = mat4MulPoint(volume.worldToIndex, target);
  const label = labelAt(volume, idx[0], idx[1], idx[2]);
  if (label === undefined || label === 0) {
    throw new KeyholeError('PLAN_TARGET_OUTSIDE_BODY', {
      path: 'target',
      message: `the target [${target.map((v) => v.toFixed(1)).join(', ')}] LPS mm lies ${label === undefined ? 'outside the image volume' : 'outside the body (background in the label map)'}; pick a point in the disc space or the herniated fragment`,
      details: { target },
    });
  }
}

/** Plans a transforaminal cannula path at one level and side. */
export function planTrajectory(options: TrajectoryOptions): TrajectoryResult {
  const settings = resolvePlanSettings(options.settings);
  if (options.side !== 'left' && options.side !== 'right') throw new KeyholeError('VALIDATION_FAILED', { path: 'side', message: `must be 'left' or 'right', got ${String(options.side)}` });
  if (!(settings.cannulaDiameterMm > 0 && settings.cannulaDiameterMm < 30)) throw new KeyholeError('VALIDATION_FAILED', { path: 'settings.cannulaDiameterMm', message: `must be a diameter in mm between 0 and 30, got ${settings.cannulaDiameterMm}` });
  const volume = options.labels;
  if (options.target !== undefined) checkTarget(volume, options.target);
  const anatomy = options.anatomy ?? buildPlanAnatomy(volume, options.legend);
  const level = resolveDiscLevel(anatomy, options.level);
  const discPoints = pointsOf(anatomy, (n) => n === level.name);
  const frame = discFrameOf(discPoints);
  const side = options.side;
  const sideVec = side === 'left' ? frame.left : scale(frame.left, -1);
  // The box the candidates can reach: the level ± the widest craniocaudal reach, the planned side out to the skin.
  // Candidates leave the target posterolaterally and tilt at most the craniocaudal range over a path of at most
  // ~160 mm inside the body; the box holds them plus the fields' distance cap (it is clamped to the volume).
  const tilt = Math.max(Math.abs(settings.craniocaudalDeg[0]), Math.abs(settings.craniocaudalDeg[1])) * DEG;
  const along = 160 * Math.sin(tilt) + DISTANCE_CAP_MM;
  const corners: Vec3[] = [];
  for (const s of [-DISTANCE_CAP_MM, settings.entryDistanceMm[1] + DISTANCE_CAP_MM + 30]) for (const p of [-DISTANCE_CAP_MM - 20, 400]) for (const u of [-along, along]) {
    corners.push(add(add(add(frame.centre, scale(sideVec, s)), scale(frame.posterior, p)), scale(frame.superior, u)));
  }
  const min: Vec3 = [0, 1, 2].map((a) => Math.min(...corners.map((c) => c[a]!))) as unknown as Vec3;
  const max: Vec3 = [0, 1, 2].map((a) => Math.max(...corners.map((c) => c[a]!))) as unknown as Vec3;
  const box = indexBoxOf(volume, min, max);
  const fields = computeKeepOutFields(anatomy, level, side, box, DISTANCE_CAP_MM, settings.searchFieldVoxelMm);
  const herniationName = `herniation_${level.name}`;
  const discValues = new Set([...anatomy.nameOfValue].filter(([, n]) => n === level.name || n === herniationName).map(([v]) => v));
  const spacing: [number, number, number] = [volume.spacing[0], volume.spacing[1], volume.spacing[2]];
  const ctx: Context = { anatomy, level, side, frame, sideVec, fields, settings, radius: settings.cannulaDiameterMm / 2, discValues, spacing };

  // Targets: the surgeon's; else the disc (or fragment) voxel nearest the fragment whose clearance from every
  // keep-out admits the cannula's tip, then one with more room around the tip (the fragment's base, reached
  // inside-out), then the posterolateral disc — each tried only when the previous gives no safe path.
  const fragmentPoints = anatomy.namesPresent.has(herniationName) ? pointsOf(anatomy, (n) => n === herniationName) : undefined;
  const fragmentAt = fragmentPoints !== undefined && fragmentPoints.length > 0 ? centroid(fragmentPoints) : undefined;
  const interlaminar = measureInterlaminarWindow({ anatomy, level, side, frame, fields, ...(fragmentAt !== undefined ? { fragmentCentre: fragmentAt } : {}) });
  const targets: Array<{ point: Vec3; source: TrajectoryResult['targetSource'] }> = [];
  if (options.target !== undefined) targets.push({ point: options.target, source: 'given' });
  else {
    const fragment = fragmentPoints;
    const fragmentCentre = fragmentAt;
    const towardSide = fragmentCentre !== undefined && dot(sub(fragmentCentre, frame.centre), sideVec) >= -3;
    const discRef = add(add(frame.centre, scale(frame.posterior, 0.45 * frame.apRadiusMm)), scale(sideVec, 0.3 * frame.lateralRadiusMm));
    const tipClear = (p: Vec3): number => {
      const idx = mat4MulPoint(volume.worldToIndex, p);
      let worst = Infinity;
      KEEP_OUT_GROUPS.forEach((g) => {
        const c = sampleField(fields.fields.get(g)!, idx[0], idx[1], idx[2]) - ctx.radius - settings.marginsMm[GROUP_MARGIN[g]];
        if (c < worst) worst = c;
      });
      return worst;
    };
    if (towardSide && fragment !== undefined && fragmentCentre !== undefined) {
      const both = concat(discPoints, fragment);
      const first = nearest(both, fragmentCentre, (p) => tipClear(p) >= 0.5);
      if (first !== undefined) targets.push({ point: first, source: 'herniation' });
      const roomy = nearest(both, fragmentCentre, (p) => tipClear(p) >= 2.5);
      if (roomy !== undefined) targets.push({ point: roomy, source: 'herniation-base' });
    }
    const disc = nearest(discPoints, discRef, (p) => tipClear(p) >= 0.5) ?? nearest(discPoints, discRef, (p) => tipClear(p) >= -ctx.radius) ?? frame.centre;
    targets.push({ point: disc, source: 'disc' });
  }
  let outcome: SearchOutcome | undefined;
  for (const t of targets) {
    const next = search(ctx, t.point, t.source);
    if (outcome === undefined || rankStatus(next.status) > rankStatus(outcome.status)) outcome = next;
    if (next.status === 'safe') break;
  }
  const { target, targetSource, status, picked, all, evaluations, blockedBy, strictCount, fpCount } = outcome!;
  const allowFp = status === 'needs-foraminoplasty' || settings.allowForaminoplasty;
  const candidates = picked.map((ev) => toTrajectory(ctx, target, ev, allowFp));
  const plans = status === 'safe' ? candidates : [];
  const foraminoplastyPlans = status === 'needs-foraminoplasty' ? candidates : [];
  const closestEval = all[0];
  const blockers = Object.entries(blockedBy).sort((x, y) => y[1] - x[1]).slice(0, 3).map(([k, n]) => `${k in GROUP_TITLE ? GROUP_TITLE[k as KeepOutGroup] : k} (${Math.round((100 * n) / evaluations)}%)`);
  const message = status === 'safe'
    ? `safe transforaminal path at ${level.name} ${side}: ${plans[0]!.safetyMarginMm.toFixed(1)} mm above every margin (limited by ${plans[0]!.limitingGroup === null ? '—' : GROUP_TITLE[plans[0]!.limitingGroup]}), entry ${plans[0]!.entryFromMidlineMm.toFixed(0)} mm from the midline`
    : status === 'needs-foraminoplasty'
      ? `no transforaminal path at ${level.name} ${side} without foraminoplasty: resecting ${foraminoplastyPlans[0]!.foraminoplasty.boneLengthMm.toFixed(1)} mm (up to ${foraminoplastyPlans[0]!.foraminoplasty.boneDepthMm.toFixed(1)} mm deep along the cannula) of the superior articular process would open one [PMID26815257]; candidates were blocked by ${blockers.join(', ')}`
      : `no safe transforaminal path at ${level.name} ${side}: every candidate broke a constraint (most often ${blockers.join(', ')})`;
  return {
    level: level.name,
    side,
    status,
    message,
    target: roundVec(target),
    targetSource,
    disc: frame,
    plans,
    foraminoplastyPlans,
    ...(interlaminar !== undefined ? { interlaminar } : {}),
    ...(closestEval !== undefined ? { closest: toTrajectory(ctx, target, closestEval, true) } : {}),
    search: { candidates: all.length, safe: strictCount, safeWithForaminoplasty: fpCount, blockedBy },
    settings,
  };
}

interface SearchOutcome {
  readonly target: Vec3;
  readonly targetSource: TrajectoryResult['targetSource'];
  readonly status: TrajectoryStatus;
  readonly picked: readonly Evaluation[];
  readonly all: readonly Evaluation[];
  readonly evaluations: number;
  readonly blockedBy: Readonly<Record<string, number>>;
  readonly strictCount: number;
  readonly fpCount: number;
}

const rankStatus = (s: TrajectoryStatus): number => (s === 'safe' ? 2 : s === 'needs-foraminoplasty' ? 1 : 0);

/** The direction search for one target. */
function search(ctx: Context, target: Vec3, targetSource: TrajectoryResult['targetSource']): SearchOutcome {
  const { settings } = ctx;
  // Coarse grid, then local refinement around the best few.
  const evaluations: Evaluation[] = [];
  const step = settings.searchStepDeg;
  const [aMin, aMax] = settings.axialAngleDeg;
  const [eMin, eMax] = settings.craniocaudalDeg;
  for (let a = aMin; a <= aMax + 1e-9; a += step) for (let e = eMin; e <= eMax + 1e-9; e += step) evaluations.push(evaluate(ctx, target, a, e));
  const blockedBy: Record<string, number> = {};
  for (const ev of evaluations) for (const v of ev.violations) blockedBy[v] = (blockedBy[v] ?? 0) + 1;
  const allowFacet = settings.allowForaminoplasty || !evaluations.some((ev) => isSafe(ev, false));
  // Safe without foraminoplasty first, then safe with it (least bone), then the rest; within a class the largest
  // smallest margin (to 0.25 mm), then the most room around the whole cannula.
  const tier = (ev: Evaluation): number => (isSafe(ev, false) ? 2 : isSafe(ev, allowFacet) ? 1 : 0);
  const primary = (ev: Evaluation): number => {
    const t = tier(ev);
    const score = t === 1 ? ev.softScore - 0.05 * ev.boneLength : t === 2 ? ev.strictScore : ev.strictScore - 5 * ev.violations.length;
    return Math.floor(score / 0.25);
  };
  const better = (x: Evaluation, y: Evaluation): number => tier(y) - tier(x) || primary(y) - primary(x) || y.room - x.room;
  const ranked = [...evaluations].sort(better);
  const refined: Evaluation[] = [];
  for (const seed of ranked.slice(0, 4)) {
    for (let da = -step; da <= step + 1e-9; da += step / 3) for (let de = -step; de <= step + 1e-9; de += step / 3) {
      const a = seed.a + da, e = seed.e + de;
      if (a < aMin - 1e-9 || a > aMax + 1e-9 || e < eMin - 1e-9 || e > eMax + 1e-9) continue;
      refined.push(evaluate(ctx, target, a, e));
    }
  }
  const all = [...evaluations, ...refined].sort(better);
  const strictSafe = all.filter((ev) => isSafe(ev, false));
  const fpSafe = all.filter((ev) => isSafe(ev, true));
  // Distinct plans at least 5° apart, each re-checked exactly against the label map's voxels; without one that
  // survives, the same with the resectable facet allowed (foraminoplasty).
  const pickFrom = (pool: readonly Evaluation[], allowFacetHere: boolean): Evaluation[] => {
    const picked: Evaluation[] = [];
    for (const candidate of pool.slice(0, 60)) {
      if (picked.length >= settings.keepPlans) break;
      if (!picked.every((p) => Math.acos(Math.min(1, dot(p.direction, candidate.direction))) > 5 * DEG)) continue;
      const exact = exactCheck(ctx, target, candidate);
      if (isSafe(exact, allowFacetHere)) picked.push(exact);
    }
    return picked;
  };
  let picked = settings.allowForaminoplasty ? [] : pickFrom(strictSafe, false);
  let status: TrajectoryStatus = 'safe';
  if (picked.length === 0) {
    picked = pickFrom(fpSafe, true);
    // With foraminoplasty allowed by the settings these are accepted plans; otherwise only an option to report.
    status = picked.length === 0 ? 'no-safe-path' : settings.allowForaminoplasty || picked.every((p) => p.boneLength === 0 && isSafe(p, false)) ? 'safe' : 'needs-foraminoplasty';
  }
  return { target, targetSource, status, picked, all, evaluations: evaluations.length, blockedBy, strictCount: strictSafe.length, fpCount: fpSafe.length };
}

function centroid(points: Float64Array): Vec3 {
  let x = 0, y = 0, z = 0;
  const n = points.length / 3;
  for (let q = 0; q < points.length; q += 3) {
    x += points[q]!;
    y += points[q + 1]!;
    z += points[q + 2]!;
  }
  return [x / n, y / n, z / n];
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

