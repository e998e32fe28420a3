import type { CorrelationSettings } from './correlation-settings.ts';
import type { ClinicalExam } from './exam.ts';
import type { FindingEffect } from './finding-effects.ts';
import type { ImagingFinding } from './findings.ts';
import type { ImplicatedRoot } from './implicate-roots.ts';
import { anatomicalRoots, discRoots, neighbouringDiscs, type SpineNumbering } from './spine-numbering.ts';

export type Concordance = 'concordant' | 'partly-concordant' | 'incidental';

export interface FindingConcordance {
  /** Index in the findings list. */
  readonly index: number;
  readonly finding: ImagingFinding;
  readonly concordance: Concordance;
  /** Why, in words, with the sources. */
  readonly reasons: readonly string[];
  /** Roots the finding can compress, e.g. `L5 left (traversing)`. */
  readonly affects: readonly string[];
  /** 0–1 compressiveness from the finding's grades. */
  readonly strength: number;
  /** Low confidence, or a red flag for review. */
  readonly needsReview: boolean;
}

export interface ConcordanceOptions {
  readonly exam: ClinicalExam;
  readonly roots: readonly ImplicatedRoot[];
  readonly upperMotorNeuronSigns: readonly string[];
  readonly caudaEquinaSuspected: boolean;
  readonly numbering: SpineNumbering;
  readonly settings: CorrelationSettings;
}

/** Likelihood that anatomical `root` on `side` is the symptomatic one, and through which mapping. */
function rootLikelihood(root: string, side: 'left' | 'right', options: ConcordanceOptions): { likelihood: number; shifted: boolean } {
  let likelihood = 0;
  let shifted = false;
  for (const implicated of options.roots) {
    const sideCovers = implicated.side === side || implicated.side === 'bilateral' || implicated.side === 'unspecified';
    if (!sideCovers) continue;
    for (const anatomical of anatomicalRoots(implicated.root, options.numbering, options.settings.transitionalShiftShare)) {
      if (anatomical.root !== root) continue;
      likelihood += implicated.likelihood * anatomical.share;
      if (anatomical.basis === 'transitional-shift') shifted = true;
    }
  }
  return { likelihood, shifted };
}

const RED_FLAG_MATCH: Record<string, readonly string[]> = {
  'suspected-tumour': ['cancer-history', 'weight-loss', 'night-pain'],
  'suspected-infection': ['fever', 'night-pain'],
  fracture: ['major-trauma'],
};

/**
 * Marks one finding concordant, partly concordant or incidental against the examination, with reasons.
 * Concordant: it compresses (strength ≥ setting) a root the examination implicates (likelihood ≥
 * setting) on the symptomatic side, or the cord / cauda equina / central canal in the matching central
 * syndrome. Partly: right root but weak or central, a less likely root, a transitional re-mapping, or a
 * neighbouring level when the count is unverified. Incidental: anything else.
 */
export function classifyFinding(index: number, finding: ImagingFinding, effect: FindingEffect, options: ConcordanceOptions): FindingConcordance {
  const { settings, exam } = options;
  const affects = effect.roots.map((r) => `${r.root} ${r.side} (${r.role})`);
  const lowConfidence = finding.confidence < settings.reviewConfidence;
  const base = { index, finding, affects: [...new Set(affects)], strength: effect.strength };
  const reasons: string[] = [];
  if (lowConfidence) reasons.push(`confidence ${finding.confidence} < ${settings.reviewConfidence}: needs review`);
  const done = (concordance: Concordance, why: readonly string[], review = false): FindingConcordance => ({
    ...base, concordance, reasons: [...why, ...effect.strengthReasons, ...reasons], needsReview: review || lowConfidence || finding.needsReview === true,
  });

  if (effect.review !== undefined) {
    const matches = (RED_FLAG_MATCH[finding.kind === 'red-flag' ? finding.flag : 'fracture'] ?? []).filter((f) => exam.redFlags.includes(f as never));
    const cordMatch = finding.kind === 'red-flag' && finding.flag === 'cord-signal' && options.upperMotorNeuronSigns.length > 0;
    if (matches.length > 0 || cordMatch) return done('partly-concordant', [`${effect.review}; fits the clinical ${cordMatch ? 'upper motor neuron signs' : `red flag${matches.length > 1 ? 's' : ''} ${matches.join(', ')}`}`], true);
    return done('incidental', [`${effect.review}; no matching clinical red flag`], true);
  }
  if (effect.roots.length === 0) return done('incidental', ['compresses no nerve root']);

  const strong = effect.strength >= settings.concordantFindingStrength;
  if (effect.centralStructure === 'cord' && (options.upperMotorNeuronSigns.length > 0 || exam.complaint === 'myelopathy')) {
    return done(strong ? 'concordant' : 'partly-concordant', [`central cervical compression of the cord at ${finding.level} fits ${options.upperMotorNeuronSigns.length > 0 ? options.upperMotorNeuronSigns.join(', ') : 'the myelopathic complaint'} [Dimitriu, Radiopaedia-Kang]${strong ? '' : ' (mild)'}`]);
  }
  if (effect.centralStructure === 'cauda-equina' && options.caudaEquinaSuspected) {
    return done(strong ? 'concordant' : 'partly-concordant', [`central compression at ${finding.level} fits the suspected cauda equina syndrome [AJEM, MSU]${strong ? '' : ' (mild)'}`]);
  }
  if (finding.kind === 'central-stenosis' && exam.complaint === 'neurogenic-claudication' && effect.centralStructure === 'cauda-equina') {
    return done(strong ? 'concordant' : 'partly-concordant', [`central canal stenosis at ${finding.level} fits neurogenic claudication [Hamanishi 1994, Schönström 1988]${strong ? '' : ' (mild)'}`]);
  }

  let best: { root: string; side: 'left' | 'right'; role: string; weight: number; likelihood: number; shifted: boolean } | undefined;
  let contralateral = 0;
  for (const r of effect.roots) {
    const { likelihood, shifted } = rootLikelihood(r.root, r.side, options);
    if (best === undefined || likelihood * r.weight > best.likelihood * best.weight) best = { ...r, likelihood, shifted };
    const other = rootLikelihood(r.root, r.side === 'left' ? 'right' : 'left', options);
    contralateral = Math.max(contralateral, other.likelihood);
  }
  if (best !== undefined && best.likelihood >= settings.concordantRootLikelihood) {
    const what = `${best.root} ${best.side} (${best.role}), implicated by the examination (likelihood ${best.likelihood.toFixed(2)})`;
    const lateralised = best.weight >= 0.75;
    if (strong && lateralised && !best.shifted) return done('concordant', [`hits ${what} [Witek, MRCS]`]);
    // A central finding presses on several roots [Radiopaedia-Nom]: it fits bilateral symptoms, not a one-sided pattern alone.
    if (strong && !lateralised && !best.shifted && exam.side === 'bilateral') return done('concordant', [`central: presses on ${best.root} on both sides, fitting the bilateral symptoms [Radiopaedia-Nom]`]);
    const why: string[] = [];
    if (!strong) why.push(`hits ${what} but is mild (strength ${effect.strength.toFixed(2)} < ${settings.concordantFindingStrength})`);
    if (!lateralised) why.push(`central: presses on ${what} among several roots, not lateralised [Radiopaedia-Nom]`);
    if (best.shifted) why.push(`hits ${what} only through the transitional re-mapping of the dermatomes [Peker]`);
    return done('partly-concordant', why);
  }
  if (best !== undefined && best.likelihood > 0.02) {
    return done('partly-concordant', [`hits ${best.root} ${best.side} (${best.role}), a less likely root for these symptoms (likelihood ${best.likelihood.toFixed(2)})`]);
  }
  if (contralateral >= settings.concordantRootLikelihood) {
    return done('incidental', [`hits ${affects.join(', ')}: the symptoms are on the other side`]);
  }
  // Level count not verified: a compressive finding one level off may be the culprit misnumbered [Tokgoz2014].
  if (strong && options.numbering.source === 'input' && !options.numbering.countVerified && effect.actsAt !== undefined) {
    for (const neighbour of neighbouringDiscs(effect.actsAt, options.numbering)) {
      const at = discRoots(neighbour, options.numbering);
      for (const r of effect.roots) {
        const shiftedRoot = r.role === 'traversing' ? at.traversing : at.exiting;
        if (shiftedRoot !== undefined && rootLikelihood(shiftedRoot, r.side, options).likelihood >= settings.concordantRootLikelihood) {
          return done('partly-concordant', [`would hit ${shiftedRoot} ${r.side}, the implicated root, if the unverified level count is off by one (${effect.actsAt} read as ${neighbour}) [Tokgoz2014]`]);
        }
      }
    }
  }
  const implicated = options.roots.slice(0, 2).map((r) => `${r.root} ${r.side}`).join(', ');
  return done('incidental', [`hits ${affects.join(', ')}; the examination implicates ${implicated.length > 0 ? implicated : 'no root'}`]);
}
