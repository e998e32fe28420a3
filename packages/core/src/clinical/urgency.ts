import type { CorrelationSettings } from './correlation-settings.ts';
import type { ClinicalExam } from './exam.ts';
import type { FindingEffect } from './finding-effects.ts';
import type { ImagingFinding } from './findings.ts';

export type UrgencyLevel = 'emergency' | 'urgent' | 'elective';

export interface UrgencyReason {
  readonly level: UrgencyLevel;
  readonly reason: string;
  readonly source: string;
}

export interface Urgency {
  readonly level: UrgencyLevel;
  /** Every reason found, most urgent first; the first one decides `level`. */
  readonly reasons: readonly UrgencyReason[];
  /** Suspected cauda equina syndrome: a surgical emergency, routed out of elective planning [AJEM]. */
  readonly caudaEquinaSuspected: boolean;
  /** False when the case must leave elective (endoscopic) planning: suspected CES [AJEM, JTSS2024]. */
  readonly electivePlanningAllowed: boolean;
}

export interface AssessUrgencyOptions {
  readonly exam: ClinicalExam;
  readonly findings: readonly { readonly finding: ImagingFinding; readonly effect: FindingEffect }[];
  readonly settings: CorrelationSettings;
}

const RANK: Record<UrgencyLevel, number> = { emergency: 0, urgent: 1, elective: 2 };

/**
 * How soon the patient must be seen, and why (clinical reference §6b and the red flags of issue 6).
 * Emergency: suspected cauda equina syndrome, or a rapidly progressive deficit. Urgent: other red
 * flags (possible infection, tumour, fracture), myelopathy, severe or progressive weakness, imaging red
 * flags. Elective otherwise.
 */
export function assessUrgency(options: AssessUrgencyOptions): Urgency {
  const { exam, findings, settings } = options;
  const reasons: UrgencyReason[] = [];
  const flags = new Set(exam.redFlags);
  const add = (level: UrgencyLevel, reason: string, source: string): void => {
    reasons.push({ level, reason, source });
  };

  // --- cauda equina syndrome [AJEM]: bilateral sciatica, saddle numbness, painless urinary retention, loss of anal tone.
  const sphincterOrSaddle = (['saddle-anesthesia', 'urinary-retention', 'fecal-incontinence'] as const).filter((f) => flags.has(f));
  let ces = false;
  if (sphincterOrSaddle.length > 0) {
    ces = true;
    add('emergency', `suspected cauda equina syndrome: ${sphincterOrSaddle.join(', ')}${flags.has('bilateral-leg-symptoms') ? ' with bilateral leg symptoms' : ''}; a surgical emergency, not for elective planning`, '[AJEM]');
  }
  const bilateral = flags.has('bilateral-leg-symptoms') || (exam.side === 'bilateral' && exam.complaint === 'radicular');
  // A large central lumbar herniation with bilateral symptoms: > 50% canal compromise [Lee2006] or MSU 3-A, often seen with cauda equina [MSU].
  const bigCentral = findings.find(({ finding, effect }) =>
    finding.kind === 'disc-herniation' && effect.centralStructure === 'cauda-equina' &&
    ((finding.canalCompromisePercent ?? 0) > settings.centralCanalCompromisePercent || (finding.msu?.size === 3 && finding.msu.location === 'A')));
  if (!ces && bilateral && bigCentral !== undefined) {
    ces = true;
    add('emergency', `suspected cauda equina syndrome: bilateral leg symptoms with a large central herniation at ${bigCentral.finding.level}; check saddle sensation, bladder and anal tone now`, '[AJEM, MSU, Lee2006]');
  }
  if (!ces && flags.has('bilateral-leg-symptoms')) {
    if (settings.bilateralSciaticaAloneIsEmergency) {
      ces = true;
      add('emergency', 'bilateral sciatica, a cauda equina red flag (setting bilateralSciaticaAloneIsEmergency)', '[AJEM]');
    } else add('urgent', 'bilateral leg symptoms are a cauda equina red flag: ask about saddle sensation, bladder and bowel, and examine them', '[AJEM]');
  }

  // --- progressive deficit
  const grades = Object.entries(exam.weakness).filter(([, g]) => g !== undefined && g < 5) as Array<[string, number]>;
  const weakest = grades.reduce<[string, number] | undefined>((w, g) => (w === undefined || g[1] < w[1] ? g : w), undefined);
  if (flags.has('progressive-weakness')) {
    if (weakest !== undefined && weakest[1] <= settings.progressiveDeficitEmergencyMrc) {
      add('emergency', `rapidly progressive deficit: progressive weakness with ${weakest[0]} at MRC ${weakest[1]} (≤ ${settings.progressiveDeficitEmergencyMrc}, setting progressiveDeficitEmergencyMrc)`, 'issue 6 (threshold unconfirmed)');
    } else add('urgent', `progressive weakness${weakest !== undefined ? ` (${weakest[0]} MRC ${weakest[1]})` : ''}: re-examine and image soon`, 'issue 6 (threshold unconfirmed)');
  } else if (weakest !== undefined && weakest[1] <= settings.severeWeaknessUrgentMrc) {
    add('urgent', `severe weakness: ${weakest[0]} at MRC ${weakest[1]} (≤ ${settings.severeWeaknessUrgentMrc}, setting severeWeaknessUrgentMrc)`, 'issue 6 (threshold unconfirmed)');
  }

  // --- myelopathy: central cervical compression affects the cord [Dimitriu]; Kang 2–3 deform or signal the cord [Radiopaedia-Kang].
  const umn = [exam.reflexes.hoffmann === 'positive' ? 'Hoffmann positive' : '', exam.reflexes.babinski === 'positive' ? 'Babinski positive' : ''].filter((s) => s !== '');
  if (umn.length > 0 || exam.complaint === 'myelopathy') {
    add('urgent', `signs of myelopathy (${umn.length > 0 ? umn.join(', ') : 'myelopathic complaint'}): cord compression needs prompt assessment`, '[Dimitriu]');
  }
  for (const { finding } of findings) {
    if (finding.kind === 'central-stenosis' && (finding.kang ?? 0) >= 2) add('urgent', `cord deformed or with signal change at ${finding.level} (Kang ${finding.kang})`, '[Radiopaedia-Kang]');
  }

  // --- other red flags: possible infection, tumour or fracture (issue 6 red flags; as formal contraindications unconfirmed, §6b).
  const systemic = (['fever', 'weight-loss', 'cancer-history', 'major-trauma', 'night-pain'] as const).filter((f) => flags.has(f));
  if (systemic.length > 0) add('urgent', `red flags for infection, tumour or fracture (${systemic.join(', ')}): work them up before elective planning`, 'issue 6 red flags; §6b (as contraindications: unconfirmed)');
  for (const { finding, effect } of findings) {
    if (effect.review !== undefined) add('urgent', `imaging ${effect.review} at ${finding.level}`, 'issue 6 imaging red flags');
  }

  if (reasons.length === 0) add('elective', 'no red flag, no severe or progressive deficit: elective assessment', '§6b');
  reasons.sort((a, b) => RANK[a.level] - RANK[b.level]);
  const level = reasons[0]?.level ?? 'elective';
  return { level, reasons, caudaEquinaSuspected: ces, electivePlanningAllowed: !ces };
}
