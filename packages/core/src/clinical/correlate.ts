import { classifyFinding, type FindingConcordance } from './concordance.ts';
import { resolveSettings, type CorrelationSettings } from './correlation-settings.ts';
import type { ClinicalExam } from './exam.ts';
import { findingEffect } from './finding-effects.ts';
import type { ImagingFindings } from './findings.ts';
import { implicateRoots, type ImplicatedRoot } from './implicate-roots.ts';
import { levelCandidates, type LevelZoneCandidate } from './level-candidates.ts';
import { isVariantNumbering, STANDARD_NUMBERING, type SpineNumbering } from './spine-numbering.ts';
import { assessUrgency, type Urgency } from './urgency.ts';
import { validateExam } from './validate-exam.ts';
import { validateFindings } from './validate-findings.ts';

export const DECISION_SUPPORT_NOTICE = 'Keyhole supports decisions; it does not replace clinical judgement. Check every suggestion against the patient and the images.';

export interface CorrelateOptions {
  /** The examination: a validated `ClinicalExam` or parsed JSON (validated here, every bad field reported). */
  readonly exam: ClinicalExam | unknown;
  /** Imaging findings, validated `ImagingFindings` or parsed JSON; absent: the correlation is clinical only. */
  readonly findings?: ImagingFindings | unknown;
  /** Overrides of the settings (correlation-settings.ts). */
  readonly settings?: Partial<CorrelationSettings>;
}

export interface CorrelationResult {
  readonly schemaVersion: 1;
  readonly notice: string;
  readonly exam: ClinicalExam;
  /** Implicated roots, most likely first, with their evidence. */
  readonly roots: readonly ImplicatedRoot[];
  readonly upperMotorNeuronSigns: readonly string[];
  /** Level–zone–side candidates, most likely first. */
  readonly candidates: readonly LevelZoneCandidate[];
  /** Each imaging finding, concordant, partly concordant or incidental, with reasons (empty without findings). */
  readonly findings: readonly FindingConcordance[];
  readonly urgency: Urgency;
  /** The level count used and how sure it is. */
  readonly numbering: SpineNumbering & { readonly note: string };
  readonly notes: readonly string[];
  readonly settings: CorrelationSettings;
}

function numberingOf(findings: ImagingFindings | undefined): SpineNumbering & { note: string } {
  const given = findings?.numbering;
  if (given === undefined) {
    return { ...STANDARD_NUMBERING, note: 'level count not supplied: five lumbar vertebrae assumed; counting down from C2 on whole-spine imaging is the gold standard [Lian2018]' };
  }
  const numbering: SpineNumbering = { lumbarCount: given.lumbarCount, countVerified: given.countVerified, source: 'input', ...(given.transitional !== undefined ? { transitional: given.transitional } : {}) };
  const parts = [`${given.lumbarCount} lumbar vertebrae`];
  if (given.transitional !== undefined) parts.push(`${given.transitional.kind} ${given.transitional.vertebra}${given.transitional.castellvi !== undefined ? ` (Castellvi ${given.transitional.castellvi})` : ''}`);
  parts.push(given.countVerified ? 'count verified from C2 [Lian2018]' : 'count NOT verified from C2: lumbar MRI alone misnumbers 14.1% [Tokgoz2014], so neighbouring levels are kept as candidates');
  if (isVariantNumbering(numbering)) parts.push('variant anatomy: dermatomes may be variant [Peker], so shifted roots are kept as candidates');
  return { ...numbering, note: parts.join('; ') };
}

/**
 * MRI–clinical correlation (issue 6): symptoms and signs → implicated roots (clinical reference §1);
 * roots → level–zone–side candidates in the patient's own numbering (§2, §9); each imaging finding →
 * concordant, partly concordant or incidental; urgency with its reason (§6b). Pure: no I/O.
 */
export function correlate(options: CorrelateOptions): CorrelationResult {
  const exam = validateExam(options.exam);
  const findings = options.findings === undefined ? undefined : validateFindings(options.findings);
  const settings = resolveSettings(options.settings);
  const numbering = numberingOf(findings);
  const effects = (findings?.findings ?? []).map((finding) => ({ finding, effect: findingEffect(finding, numbering, settings) }));

  const implicated = implicateRoots({ exam, settings });
  const urgency = assessUrgency({ exam, findings: effects, settings });
  const myelopathy = implicated.upperMotorNeuronSigns.some((s) => /Hoffmann|Babinski/.test(s)) || exam.complaint === 'myelopathy';
  const candidates = levelCandidates({
    roots: implicated.roots,
    numbering,
    settings,
    findings: findings === undefined ? undefined : effects,
    centralSyndromes: { caudaEquina: urgency.caudaEquinaSuspected, claudication: exam.complaint === 'neurogenic-claudication', myelopathy },
  });
  const concordance = effects.map(({ finding, effect }, index) =>
    classifyFinding(index, finding, effect, {
      exam, roots: implicated.roots, upperMotorNeuronSigns: implicated.upperMotorNeuronSigns, caudaEquinaSuspected: urgency.caudaEquinaSuspected, numbering, settings,
    }));

  const notes = [...implicated.notes];
  if (findings === undefined) notes.push('no imaging findings given: candidates come from the examination alone');
  else if (!concordance.some((c) => c.concordance === 'concordant') && implicated.roots.length > 0) {
    const partly = concordance.filter((c) => c.concordance === 'partly-concordant').map((c) => `#${c.index + 1}`);
    notes.push(partly.length > 0
      ? `no imaging finding is fully concordant; ${partly.join(', ')} ${partly.length === 1 ? 'is' : 'are'} partly concordant: weigh the reasons given before choosing a level`
      : 'no imaging finding is concordant with the examination: review the images at the candidate levels and reconsider the diagnosis');
  }
  if (urgency.caudaEquinaSuspected) notes.push('suspected cauda equina syndrome: route out of elective planning [AJEM]');
  return {
    schemaVersion: 1,
    notice: DECISION_SUPPORT_NOTICE,
    exam,
    roots: implicated.roots,
    upperMotorNeuronSigns: implicated.upperMotorNeuronSigns,
    candidates,
    findings: concordance,
    urgency,
    numbering,
    notes,
    settings,
  };
}
