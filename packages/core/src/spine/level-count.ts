/**
 * Level identification from the cues a CT holds (clinical reference §9), never a silent guess:
 *
 * - the sacrum: the lowest segment(s) attached to both iliac bones;
 * - the last rib pair: the lowest vertebra with attached bone reaching far laterally (a rib), counted as
 *   T12. Counting from the last rib is marked "unconfirmed" in the reference, so it can only corroborate:
 *   with the sacrum below it and exactly five mobile rib-free vertebrae between them, the two cues agree
 *   with the common pattern and the lumbosacral numbering is taken as verified;
 * - Castellvi transitional anatomy of the last presacral vertebra [pacs, Ars, BMC-LSTV]: with a
 *   transitional vertebra the numbering is not verifiable without counting from C2, the gold standard
 *   [Lian2018]; lumbar imaging alone misnumbers 14.1% [Tokgoz2014];
 * - six or four lumbar-type vertebrae (or a lumbarized S1) between the last rib and the sacrum: reported
 *   as such, never verified without C2;
 * - C2: not analysed on CT yet, so thoracic names (counted up from the last rib assuming 12 thoracic
 *   vertebrae; a T13 cannot be told apart) are never verified.
 */
import type { CastellviFinding, LevelCount, LevelCue } from './types.ts';

export interface SegmentCues {
  /** Attached to both iliac bones (a sacrum). */
  readonly iliacAttached: boolean;
  /** A rib on either side. */
  readonly ribLeft: boolean;
  readonly ribRight: boolean;
}

export interface LevelCountInput {
  /** Segments from caudal to cranial. */
  readonly segments: readonly SegmentCues[];
  /** Disc heights (mm) from caudal to cranial (between segment d and d + 1). */
  readonly discHeightsMm: readonly number[];
  /** Castellvi finding of the segment above the sacrum, when a sacrum was found. */
  readonly castellvi?: CastellviFinding;
  readonly useLastRibCue: boolean;
}

export interface LevelAssignment {
  /** Number of caudal segments merged into the sacrum (≥ 1 when a sacrum was found, else 0). */
  readonly sacrumSegments: number;
  /** Names of the segments from caudal to cranial (after merging the sacrum's segments into one). */
  readonly names: readonly string[];
  readonly thoracic: readonly boolean[];
  readonly count: LevelCount;
}

const THORACIC = ['T12', 'T11', 'T10', 'T9', 'T8', 'T7', 'T6', 'T5', 'T4', 'T3', 'T2', 'T1'];

/** How many caudal segments form the sacrum: the run of segments attached to both iliac bones, from the bottom. */
export function countSacrumSegments(segments: readonly SegmentCues[]): number {
  let count = 0;
  while (count < segments.length && segments[count]!.iliacAttached) count++;
  return count;
}

export function assignLevels(input: LevelCountInput): LevelAssignment | undefined {
  const { segments } = input;
  const sacrumSegments = countSacrumSegments(segments);
  const hasSacrum = sacrumSegments > 0;
  // Mobile segments above the sacrum, caudal first (indices into `segments`).
  const mobile: number[] = [];
  for (let s = sacrumSegments; s < segments.length; s++) mobile.push(s);
  let lastRib = -1;
  if (input.useLastRibCue) {
    for (let m = 0; m < mobile.length; m++) {
      const seg = segments[mobile[m]!]!;
      if (seg.ribLeft || seg.ribRight) {
        lastRib = m;
        break;
      }
    }
  }
  const ribPair = lastRib >= 0 && segments[mobile[lastRib]!]!.ribLeft && segments[mobile[lastRib]!]!.ribRight;
  const castellvi = input.castellvi;
  const transitional = castellvi !== undefined && castellvi.type !== 'none';
  const cues: LevelCue[] = [
    {
      kind: 'sacrum',
      found: hasSacrum,
      detail: hasSacrum ? 'sacrum found: the lowest bone of the column joins both iliac bones' : 'no sacrum in view (no column segment joins both iliac bones)',
      sources: ['Lian2018'],
    },
    {
      kind: 'last-rib',
      found: lastRib >= 0,
      detail: lastRib >= 0
        ? `last rib-bearing vertebra found (${ribPair ? 'a rib pair' : 'a rib on one side only'}); counting from the last rib is unconfirmed and only corroborates`
        : input.useLastRibCue ? 'no rib-bearing vertebra in view' : 'last-rib cue switched off',
      sources: ['clinical-reference §9: last-rib counting unconfirmed'],
    },
    {
      kind: 'castellvi',
      found: transitional,
      detail: castellvi === undefined ? 'not assessed (no sacrum)' : transitional ? `transitional ${castellvi.vertebra}: Castellvi ${castellvi.type}` : 'no transitional features at the lumbosacral junction',
      sources: ['pacs', 'Ars', 'BMC-LSTV', 'Nardo2012'],
    },
    { kind: 'c2', found: false, detail: 'C2 not identified (cervical coverage is not analysed on CT yet)', sources: ['Lian2018'] },
  ];
  const reasons: string[] = [];
  if (!hasSacrum && lastRib < 0) return undefined;

  let lumbarNames: string[];
  let pattern: LevelCount['pattern'];
  let verified = false;
  let confidence: number;
  let lumbarTypeCount: number | undefined;
  if (hasSacrum && lastRib >= 0) {
    lumbarTypeCount = lastRib;
    cues.push({ kind: 'lumbar-count', found: true, detail: `${lastRib} mobile rib-free vertebrae between the last rib and the sacrum`, sources: ['Nardo2012', 'AJNR-LSTV'] });
    if (lastRib === 5) {
      lumbarNames = ['L5', 'L4', 'L3', 'L2', 'L1'];
      pattern = transitional ? 'sacralized-L5' : 'standard';
      verified = !transitional && ribPair;
      confidence = transitional ? 0.6 : ribPair ? 0.9 : 0.75;
      if (transitional) reasons.push(`L5 is transitional (Castellvi ${castellvi!.type}): without counting from C2 [Lian2018] the numbering cannot be verified`);
      if (!ribPair) reasons.push('the last rib was seen on one side only');
    } else if (lastRib === 6) {
      const bottomDisc = input.discHeightsMm[sacrumSegments - 1];
      const aboveDisc = input.discHeightsMm[sacrumSegments];
      const rudimentary = bottomDisc !== undefined && aboveDisc !== undefined && bottomDisc < 0.6 * aboveDisc;
      const lumbarized = transitional || rudimentary;
      lumbarNames = lumbarized ? ['S1', 'L5', 'L4', 'L3', 'L2', 'L1'] : ['L6', 'L5', 'L4', 'L3', 'L2', 'L1'];
      pattern = lumbarized ? 'lumbarized-S1' : 'six-lumbar';
      confidence = 0.45;
      reasons.push(`six lumbar-type vertebrae: ${lumbarized ? 'a lumbarized S1 (transitional features or a rudimentary disc below it)' : 'six lumbar vertebrae'} is the likelier reading, but a thoracolumbar variant cannot be excluded without counting from C2 [Lian2018]`);
    } else if (lastRib === 4) {
      lumbarNames = ['L4', 'L3', 'L2', 'L1'];
      pattern = 'four-lumbar';
      confidence = 0.45;
      reasons.push('four lumbar-type vertebrae: four lumbar vertebrae, or a sacralized L5 / thirteenth rib pair; counting from C2 is needed [Lian2018]');
    } else {
      lumbarNames = fromSacrum(lastRib);
      pattern = 'unknown';
      confidence = 0.15;
      reasons.push(`${lastRib} mobile vertebrae between the last rib and the sacrum is outside the known variants: the segmentation may have merged or split vertebrae`);
    }
  } else if (hasSacrum) {
    lumbarNames = fromSacrum(mobile.length);
    pattern = transitional ? 'sacralized-L5' : 'unknown';
    confidence = transitional ? 0.3 : 0.6;
    reasons.push('no rib in view: numbering counts up from the sacrum assuming five lumbar vertebrae; lumbar imaging alone misnumbers 14.1% [Tokgoz2014]');
    if (transitional) reasons.push(`the last presacral vertebra is transitional (Castellvi ${castellvi!.type}) [Nardo2012]`);
  } else {
    // Ribs but no sacrum: count down from the last rib pair (T12), which the reference leaves unconfirmed.
    lumbarNames = ['L5', 'L4', 'L3', 'L2', 'L1'].slice(5 - Math.min(5, lastRib));
    pattern = 'unknown';
    confidence = 0.5;
    reasons.push('no sacrum in view: numbering counts down from the last rib, which clinical reference §9 leaves unconfirmed');
  }
  const names: string[] = [];
  if (hasSacrum) names.push('sacrum');
  const lumbarCount = lastRib >= 0 ? lastRib : mobile.length;
  for (let m = 0; m < mobile.length; m++) {
    if (m < lumbarCount) names.push(lumbarNames[m] ?? `L${lumbarCount - m}`);
    else names.push(THORACIC[m - lumbarCount] ?? 'T1');
  }
  const thoracic = names.map((name) => name.startsWith('T'));
  if (thoracic.some(Boolean)) reasons.push('thoracic names assume twelve rib-bearing vertebrae (C2 not counted): a T13 would read as T12');
  return {
    sacrumSegments,
    names,
    thoracic,
    count: {
      labels: [...names].reverse(),
      confidence,
      verified,
      cues,
      reasons,
      ...(lumbarTypeCount !== undefined ? { lumbarTypeCount } : {}),
      pattern,
      ...(castellvi !== undefined ? { castellvi } : {}),
    },
  };
}

function fromSacrum(count: number): string[] {
  const names: string[] = [];
  for (let m = 0; m < count; m++) names.push(m < 5 ? `L${5 - m}` : THORACIC[m - 5] ?? 'T1');
  return names;
}
