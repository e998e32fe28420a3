/**
 * Approach selection (issue 7): transforaminal endoscopic, interlaminar endoscopic, microdiscectomy (tubular,
 * microscopic or open), fusion, or an emergency route out of elective planning, from the findings at the level,
 * the iliac crest, the foramen, the interlaminar window, clinical flags and — when planned — whether a safe
 * transforaminal path exists. Every rule cites its tag in `/work/shared/clinical-reference.md` (§3b, §6, §6b);
 * thresholds the reference leaves unconfirmed are `PlanSettings` (settings.ts).
 *
 * Levels: the reference's "L5–S1" rules are applied to the lumbosacral disc (the disc above the sacrum: L6-S1
 * in a six-lumbar spine), and "L4–5 or L5–S1" to the two lowest lumbar discs; "L1–L5" to the discs above them.
 */
import type { DiscHerniationFinding, ImagingFindings } from '../clinical/findings.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { IliacCrestMeasurement } from './iliac-crest.ts';
import { resolvePlanSettings, UNCONFIRMED_PLAN_SETTINGS, type PlanSettings } from './settings.ts';
import type { TrajectoryStatus } from './trajectory.ts';

export type Approach = 'transforaminal' | 'interlaminar' | 'microdiscectomy' | 'fusion' | 'emergency';

export const APPROACH_TITLE: Readonly<Record<Approach, string>> = {
  transforaminal: 'transforaminal endoscopic discectomy',
  interlaminar: 'interlaminar endoscopic discectomy',
  microdiscectomy: 'tubular / microscopic (open) discectomy',
  fusion: 'open decompression and fusion',
  emergency: 'emergency decompression (out of elective planning)',
};

export interface ClinicalFlags {
  /** Red flags of cauda equina syndrome [AJEM]. */
  readonly caudaEquina?: boolean;
  /** Calcified herniation (CT). */
  readonly calcified?: boolean;
  /** Prior surgery at this level (recurrent herniation). */
  readonly priorSurgery?: boolean;
}

export interface ApproachInput {
  /** Disc level, e.g. `L4-L5`, and the planned side. */
  readonly level: string;
  readonly side: Side;
  /** Discs of the model, cranial first (to know which disc is lumbosacral); default: a standard five-lumbar spine. */
  readonly discs?: readonly string[];
  readonly findings?: ImagingFindings;
  readonly iliacCrest?: IliacCrestMeasurement;
  /** Foraminal height and posterior disc height at the level and side, mm [Hasegawa]. */
  readonly foramen?: { readonly heightMm?: number; readonly posteriorDiscHeightMm?: number };
  /** Interlaminar window (mm): the widest working channel the window admits at the level. */
  readonly interlaminarWindowMm?: number;
  readonly clinical?: ClinicalFlags;
  /** Outcome of the transforaminal trajectory search, when run. */
  readonly transforaminal?: TrajectoryStatus;
  readonly settings?: Partial<PlanSettings>;
}

export interface RuleFired {
  readonly id: string;
  /** Source tag(s) in the clinical reference. */
  readonly source: string;
  /** The rule and why it applies here, in words. */
  readonly text: string;
  readonly favours?: Approach;
  /** Approaches the rule argues against. */
  readonly against?: readonly Approach[];
  /** The setting behind the rule when its value is unconfirmed. */
  readonly unconfirmedSetting?: keyof PlanSettings;
}

export interface ApproachResult {
  readonly choice: Approach;
  readonly title: string;
  /** Why, in words (the deciding rules first). */
  readonly reasons: readonly string[];
  readonly rules: readonly RuleFired[];
  /** Every other approach considered and why it was not chosen. */
  readonly alternatives: ReadonlyArray<{ readonly approach: Approach; readonly why: string }>;
  readonly warnings: readonly string[];
  /** Unconfirmed settings that took part in the decision (shown to the user as such). */
  readonly unconfirmedSettings: ReadonlyArray<{ readonly setting: string; readonly value: unknown; readonly why: string }>;
}

const STANDARD_DISCS = ['T12-L1', 'L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-S1'];

/** 0 for the lumbosacral disc, 1 for the one above, …; undefined when the level is not in `discs`. */
export function discsAboveSacrum(level: string, discs: readonly string[]): number | undefined {
  const lumbosacral = [...discs].reverse().findIndex((d) => /-S1$/.test(d));
  const ordered = lumbosacral < 0 ? discs : discs.slice(0, discs.length - lumbosacral);
  const index = ordered.indexOf(level);
  return index < 0 ? undefined : ordered.length - 1 - index;
}

export function selectApproach(input: ApproachInput): ApproachResult {
  const settings = resolvePlanSettings(input.settings);
  const rules: RuleFired[] = [];
  const warnings: string[] = [];
  const used = new Set<keyof PlanSettings>();
  const fire = (rule: RuleFired): RuleFired => {
    rules.push(rule);
    if (rule.unconfirmedSetting !== undefined) used.add(rule.unconfirmedSetting);
    return rule;
  };
  const findings = input.findings?.findings ?? [];
  const atLevel = findings.filter((f) => f.level === input.level);
  const herniation = atLevel
    .filter((f): f is DiscHerniationFinding => f.kind === 'disc-herniation' && f.type !== 'bulge')
    .sort((a, b) => sideRank(b.side, input.side) - sideRank(a.side, input.side) || (b.sizeMm ?? 0) - (a.sizeMm ?? 0))[0];
  const fromSacrum = discsAboveSacrum(input.level, input.discs ?? STANDARD_DISCS);
  const lumbosacral = fromSacrum === 0;
  const lowestTwo = fromSacrum !== undefined && fromSacrum <= 1;
  const intracanal = herniation !== undefined && (herniation.zone === 'central' || herniation.zone === 'subarticular');
  const highGrade = herniation?.migration?.grade === 'high';

  let decided: { approach: Approach; rule: RuleFired } | undefined;
  const decide = (approach: Approach, rule: RuleFired): void => {
    if (decided === undefined) decided = { approach, rule: fire({ ...rule, favours: approach }) };
    else fire({ ...rule, favours: approach });
  };

  // 1. Red flags route out of elective planning [AJEM].
  if (input.clinical?.caudaEquina === true) {
    decide('emergency', { id: 'cauda-equina', source: 'AJEM', text: 'cauda equina syndrome is a surgical emergency: route out of elective planning' });
  }
  // 2. Instability [JTSS2024]; spondylolisthesis as a formal contraindication is unconfirmed (setting).
  const slip = atLevel.find((f) => f.kind === 'spondylolisthesis');
  if (slip?.kind === 'spondylolisthesis' && settings.slipContraindicates && slip.slipPercent >= settings.slipPercentThreshold) {
    decide('fusion', {
      id: 'instability', source: 'JTSS2024; §6b unconfirmed',
      text: `spondylolisthesis of ${slip.slipPercent.toFixed(0)}% at ${input.level} (≥ ${settings.slipPercentThreshold}%): vertebral instability contraindicates endoscopic discectomy [JTSS2024]`,
      against: ['transforaminal', 'interlaminar'], unconfirmedSetting: 'slipContraindicates',
    });
    used.add('slipPercentThreshold');
  }
  // 3. Calcified herniation: formal contraindication unconfirmed (setting).
  if (input.clinical?.calcified === true && settings.calcifiedContraindicates) {
    decide('microdiscectomy', { id: 'calcified', source: '§6b unconfirmed', text: 'calcified herniation: endoscopic removal is treated as contraindicated (setting; unconfirmed in the reference)', against: ['transforaminal', 'interlaminar'], unconfirmedSetting: 'calcifiedContraindicates' });
  }
  // 4. Central herniation with > 50% canal compromise → consider open surgery (endoscopic failure 15%) [Lee2006].
  const stenosis = atLevel.find((f) => f.kind === 'central-stenosis');
  const compromise = herniation?.canalCompromisePercent ?? (stenosis?.kind === 'central-stenosis' && stenosis.lurie === 'severe' ? 67 : undefined);
  if (compromise !== undefined && compromise > settings.openCanalCompromisePercent && (herniation === undefined || herniation.zone === 'central' || stenosis !== undefined)) {
    decide('microdiscectomy', {
      id: 'canal-compromise', source: 'Lee2006',
      text: `canal compromise ${herniation?.canalCompromisePercent !== undefined ? `${compromise.toFixed(0)}%` : 'severe (Lurie > 2/3 of the sac area)'} > ${settings.openCanalCompromisePercent}%: consider open surgery, endoscopic failure ~15% [Lee2006]`,
      against: ['transforaminal', 'interlaminar'],
    });
  }
  // 5. High-grade migration [Lee2006] vs [BMC2020].
  if (highGrade) {
    if (settings.openForHighGradeMigration) {
      decide('microdiscectomy', { id: 'high-grade-open', source: 'Lee2006', text: 'high-grade migration: open surgery first (setting), endoscopic failure 15.7% [Lee2006]', unconfirmedSetting: 'openForHighGradeMigration' });
    } else {
      warnings.push('high-grade migration: endoscopic failure 15.7% vs 2.7% non-migrated [Lee2006]; consider open surgery if the fragment cannot be reached');
      used.add('openForHighGradeMigration');
    }
  }
  // 6. Zone and level.
  if (herniation !== undefined && (herniation.zone === 'foraminal' || herniation.zone === 'extraforaminal')) {
    decide('transforaminal', { id: 'foraminal-zone', source: 'MIS2017, Pruttikul', text: `${herniation.zone} herniation: the transforaminal (posterolateral) route reaches it directly` });
  }
  if (lumbosacral && intracanal) {
    const crestHigh = input.iliacCrest?.highByChoi === true;
    const h = input.foramen?.heightMm, pdh = input.foramen?.posteriorDiscHeightMm;
    const foraminalFinding = atLevel.find((f) => f.kind === 'foraminal-stenosis' && (f.side === input.side || f.side === 'bilateral'));
    const smallForamen = (h !== undefined && h <= settings.smallForamenHeightMm) || (pdh !== undefined && pdh <= settings.smallPosteriorDiscHeightMm) ||
      (foraminalFinding?.kind === 'foraminal-stenosis' && (foraminalFinding.lee ?? 0) >= 2);
    const largeMigrated = herniation.migration !== undefined && (herniation.sizeMm ?? 0) >= settings.largeFragmentMm;
    const why = [
      crestHigh ? `high iliac crest (apex ${input.iliacCrest!.aboveMidPedicleMm.toFixed(1)} mm above the middle of the ${input.iliacCrest!.lastLumbar.vertebra} pedicle [HIC-Def]${input.iliacCrest!.songGroup !== undefined ? `, Song group ${input.iliacCrest!.songGroup} [Song2021]` : ''})` : undefined,
      smallForamen ? `small foramen (${h !== undefined ? `height ${h.toFixed(1)} mm ≤ ${settings.smallForamenHeightMm}` : pdh !== undefined ? `posterior disc height ${pdh.toFixed(1)} mm ≤ ${settings.smallPosteriorDiscHeightMm}` : 'foraminal stenosis Lee grade ≥ 2'} [Hasegawa])` : undefined,
      largeMigrated ? `large migrated fragment (${(herniation.sizeMm ?? 0).toFixed(0)} mm ≥ ${settings.largeFragmentMm} mm)` : undefined,
    ].filter((x): x is string => x !== undefined);
    if (smallForamen) used.add('smallForamenHeightMm');
    if (largeMigrated) used.add('largeFragmentMm');
    if (why.length > 0) {
      decide('interlaminar', { id: 'l5s1-intracanal', source: 'Choi 2006', text: `intracanal herniation at the lumbosacral disc ${input.level} with ${why.join(', ')}: interlaminar favoured`, against: ['transforaminal'] });
    }
  }
  if (highGrade && herniation !== undefined) {
    if (lowestTwo) decide('interlaminar', { id: 'high-grade-low-level', source: 'BMC2020', text: `high-grade migration at ${input.level} (one of the two lowest lumbar discs): interlaminar favoured`, against: ['transforaminal'] });
    else decide('transforaminal', { id: 'high-grade-upper-level', source: 'BMC2020', text: `high-grade migration at ${input.level} (L1–L5): transforaminal reported effective and safe` });
  }
  if (herniation !== undefined && herniation.migration?.grade === 'low' && herniation.migration !== undefined) {
    warnings.push(`low-grade migration (${herniation.migration.direction}): endoscopic failure 3.7% [Lee2006]`);
  }
  if (input.clinical?.priorSurgery === true) {
    warnings.push('prior surgery at this level: scarring needs extra care against bleeding [Ahn2009]; not an absolute exclusion [JTSS2024]');
    fire({ id: 'prior-surgery', source: 'Ahn2009, JTSS2024', text: 'recurrent herniation after prior surgery: not an absolute exclusion for endoscopy, extra care against bleeding' });
  }
  if (decided === undefined) {
    decide('transforaminal', {
      id: 'default-posterolateral', source: 'MIS2017',
      text: herniation === undefined ? 'no herniation reported at the level: the posterolateral route through Kambin\'s triangle is the default endoscopic access' : `${herniation.zone} herniation at ${input.level} with no rule against it: the posterolateral route through Kambin's triangle`,
    });
  }
  let choice = decided!.approach;
  // 7. The trajectory search overrides a transforaminal choice it cannot serve.
  if (choice === 'transforaminal' && (input.transforaminal === 'no-safe-path' || input.transforaminal === 'needs-foraminoplasty')) {
    // A foraminal or extraforaminal fragment lies outside the interlaminar window's reach: open (paraspinal) surgery then.
    const lateral = herniation !== undefined && (herniation.zone === 'foraminal' || herniation.zone === 'extraforaminal');
    const next: Approach = lateral ? 'microdiscectomy' : 'interlaminar';
    const fp = input.transforaminal === 'needs-foraminoplasty';
    fire({
      id: 'no-safe-transforaminal-path', source: lateral ? 'MIS2017' : 'Choi 2006, Sousa',
      text: `no transforaminal cannula path keeps its margins${fp ? ' without foraminoplasty' : ''}${lateral ? ` and the ${herniation!.zone} fragment is out of the interlaminar window's reach: microdiscectomy is proposed` : ' (for example the iliac crest at L5–S1 blocks it [Sousa]): the interlaminar route is proposed'}`,
      favours: next, against: ['transforaminal'],
    });
    if (fp) warnings.push('a transforaminal path opens with foraminoplasty (resection of the superior articular process; 19/100 L5–S1 cases needed it [PMID26815257]): allow it in the settings to plan that route');
    choice = next;
  }
  // 8. The interlaminar window must admit the working channel (threshold unconfirmed) [Choi 2006].
  if (choice === 'interlaminar' && input.interlaminarWindowMm !== undefined && input.interlaminarWindowMm < settings.interlaminarWindowMinMm) {
    fire({ id: 'interlaminar-window', source: 'Choi 2006; threshold unconfirmed', text: `interlaminar window ${input.interlaminarWindowMm.toFixed(1)} mm < ${settings.interlaminarWindowMinMm} mm working channel`, favours: 'microdiscectomy', against: ['interlaminar'], unconfirmedSetting: 'interlaminarWindowMinMm' });
    choice = 'microdiscectomy';
  }
  const against = (a: Approach): RuleFired | undefined => rules.find((r) => r.against?.includes(a));
  const alternatives = (Object.keys(APPROACH_TITLE) as Approach[]).filter((a) => a !== choice && a !== 'emergency').map((a) => {
    const rule = against(a);
    const favoured = rules.find((r) => r.favours === a);
    const why = rule !== undefined ? `${rule.text} [${rule.source}]`
      : a === 'transforaminal' && input.transforaminal === 'no-safe-path' ? 'no safe transforaminal path'
        : favoured !== undefined ? `also supported (${favoured.text} [${favoured.source}]) but a rule earlier in the order decided`
          : a === 'fusion' ? 'no instability reported'
            : a === 'microdiscectomy' ? 'an endoscopic route is possible; open surgery is the fallback'
              : `not favoured by any rule at ${input.level}`;
    return { approach: a, why };
  });
  const deciding = rules.filter((r) => r.favours === choice);
  return {
    choice,
    title: APPROACH_TITLE[choice],
    reasons: deciding.map((r) => `${r.text} [${r.source}]`),
    rules,
    alternatives,
    warnings,
    unconfirmedSettings: [...used].map((s) => ({ setting: s, value: settings[s], why: UNCONFIRMED_PLAN_SETTINGS.find((u) => u.setting === s)?.why ?? 'unconfirmed' })),
  };
}

function sideRank(side: DiscHerniationFinding['side'], planned: Side): number {
  return side === planned ? 2 : side === 'midline' || side === 'bilateral' ? 1 : 0;
}
