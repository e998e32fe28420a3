import type { CorrelationSettings } from './correlation-settings.ts';
import type { FindingEffect } from './finding-effects.ts';
import type { FindingZone, ImagingFinding } from './findings.ts';
import type { ImplicatedRoot, RootSide } from './implicate-roots.ts';
import {
  anatomicalRoots, discExists, discBetween, isCervicalRoot, lumbosacralVertebrae, neighbouringDiscs, rootDiscs, type SpineNumbering,
} from './spine-numbering.ts';

export type CandidateBasis = 'numbering' | 'transitional-shift' | 'misnumbering' | 'central-syndrome';

/** A level–zone–side where the culprit may lie. */
export interface LevelZoneCandidate {
  /** Disc level in the patient's numbering, e.g. `L4-L5`. */
  readonly level: string;
  readonly zone: FindingZone;
  readonly side: 'left' | 'right' | 'midline';
  /** Anatomical roots hit there, e.g. `L5 (traversing)`. */
  readonly roots: readonly string[];
  /** 0–1 over all candidates: clinical prior × imaging support, normalised. */
  readonly likelihood: number;
  /** The clinical share before imaging (0–1 over all candidates). */
  readonly clinicalPrior: number;
  /** How the candidate arose: the numbering rule, a transitional shift, a possible misnumbering, a central syndrome. */
  readonly basis: readonly CandidateBasis[];
  /** The finding that supports it, when there is one: its index in the findings list and support 0–1 (strength × confidence). */
  readonly imaging?: { readonly findingIndex: number; readonly support: number };
  readonly reasons: readonly string[];
}

export interface LevelCandidatesOptions {
  readonly roots: readonly ImplicatedRoot[];
  readonly numbering: SpineNumbering;
  readonly settings: CorrelationSettings;
  readonly findings: readonly { readonly finding: ImagingFinding; readonly effect: FindingEffect }[] | undefined;
  /** Central syndromes add central candidates at every level of the region: cauda equina, claudication, myelopathy. */
  readonly centralSyndromes: { readonly caudaEquina: boolean; readonly claudication: boolean; readonly myelopathy: boolean };
}

interface Mass {
  level: string;
  zone: FindingZone;
  side: 'left' | 'right' | 'midline';
  roots: Set<string>;
  mass: number;
  basis: Set<CandidateBasis>;
  reasons: Set<string>;
}

const sidesOf = (side: RootSide): Array<['left' | 'right', number]> =>
  side === 'left' ? [['left', 1]] : side === 'right' ? [['right', 1]] : [['left', 0.5], ['right', 0.5]];

/**
 * Roots → candidate level–zone–side pairs (clinical reference §2), weighted by each root's likelihood and
 * how often each zone is the cause, then by the imaging findings that lie there.
 */
export function levelCandidates(options: LevelCandidatesOptions): LevelZoneCandidate[] {
  const { roots, numbering, settings, findings, centralSyndromes } = options;
  const masses = new Map<string, Mass>();
  const put = (level: string, zone: FindingZone, side: Mass['side'], root: string | undefined, mass: number, basis: CandidateBasis, reason: string): void => {
    if (mass <= 0 || !discExists(level, numbering)) return;
    const key = `${level}|${zone}|${side}`;
    const entry = masses.get(key) ?? { level, zone, side, roots: new Set<string>(), mass: 0, basis: new Set<CandidateBasis>(), reasons: new Set<string>() };
    entry.mass += mass;
    if (root !== undefined) entry.roots.add(root);
    entry.basis.add(basis);
    entry.reasons.add(reason);
    masses.set(key, entry);
  };

  for (const implicated of roots) {
    for (const anatomical of anatomicalRoots(implicated.root, numbering, settings.transitionalShiftShare)) {
      const p = implicated.likelihood * anatomical.share;
      const basis: CandidateBasis = anatomical.basis;
      const shifted = basis === 'transitional-shift' ? ` (transitional anatomy: the ${implicated.root} pattern may come from root ${anatomical.root} [Peker])` : '';
      const discs = rootDiscs(anatomical.root, numbering);
      for (const [side, sideShare] of sidesOf(implicated.side)) {
        const mass = p * sideShare;
        const central = implicated.side === 'bilateral' ? settings.bilateralCentralShare : 0; // central hits several roots [Radiopaedia-Nom]
        if (isCervicalRoot(anatomical.root)) {
          if (discs.exiting === undefined) continue;
          // Posterolateral and foraminal herniations at Cn–Cn+1 compress C(n+1) [SpineHealth, Mostoufi].
          const z = settings.cervicalZoneShares;
          const reason = `${anatomical.root} leaves at ${discs.exiting} [Mostoufi, SpineHealth]${shifted}`;
          put(discs.exiting, 'central', 'midline', `${anatomical.root} (cord level)`, mass * central, basis, `central ${discs.exiting}: the cord [Dimitriu]`);
          put(discs.exiting, 'subarticular', side, anatomical.root, mass * (1 - central) * z.subarticular, basis, reason);
          put(discs.exiting, 'foraminal', side, anatomical.root, mass * (1 - central) * z.foraminal, basis, reason);
          put(discs.exiting, 'extraforaminal', side, anatomical.root, mass * (1 - central) * z.extraforaminal, basis, reason);
          continue;
        }
        // Lumbar [Witek]: traversing at the disc above (paracentral/subarticular), exiting at the disc below
        // (foraminal/extraforaminal) [MRCS, Orthobullets, NSPC]; far-lateral are 7–12% [Orthobullets].
        const farLateral = discs.exiting !== undefined ? settings.farLateralShare : 0;
        if (discs.traversing !== undefined) {
          const paracentral = mass * (1 - farLateral);
          put(discs.traversing, 'central', 'midline', `${anatomical.root} (traversing, both sides)`, paracentral * central, basis, `central ${discs.traversing}: several roots [Radiopaedia-Nom]${shifted}`);
          put(discs.traversing, 'subarticular', side, `${anatomical.root} (traversing)`, paracentral * (1 - central), basis, `${anatomical.root} traverses ${discs.traversing}: paracentral/subarticular herniation [Witek, MRCS]${shifted}`);
        }
        if (discs.exiting !== undefined) {
          const reason = `${anatomical.root} exits at ${discs.exiting}: foraminal/extraforaminal herniation [Witek, Orthobullets]${shifted}`;
          put(discs.exiting, 'foraminal', side, `${anatomical.root} (exiting)`, mass * farLateral * settings.foraminalShareOfFarLateral, basis, reason);
          put(discs.exiting, 'extraforaminal', side, `${anatomical.root} (exiting)`, mass * farLateral * (1 - settings.foraminalShareOfFarLateral), basis, reason);
        }
      }
    }
  }

  // Central syndromes without a root pattern: every level of the region is a central candidate; imaging decides.
  const total = [...masses.values()].reduce((sum, m) => sum + m.mass, 0);
  const contextMass = total > 0 ? 0.5 : 1; // MODEL: a root pattern, when there is one, keeps half the weight
  const lumbarDiscs = lumbosacralVertebrae(numbering).slice(1, -1).map((v, i, all) => (i + 1 < all.length ? discBetween(v, all[i + 1] ?? '') : '')).filter((d) => d !== '');
  if (centralSyndromes.caudaEquina || centralSyndromes.claudication) {
    const reason = centralSyndromes.caudaEquina ? 'cauda equina syndrome: central compression [AJEM, MSU]' : 'neurogenic claudication: central canal stenosis [Hamanishi 1994]';
    for (const disc of lumbarDiscs) put(disc, 'central', 'midline', 'cauda equina', contextMass / lumbarDiscs.length, 'central-syndrome', reason);
  }
  if (centralSyndromes.myelopathy) {
    const cervicalDiscs = ['C2-C3', 'C3-C4', 'C4-C5', 'C5-C6', 'C6-C7', 'C7-T1'];
    for (const disc of cervicalDiscs) put(disc, 'central', 'midline', 'cord', contextMass / cervicalDiscs.length, 'central-syndrome', 'myelopathy: central cervical compression of the cord [Dimitriu]');
  }

  // Level count not verified from C2: lumbar MRI alone misnumbers 14.1% [Tokgoz2014]; that share moves to the neighbouring discs.
  if (numbering.source === 'input' && !numbering.countVerified) {
    const rate = settings.unverifiedMisnumberingRate;
    for (const entry of [...masses.values()]) {
      if (entry.level.startsWith('C')) continue;
      const moved = entry.mass * rate;
      entry.mass -= moved;
      for (const neighbour of neighbouringDiscs(entry.level, numbering)) {
        put(neighbour, entry.zone, entry.side, undefined, moved / 2, 'misnumbering', `if the unverified level count is off by one, ${entry.level} is ${neighbour} [Tokgoz2014]`);
      }
    }
  }

  const priorTotal = [...masses.values()].reduce((sum, m) => sum + m.mass, 0);
  const weighted = [...masses.values()].map((m) => {
    let best: { findingIndex: number; support: number } | undefined;
    (findings ?? []).forEach(({ finding, effect }, findingIndex) => {
      if (effect.actsAt !== m.level || effect.strength <= 0) return;
      const zoneMatch = effect.zones.includes(m.zone) ? 1 : m.zone === 'subarticular' && effect.zones.includes('central') ? 0.5 : 0;
      if (zoneMatch === 0) return;
      const side = 'side' in finding ? finding.side : 'midline';
      const sideMatch = m.side === 'midline' || side === 'midline' || side === 'bilateral' || side === m.side ? 1 : 0;
      const support = effect.strength * finding.confidence * zoneMatch * sideMatch;
      if (support > 0 && (best === undefined || support > best.support)) best = { findingIndex, support };
    });
    const factor = findings !== undefined && best !== undefined ? 1 + (settings.imagingLikelihoodRatio - 1) * best.support : 1;
    return { m, best, weight: m.mass * factor };
  });
  const weightTotal = weighted.reduce((sum, w) => sum + w.weight, 0);
  return weighted
    .map(({ m, best, weight }) => ({
      level: m.level,
      zone: m.zone,
      side: m.side,
      roots: [...m.roots],
      likelihood: weightTotal > 0 ? weight / weightTotal : 0,
      clinicalPrior: priorTotal > 0 ? m.mass / priorTotal : 0,
      basis: [...m.basis],
      ...(best !== undefined ? { imaging: best } : {}),
      reasons: [...m.reasons],
    }))
    .filter((c) => c.likelihood >= 0.001)
    .sort((a, b) => b.likelihood - a.likelihood);
}
