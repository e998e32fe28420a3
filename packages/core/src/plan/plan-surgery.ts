/**
 * The surgical plan for one level and side (issue 7): refusals first (an unconfirmed level count, a level the
 * model lacks, a target outside the body), then the transforaminal trajectory search, the iliac crest, and the
 * approach rules with the search's outcome — so that "no safe transforaminal path" proposes the alternative.
 * Input: a label map + legend in the phantom vocabulary (any segmentation), optional findings and clinical flags.
 */
import type { ImagingFindings } from '../clinical/findings.ts';
import { KeyholeError } from '../errors/keyhole-error.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { LegendInput } from '../findings/label-map.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';
import { selectApproach, type ApproachResult, type ClinicalFlags } from './approach.ts';
import { measureIliacCrest, type IliacCrestMeasurement } from './iliac-crest.ts';
import { buildPlanAnatomy, resolveDiscLevel } from './plan-anatomy.ts';
import { resolvePlanSettings, type PlanSettings } from './settings.ts';
import { planTrajectory, type Trajectory, type TrajectoryResult } from './trajectory.ts';

/** What the planner knows of the vertebral numbering (clinical reference §9). */
export interface LevelCountState {
  /** The numbering is verified (count from C2, corroborating cues) or was confirmed by the surgeon. */
  readonly verified: boolean;
  /** Where that comes from, in words (`keyhole segment level count`, `phantom truth`, `confirmed by the surgeon`). */
  readonly source: string;
}

export interface SurgicalPlanOptions {
  readonly labels: Volume;
  readonly legend: LegendInput;
  readonly level: string;
  readonly side: Side;
  readonly levelCount: LevelCountState;
  readonly target?: Vec3;
  readonly findings?: ImagingFindings;
  readonly clinical?: ClinicalFlags;
  readonly foramen?: { readonly heightMm?: number; readonly posteriorDiscHeightMm?: number };
  /** Interlaminar window (mm) when measured elsewhere; default: measured on the label map (interlaminar.ts). */
  readonly interlaminarWindowMm?: number;
  readonly settings?: Partial<PlanSettings>;
}

export interface SurgicalPlan {
  readonly schemaVersion: 1;
  readonly space: 'LPS';
  readonly units: 'mm';
  readonly level: string;
  readonly side: Side;
  readonly levelCount: LevelCountState;
  readonly approach: ApproachResult;
  /** The best transforaminal plan's skin entry and target (what `keyhole drr --plan` draws); absent when none is safe. */
  readonly entry?: Vec3;
  readonly target: Vec3;
  readonly best?: Trajectory;
  readonly trajectory: Omit<TrajectoryResult, 'settings'>;
  readonly iliacCrest?: IliacCrestMeasurement;
  readonly warnings: readonly string[];
  readonly settings: PlanSettings;
}

const LUMBOSACRAL = /-S1$/;

export function planSurgery(options: SurgicalPlanOptions): SurgicalPlan {
  const settings = resolvePlanSettings(options.settings);
  if (!options.levelCount.verified && !settings.allowUnverifiedLevelCount) {
    throw new KeyholeError('PLAN_LEVEL_COUNT_UNCONFIRMED', {
      path: 'levelCount',
      message: `the vertebral numbering is not verified (${options.levelCount.source}); a plan at ${options.level} could be at the wrong level (lumbar imaging alone misnumbers 14.1% [Tokgoz2014]). Confirm the count from C2 or intra-operatively, then plan again marking it confirmed`,
      details: { level: options.level, source: options.levelCount.source },
    });
  }
  const anatomy = buildPlanAnatomy(options.labels, options.legend);
  const level = resolveDiscLevel(anatomy, options.level);
  const trajectory = planTrajectory({ labels: options.labels, legend: options.legend, level: level.name, side: options.side, anatomy, settings, ...(options.target !== undefined ? { target: options.target } : {}) });
  const crest = LUMBOSACRAL.test(level.name) ? measureIliacCrest(anatomy, { side: options.side, highCrestAboveMidPedicleMm: settings.highCrestAboveMidPedicleMm }) : undefined;
  const discs = [...anatomy.namesPresent].filter((n) => /^([CTL]\d+|S1)-([CTL]\d+|S\d)$/.test(n)).sort((a, b) => order(a) - order(b));
  const approach = selectApproach({
    level: level.name,
    side: options.side,
    discs,
    transforaminal: trajectory.status,
    settings,
    ...(options.findings !== undefined ? { findings: options.findings } : {}),
    ...(crest !== undefined ? { iliacCrest: crest } : {}),
    ...(options.clinical !== undefined ? { clinical: options.clinical } : {}),
    ...(options.foramen !== undefined ? { foramen: options.foramen } : {}),
    ...(options.interlaminarWindowMm !== undefined ? { interlaminarWindowMm: options.interlaminarWindowMm } : trajectory.interlaminar !== undefined ? { interlaminarWindowMm: trajectory.interlaminar.diameterMm } : {}),
  });
  const best = trajectory.plans[0];
  const warnings = [...approach.warnings];
  if (trajectory.status !== 'safe') warnings.push(trajectory.message);
  if (best !== undefined) {
    const [lo, hi] = REFERENCE_ENTRY[level.name] ?? [];
    if (lo !== undefined && hi !== undefined && (best.entryFromMidlineMm < lo || best.entryFromMidlineMm > hi)) {
      warnings.push(`skin entry ${best.entryFromMidlineMm.toFixed(0)} mm from the midline is outside the published ${lo}–${hi} mm at ${level.name} [${REFERENCE_ENTRY_SOURCE[level.name]}]`);
    }
  }
  const { settings: _omit, ...trajectoryReport } = trajectory;
  return {
    schemaVersion: 1,
    space: 'LPS',
    units: 'mm',
    level: level.name,
    side: options.side,
    levelCount: options.levelCount,
    approach,
    ...(best !== undefined ? { entry: best.entry, best } : {}),
    target: trajectory.target,
    trajectory: trajectoryReport,
    ...(crest !== undefined ? { iliacCrest: crest } : {}),
    warnings,
    settings,
  };
}

/** Published skin entry distances from the midline (mm), for the comparison in the warnings (clinical reference §7). */
const REFERENCE_ENTRY: Readonly<Record<string, readonly [number, number]>> = {
  'L5-S1': [83, 114],
  'L4-L5': [45, 140],
  'L3-L4': [32, 90],
};
const REFERENCE_ENTRY_SOURCE: Readonly<Record<string, string>> = { 'L5-S1': 'Sousa', 'L4-L5': 'Rajagopal', 'L3-L4': 'Rajagopal' };

const ORDER = ['C', 'T', 'L', 'S'];
function order(disc: string): number {
  const m = /^([CTLS])(\d+)/.exec(disc);
  return m === null ? 0 : ORDER.indexOf(m[1]!) * 100 + Number(m[2]);
}
