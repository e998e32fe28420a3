import type { CorrelationSettings } from './correlation-settings.ts';
import type { ClinicalExam } from './exam.ts';
import { isLowerLimbRegion, type ProvocationTest } from './exam-vocabulary.ts';
import { ROOT_PROFILES, type MappedRoot, type RootProfile } from './root-map.ts';

export type RootSide = 'left' | 'right' | 'bilateral' | 'unspecified';

/** One piece of evidence for (weight > 0) or against (weight < 0) a root. */
export interface RootEvidence {
  readonly kind: 'sensory-loss' | 'pain' | 'weakness' | 'reflex' | 'tension-test' | 'prior' | 'unexplained';
  /** What was found, in words: `sensory loss: dorsum-foot (key point)`. */
  readonly finding: string;
  readonly weight: number;
  readonly source: string;
}

export interface ImplicatedRoot {
  readonly root: MappedRoot;
  readonly side: RootSide;
  /** 0–1: how likely this root is the one the symptoms come from, normalised over every root of the limb(s) involved (roots not listed keep their share, so the listed ones may sum to less than 1). */
  readonly likelihood: number;
  /** Log-score: log prior + evidence weights. */
  readonly score: number;
  readonly evidence: readonly RootEvidence[];
  readonly against: readonly RootEvidence[];
}

export interface ImplicateRootsOptions {
  readonly exam: ClinicalExam;
  readonly settings: CorrelationSettings;
}

export interface ImplicateRootsResult {
  readonly roots: readonly ImplicatedRoot[];
  /** Upper motor neuron signs recorded (myelopathy): Hoffmann or Babinski positive, brisk reflexes. */
  readonly upperMotorNeuronSigns: readonly string[];
  readonly notes: readonly string[];
}

const TEST_WORDS: Record<ProvocationTest, string> = { slr: 'straight-leg raise', 'crossed-slr': 'crossed straight-leg raise', 'femoral-stretch': 'femoral stretch', spurling: 'Spurling' };

function priorOf(root: MappedRoot, settings: CorrelationSettings): { value: number; source: string } {
  if (root in settings.lumbarRootPriors) {
    const value = settings.lumbarRootPriors[root as keyof CorrelationSettings['lumbarRootPriors']];
    return { value, source: root === 'L1' || root === 'L2' ? 'unconfirmed (setting lumbarRootPriors)' : '[Sasaki]' };
  }
  const value = settings.cervicalRootPriors[root as keyof CorrelationSettings['cervicalRootPriors']];
  return { value, source: root === 'T1' ? 'unconfirmed: "rare" [RootTbl] (setting cervicalRootPriors)' : '[RootTbl; secondary]' };
}

/** Evidence for and against one root from the exam, per the clinical map (root-map.ts, clinical reference §1). */
function weighRoot(profile: RootProfile, exam: ClinicalExam, settings: CorrelationSettings): { evidence: RootEvidence[]; against: RootEvidence[] } {
  const evidence: RootEvidence[] = [];
  const against: RootEvidence[] = [];
  const label = (strength: string): string => (strength === 'key' ? 'key point' : strength === 'primary' ? 'named area' : 'neighbouring area');
  for (const entry of profile.sensory) {
    if (exam.sensoryLoss.includes(entry.region)) evidence.push({ kind: 'sensory-loss', finding: `sensory loss: ${entry.region} (${label(entry.strength)})`, weight: settings.sensoryWeight[entry.strength], source: entry.source });
  }
  for (const entry of profile.pain) {
    if (exam.painRegions.includes(entry.region)) evidence.push({ kind: 'pain', finding: `pain: ${entry.region}${entry.strength === 'secondary' ? ' (shared area)' : ''}`, weight: settings.painWeight[entry.strength], source: entry.source });
  }
  if (profile.root === 'L1' && exam.painRegions.includes('groin')) {
    evidence.push({ kind: 'pain', finding: 'pain: groin', weight: settings.l1GroinPainWeight, source: 'unconfirmed (setting l1GroinPainWeight)' });
  }
  for (const entry of profile.muscles) {
    const grade = exam.weakness[entry.movement];
    if (grade === undefined) continue;
    if (grade < 5) {
      const scale = (settings.weaknessSeverityScale as readonly number[])[grade] ?? 1;
      evidence.push({ kind: 'weakness', finding: `weakness: ${entry.movement} MRC ${grade}${entry.strength === 'key' ? ' (key muscle)' : ''}`, weight: settings.muscleWeight[entry.strength] * scale, source: entry.source });
    } else if (entry.strength === 'key') {
      against.push({ kind: 'weakness', finding: `${entry.movement} full power (key muscle)`, weight: settings.againstWeight.fullPower, source: entry.source });
    }
  }
  for (const entry of profile.reflexes) {
    const grade = exam.reflexes[entry.reflex];
    if (grade === 'reduced' || grade === 'absent') {
      const share = entry.strength === 'key' ? 1 : 0.5;
      evidence.push({ kind: 'reflex', finding: `${entry.reflex} reflex ${grade}`, weight: settings.reflexWeight[grade] * share, source: entry.source });
    } else if (grade === 'normal' && entry.strength === 'key') {
      against.push({ kind: 'reflex', finding: `${entry.reflex} reflex normal`, weight: settings.againstWeight.normalReflex, source: entry.source });
    }
  }
  for (const entry of profile.tests) {
    const result = exam.tests[entry.test];
    const weight = entry.test === 'crossed-slr' ? settings.crossedSlrWeight : entry.test === 'spurling' ? settings.spurlingWeight : settings.tensionTestWeight;
    if (result === 'positive') evidence.push({ kind: 'tension-test', finding: `${TEST_WORDS[entry.test]} positive`, weight, source: entry.source });
    else if (result === 'negative' && (entry.test === 'slr' || entry.test === 'femoral-stretch')) {
      against.push({ kind: 'tension-test', finding: `${TEST_WORDS[entry.test]} negative`, weight: settings.againstWeight.negativeTest, source: entry.source });
    }
  }
  // Signs this root does not explain count against it: without this a root with no evidence at all would
  // keep its whole prior however clearly the signs point elsewhere.
  const unexplained: string[] = [];
  let penalty = 0;
  const axial = (region: string): boolean => region === 'neck' || region === 'scapula';
  for (const region of exam.sensoryLoss) {
    if (!profile.sensory.some((e) => e.region === region)) {
      unexplained.push(`sensory loss ${region}`);
      penalty += settings.unexplainedWeight.sensory;
    }
  }
  for (const region of exam.painRegions) {
    if (!axial(region) && !profile.pain.some((e) => e.region === region) && !profile.sensory.some((e) => e.region === region) && !(profile.root === 'L1' && region === 'groin')) {
      unexplained.push(`pain ${region}`);
      penalty += settings.unexplainedWeight.pain;
    }
  }
  for (const [movement, grade] of Object.entries(exam.weakness)) {
    if (grade !== undefined && grade < 5 && !profile.muscles.some((e) => e.movement === movement)) {
      unexplained.push(`weakness ${movement}`);
      penalty += settings.unexplainedWeight.weakness * ((settings.weaknessSeverityScale as readonly number[])[grade] ?? 1);
    }
  }
  for (const reflex of ['patellar', 'achilles', 'biceps', 'brachioradialis', 'triceps'] as const) {
    const grade = exam.reflexes[reflex];
    if ((grade === 'reduced' || grade === 'absent') && !profile.reflexes.some((e) => e.reflex === reflex)) {
      unexplained.push(`${reflex} reflex ${grade}`);
      penalty += settings.unexplainedWeight.reflex;
    }
  }
  for (const [test, result] of Object.entries(exam.tests)) {
    if (result === 'positive' && !profile.tests.some((e) => e.test === test)) {
      unexplained.push(`${TEST_WORDS[test as ProvocationTest]} positive`);
      penalty += settings.unexplainedWeight.test;
    }
  }
  if (unexplained.length > 0) against.push({ kind: 'unexplained', finding: `does not explain: ${unexplained.join(', ')}`, weight: penalty, source: 'model (setting unexplainedWeight)' });
  return { evidence, against };
}

/**
 * Which roots the symptoms and signs point to (clinical reference §1), with a likelihood and the
 * evidence for each. Scores add log-prior ([Sasaki] lumbar, [RootTbl] cervical) and the evidence weights
 * times `evidenceScale` (settings). Likelihoods are the softmax of the scores over every root of the
 * limb(s) with evidence; a root is listed only when its positive evidence reaches `minimumRootEvidence`.
 */
export function implicateRoots(options: ImplicateRootsOptions): ImplicateRootsResult {
  const { exam, settings } = options;
  const notes: string[] = [];
  const all = ROOT_PROFILES.map((profile) => {
    const { evidence, against } = weighRoot(profile, exam, settings);
    const prior = priorOf(profile.root, settings);
    const positive = evidence.reduce((sum, e) => sum + e.weight, 0);
    const score = Math.log(Math.max(prior.value, 1e-6)) + settings.evidenceScale * (positive + against.reduce((sum, e) => sum + e.weight, 0));
    const priorEvidence: RootEvidence = { kind: 'prior', finding: `prior ${Math.round(prior.value * 100)}% of radiculopathies`, weight: Math.log(Math.max(prior.value, 1e-6)), source: prior.source };
    return { profile, evidence: [...evidence, priorEvidence], against, positive, score };
  });
  // Normalise over every root of the limb(s) with any evidence, listed or not: a root left out for weak
  // evidence keeps its share, so a sparse examination does not read as certain.
  const evidencedLimbs = new Set(all.filter((s) => s.positive > 0).map((s) => s.profile.limb));
  const pool = all.filter((s) => evidencedLimbs.has(s.profile.limb));
  const maxScore = Math.max(...pool.map((s) => s.score));
  const total = pool.reduce((sum, s) => sum + Math.exp(s.score - maxScore), 0);
  const side: RootSide = exam.side === 'none' ? 'unspecified' : exam.side;
  const roots: ImplicatedRoot[] = pool
    .filter((s) => s.positive >= settings.minimumRootEvidence)
    .map((s) => ({ root: s.profile.root, side, likelihood: Math.exp(s.score - maxScore) / total, score: s.score, evidence: s.evidence, against: s.against }))
    .sort((a, b) => b.likelihood - a.likelihood);

  const upperMotorNeuronSigns: string[] = [];
  if (exam.reflexes.hoffmann === 'positive') upperMotorNeuronSigns.push('Hoffmann sign positive');
  if (exam.reflexes.babinski === 'positive') upperMotorNeuronSigns.push('Babinski sign positive');
  for (const reflex of ['patellar', 'achilles', 'biceps', 'brachioradialis', 'triceps'] as const) {
    if (exam.reflexes[reflex] === 'brisk') upperMotorNeuronSigns.push(`${reflex} reflex brisk`);
  }

  const limbs = new Set([...exam.painRegions, ...exam.sensoryLoss].filter((r) => r !== 'neck' && r !== 'scapula').map((r) => (isLowerLimbRegion(r) ? 'lower' : 'upper')));
  if (roots.length === 0 && exam.complaint === 'radicular') notes.push('the examination points to no single root: record pain, sensory loss, power, reflexes and tension tests of the limb');
  if (limbs.size > 1) notes.push('symptoms in both the arm and the leg: consider a cervical (cord) cause as well as lumbar roots');
  if (exam.side === 'bilateral') notes.push('bilateral symptoms: central compression of several roots (cauda equina) is considered [Radiopaedia-Nom]');
  return { roots, upperMotorNeuronSigns, notes };
}
