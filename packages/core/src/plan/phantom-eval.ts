/**
 * The planner against the phantom's truth (issue 7 acceptance): cases built to exercise one approach rule each
 * (high iliac crests, narrow foramina, migrated fragments, foraminal herniations, stenosis, slips, six-lumbar
 * spines) and the refusals. For every case the phantom's TRUTH label map is the planner's anatomy, the findings
 * are the phantom's own pathology records (the findings step is evaluated in findings/), and every accepted
 * cannula is rasterised against the truth label map (verify-cannula.ts). Pure: the caller builds the phantoms.
 */
import type { ImagingFinding, ImagingFindings } from '../clinical/findings.ts';
import { KeyholeError } from '../errors/keyhole-error.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { IliacCrestHeight, PathologyOption, PathologyRecord, SpineSceneOptions, SpineVariant } from '../phantom/anatomy/types.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';
import type { Approach } from './approach.ts';
import { lowerVertebraLabelName } from './keep-out.ts';
import { planSurgery, type SurgicalPlan } from './plan-surgery.ts';
import { cannulaIntersections } from './verify-cannula.ts';

export interface PlanEvalCase {
  readonly id: string;
  readonly seed: number;
  /** The rule the case is built for (`approach.ts` rule id) or the refusal expected. */
  readonly rule: string;
  readonly level: string;
  readonly side: Side;
  readonly scene: Omit<SpineSceneOptions, 'seed'>;
  /** Expected approach, or the error code of a refusal. */
  readonly expect: Approach | 'PLAN_LEVEL_NOT_IN_MODEL' | 'PLAN_LEVEL_COUNT_UNCONFIRMED' | 'PLAN_TARGET_OUTSIDE_BODY';
  readonly levelCountVerified?: boolean;
  readonly target?: Vec3;
}

interface Kind {
  readonly rule: string;
  readonly level: string;
  readonly expect: PlanEvalCase['expect'];
  readonly crest?: IliacCrestHeight;
  readonly variant?: SpineVariant;
  readonly pathology: (side: Side) => PathologyOption[];
  readonly levelCountVerified?: boolean;
  readonly target?: Vec3;
}

const hern = (level: string, zone: 'central' | 'subarticular' | 'foraminal' | 'extraforaminal', side: Side, extra: Partial<Extract<PathologyOption, { kind: 'disc-herniation' }>> = {}): PathologyOption => ({
  kind: 'disc-herniation', level, zone, type: 'extrusion', ...(zone !== 'central' ? { side } : {}), ...extra,
});

/** One kind per rule; cases cycle through them with seed and side varying. */
const KINDS: readonly Kind[] = [
  { rule: 'default-posterolateral', level: 'L4-L5', expect: 'transforaminal', pathology: () => [] },
  { rule: 'foraminal-zone', level: 'L3-L4', expect: 'transforaminal', pathology: (s) => [hern('L3-L4', 'foraminal', s)] },
  { rule: 'foraminal-zone', level: 'L4-L5', expect: 'transforaminal', pathology: (s) => [hern('L4-L5', 'extraforaminal', s)] },
  { rule: 'l5s1-intracanal (high crest)', level: 'L5-S1', expect: 'interlaminar', crest: 'high', pathology: (s) => [hern('L5-S1', 'subarticular', s)] },
  { rule: 'l5s1-intracanal (very high crest)', level: 'L5-S1', expect: 'interlaminar', crest: 'very-high', pathology: (s) => [hern('L5-S1', 'subarticular', s)] },
  { rule: 'l5s1-intracanal (narrow foramen)', level: 'L5-S1', expect: 'interlaminar', pathology: (s) => [hern('L5-S1', 'subarticular', s), { kind: 'foraminal-stenosis', level: 'L5-S1', side: s, grade: 3 }] },
  { rule: 'l5s1-intracanal (large migrated fragment)', level: 'L5-S1', expect: 'interlaminar', pathology: (s) => [hern('L5-S1', 'subarticular', s, { type: 'sequestration', migration: { direction: 'down', grade: 'low' }, sizeMm: 12 })] },
  { rule: 'high-grade-upper-level', level: 'L2-L3', expect: 'transforaminal', pathology: (s) => [hern('L2-L3', 'subarticular', s, { migration: { direction: 'down', grade: 'high' } })] },
  { rule: 'high-grade-low-level', level: 'L4-L5', expect: 'interlaminar', pathology: (s) => [hern('L4-L5', 'subarticular', s, { migration: { direction: 'down', grade: 'high' } })] },
  { rule: 'canal-compromise', level: 'L4-L5', expect: 'microdiscectomy', pathology: () => [hern('L4-L5', 'central', 'left'), { kind: 'central-stenosis', level: 'L4-L5', grade: 'severe' }] },
  { rule: 'instability', level: 'L4-L5', expect: 'fusion', pathology: (s) => [hern('L4-L5', 'subarticular', s), { kind: 'spondylolisthesis', level: 'L4-L5', slipPercent: 30 }] },
  { rule: 'default-posterolateral (migrated low grade)', level: 'L3-L4', expect: 'transforaminal', pathology: (s) => [hern('L3-L4', 'subarticular', s, { migration: { direction: 'up', grade: 'low' } })] },
  { rule: 'l5s1-intracanal (six lumbar, high crest)', level: 'L6-S1', expect: 'interlaminar', crest: 'high', variant: { kind: 'six-lumbar' }, pathology: (s) => [hern('L6-S1', 'subarticular', s)] },
  { rule: 'foraminal-zone (six lumbar)', level: 'L4-L5', expect: 'transforaminal', variant: { kind: 'six-lumbar' }, pathology: (s) => [hern('L4-L5', 'foraminal', s)] },
  { rule: 'refuse: level not in model', level: 'L5-L6', expect: 'PLAN_LEVEL_NOT_IN_MODEL', pathology: () => [] },
  { rule: 'refuse: level count unconfirmed', level: 'L4-L5', expect: 'PLAN_LEVEL_COUNT_UNCONFIRMED', variant: { kind: 'sacralized-L5', castellvi: 'IIIa' }, levelCountVerified: false, pathology: () => [] },
  { rule: 'refuse: target outside the body', level: 'L4-L5', expect: 'PLAN_TARGET_OUTSIDE_BODY', target: [260, 0, 40], pathology: () => [] },
];

/** `count` cases cycling through the kinds (seed = first + n, side alternating every full cycle). */
export function planEvalCases(count: number, first = 1): PlanEvalCase[] {
  const out: PlanEvalCase[] = [];
  for (let n = 0; n < count; n++) {
    const kind = KINDS[n % KINDS.length]!;
    const side: Side = Math.floor(n / KINDS.length) % 2 === 0 ? 'left' : 'right';
    const seed = first + n;
    out.push({
      id: `${seed}`,
      seed,
      rule: kind.rule,
      level: kind.level,
      side,
      expect: kind.expect,
      scene: {
        levels: { from: 'L1', to: 'sacrum' },
        pathology: kind.pathology(side),
        ...(kind.crest !== undefined ? { iliacCrestHeight: kind.crest } : {}),
        ...(kind.variant !== undefined ? { variant: kind.variant } : {}),
      },
      ...(kind.levelCountVerified !== undefined ? { levelCountVerified: kind.levelCountVerified } : {}),
      ...(kind.target !== undefined ? { target: kind.target } : {}),
    });
  }
  return out;
}

export const PLAN_EVAL_KIND_COUNT = KINDS.length;

/** The phantom's pathology records as the findings document the approach rules read. */
export function findingsFromTruth(records: readonly PathologyRecord[]): ImagingFindings {
  const findings: ImagingFinding[] = [];
  for (const r of records) {
    switch (r.kind) {
      case 'disc-herniation':
        findings.push({
          kind: 'disc-herniation', level: r.level, zone: r.zone, side: r.side, type: r.type, confidence: 1,
          sizeMm: Math.max(r.sizeMm.lateral, r.sizeMm.craniocaudal),
          ...(r.migration !== null ? { migration: { direction: r.migration.direction, grade: r.migration.grade } } : {}),
          producedBy: 'phantom truth',
        });
        break;
      case 'central-stenosis':
        findings.push({ kind: 'central-stenosis', level: r.level, lurie: r.grade, confidence: 1, producedBy: 'phantom truth' });
        break;
      case 'foraminal-stenosis':
        findings.push({ kind: 'foraminal-stenosis', level: r.level, side: r.side, lee: r.grade, confidence: 1, producedBy: 'phantom truth' });
        break;
      case 'spondylolisthesis':
        findings.push({ kind: 'spondylolisthesis', level: r.level, slipPercent: r.slipPercent, meyerding: r.meyerding, confidence: 1, producedBy: 'phantom truth' });
        break;
      case 'compression-fracture':
        findings.push({ kind: 'compression-fracture', level: r.level, heightLossPercent: r.heightLossPercent, confidence: 1, producedBy: 'phantom truth' });
        break;
    }
  }
  return { schemaVersion: 1, findings };
}

export interface PlanEvalRow {
  readonly case: PlanEvalCase;
  /** What happened: the approach chosen, or the error code of a refusal. */
  readonly outcome: string;
  readonly approachOk: boolean;
  readonly status?: string;
  readonly plans: number;
  /** Keep-out voxels of the truth label map inside the accepted cannulas (0 required). */
  readonly truthIntersections: number;
  readonly intersected: readonly string[];
  readonly best?: { readonly marginMm: number; readonly limiting: string | null; readonly entryFromMidlineMm: number; readonly fromCoronalDeg: number; readonly toAxialDeg: number; readonly lengthMm: number; readonly foraminoplastyMm: number };
  /** A no-safe-path case proposed an alternative to transforaminal. */
  readonly noSafePathHandled?: boolean;
  readonly crest?: { readonly truthMm: number; readonly measuredMm: number };
  /** Without a safe path: bone (mm along the cannula) foraminoplasty would resect to open the best option, and the keep-out structures of the truth label map the closest candidate enters. */
  readonly foraminoplastyOptionMm?: number;
  readonly closestTruthHits?: readonly string[];
  /** Interlaminar window (mm) and the approach to the traversing root. */
  readonly window?: string;
  readonly ms: number;
}

export function evaluatePlanCase(options: { case: PlanEvalCase; labels: Volume; legend: Record<string, string>; pathology: readonly PathologyRecord[]; crestTruthMm: number; now?: () => number }): PlanEvalRow {
  const c = options.case;
  const now = options.now ?? (() => 0);
  const start = now();
  let plan: SurgicalPlan;
  try {
    plan = planSurgery({
      labels: options.labels,
      legend: options.legend,
      level: c.level,
      side: c.side,
      levelCount: { verified: c.levelCountVerified ?? true, source: c.levelCountVerified === false ? 'transitional vertebra, not counted from C2' : 'phantom truth' },
      findings: findingsFromTruth(options.pathology),
      ...(c.target !== undefined ? { target: c.target } : {}),
    });
  } catch (error) {
    const code = error instanceof KeyholeError ? error.code : 'THREW';
    return { case: c, outcome: code, approachOk: code === c.expect, plans: 0, truthIntersections: 0, intersected: [], ms: now() - start };
  }
  const ms = now() - start;
  const names = new Set(Object.values(options.legend));
  const [upper, lower] = plan.level.split('-') as [string, string];
  const level = { upper, lower, lowerLabel: lowerVertebraLabelName(lower, names) };
  let truthIntersections = 0;
  const intersected = new Set<string>();
  const foraminoplasty = plan.settings.allowForaminoplasty;
  for (const p of plan.trajectory.plans) {
    const hits = cannulaIntersections({ labels: options.labels, legend: options.legend, entry: p.entry, target: p.target, radiusMm: plan.settings.cannulaDiameterMm / 2, level, side: c.side })
      .filter((h) => !(foraminoplasty && h.group === 'facet'));
    for (const h of hits) {
      truthIntersections += h.voxels;
      intersected.add(h.structure);
    }
  }
  const b = plan.best;
  const option = plan.trajectory.foraminoplastyPlans[0];
  const closest = plan.trajectory.closest;
  const closestHits = plan.trajectory.status !== 'safe' && closest !== undefined
    ? cannulaIntersections({ labels: options.labels, legend: options.legend, entry: closest.entry, target: closest.target, radiusMm: plan.settings.cannulaDiameterMm / 2, level, side: c.side }).map((h) => h.structure)
    : undefined;
  return {
    case: c,
    outcome: plan.approach.choice,
    approachOk: plan.approach.choice === c.expect,
    status: plan.trajectory.status,
    plans: plan.trajectory.plans.length,
    truthIntersections,
    intersected: [...intersected],
    ...(b !== undefined ? { best: { marginMm: b.safetyMarginMm, limiting: b.limitingGroup, entryFromMidlineMm: b.entryFromMidlineMm, fromCoronalDeg: b.angles.fromCoronalPlaneDeg, toAxialDeg: b.angles.toAxialPlaneDeg, lengthMm: b.lengthMm, foraminoplastyMm: b.foraminoplasty.boneLengthMm } } : {}),
    ...(plan.trajectory.status !== 'safe' ? { noSafePathHandled: plan.approach.choice !== 'transforaminal' } : {}),
    ...(plan.iliacCrest !== undefined ? { crest: { truthMm: options.crestTruthMm, measuredMm: plan.iliacCrest.aboveMidPedicleMm } } : {}),
    ...(option !== undefined ? { foraminoplastyOptionMm: option.foraminoplasty.boneLengthMm } : {}),
    ...(closestHits !== undefined ? { closestTruthHits: closestHits } : {}),
    ...(plan.trajectory.interlaminar !== undefined ? { window: `${plan.trajectory.interlaminar.diameterMm.toFixed(1)}${plan.trajectory.interlaminar.rootApproach !== undefined ? ` ${plan.trajectory.interlaminar.rootApproach}` : ''}` } : {}),
    ms,
  };
}

export interface PlanEvalSummary {
  readonly cases: number;
  readonly approachAgreement: number;
  readonly acceptedPlans: number;
  readonly truthIntersections: number;
  readonly noSafePath: number;
  readonly noSafePathHandled: number;
  readonly crestWorstErrorMm: number;
}

export function summarisePlanEval(rows: readonly PlanEvalRow[]): PlanEvalSummary {
  const crest = rows.flatMap((r) => (r.crest !== undefined ? [Math.abs(r.crest.measuredMm - r.crest.truthMm)] : []));
  return {
    cases: rows.length,
    approachAgreement: rows.filter((r) => r.approachOk).length,
    acceptedPlans: rows.reduce((a, r) => a + r.plans, 0),
    truthIntersections: rows.reduce((a, r) => a + r.truthIntersections, 0),
    noSafePath: rows.filter((r) => r.status !== undefined && r.status !== 'safe').length,
    noSafePathHandled: rows.filter((r) => r.noSafePathHandled === true).length,
    crestWorstErrorMm: crest.length === 0 ? NaN : Math.max(...crest),
  };
}

const f = (v: number | undefined, d = 1): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

/** The evaluation table (the committed golden text): no timings, so that it is reproducible. */
export function formatPlanEval(rows: readonly PlanEvalRow[]): string {
  const head = 'seed | level side | rule                                      | expected        | outcome         | ok | status               | plans | margin | limited by      | entry mm | coronal° | axial° | depth | truth hits | crest truth/meas | IL window mm     | no safe path: foraminoplasty mm, closest candidate enters';
  const lines = [head, '-'.repeat(head.length)];
  for (const r of rows) {
    const b = r.best;
    lines.push([
      String(r.case.seed).padStart(4),
      `${r.case.level.padEnd(5)} ${r.case.side.padEnd(5)}`,
      r.case.rule.padEnd(41),
      r.case.expect.padEnd(15),
      r.outcome.padEnd(15),
      r.approachOk ? 'ok' : '✗ ',
      (r.status ?? '—').padEnd(20),
      String(r.plans).padStart(5),
      f(b?.marginMm).padStart(6),
      (b?.limiting ?? '—').padEnd(15),
      f(b?.entryFromMidlineMm, 0).padStart(8),
      f(b?.fromCoronalDeg, 0).padStart(8),
      f(b?.toAxialDeg, 0).padStart(6),
      f(b?.lengthMm, 0).padStart(5),
      `${r.truthIntersections}${r.intersected.length > 0 ? ` (${r.intersected.join(',')})` : ''}`.padStart(10),
      (r.crest !== undefined ? `${f(r.crest.truthMm)}/${f(r.crest.measuredMm)}` : '—').padEnd(16),
      (r.window ?? '—').padEnd(16),
      r.status !== undefined && r.status !== 'safe' ? `${f(r.foraminoplastyOptionMm)}; ${r.closestTruthHits?.join(',') || 'none (margin/Kambin/entry constraints)'}` : '',
    ].join(' | '));
  }
  const s = summarisePlanEval(rows);
  lines.push('');
  lines.push(`${s.cases} cases: approach as the reference rules say in ${s.approachAgreement}/${s.cases}; ${s.acceptedPlans} accepted cannulas, ${s.truthIntersections} keep-out voxels of the truth label map inside them; ` +
    `${s.noSafePath} without a safe transforaminal path, the alternative proposed in ${s.noSafePathHandled}; iliac crest height within ${f(s.crestWorstErrorMm)} mm of the truth`);
  return lines.join('\n');
}
