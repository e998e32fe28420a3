import type { Rng } from './prng.ts';
import type { DiscSlot, SpineSequence, VertebraSlot } from './sequence.ts';

/** Dimensions of one mobile vertebra (mm, before any pathology). */
export interface VertebraDims {
  readonly width: number;
  readonly depth: number;
  /** Body height at the posterior wall and at the anterior wall. */
  readonly posteriorHeight: number;
  readonly anteriorHeight: number;
  /** Half the interpedicular distance (canal half-width). */
  readonly canalHalfWidth: number;
  /** Canal AP depth at the midline, posterior body wall to the laminae. */
  readonly canalDepth: number;
  readonly pedicleWidth: number;
  readonly pedicleHeight: number;
  /** Pedicle extent behind the posterior body wall. */
  readonly pedicleLength: number;
  /** Transverse process length beyond the pedicle centre, and its radius. */
  readonly transverseLength: number;
  readonly transverseRadius: number;
  readonly spinousLength: number;
  readonly spinousHeight: number;
  /** Downward tilt of the spinous process (degrees; thoracic ones point steeply caudal). */
  readonly spinousTiltDeg: number;
  readonly laminaThickness: number;
}

/**
 * Middle disc heights on MRI [IranMRI] (clinical reference §10), counted from the lumbosacral disc up
 * (L5/S1 12.99, L4/5 13.82, L3/4 12.45, L2/3 11.59, L1/2 10.0): rising to L4/5 and the same or lower at
 * L5/S1 [RöFo1997, Nepal]. A sixth lumbar disc continues the trend.
 */
const LUMBAR_DISC_FROM_BOTTOM = [12.99, 13.82, 12.45, 11.59, 10.0, 9.5];
/** [JOSR2018] reference range per level from the bottom (min, max): draws stay inside it. */
const LUMBAR_DISC_RANGE_FROM_BOTTOM: ReadonlyArray<readonly [number, number]> = [
  [7.11, 13.12], [7.76, 14.57], [7.42, 13.3], [6.97, 12.08], [6.25, 10.99], [6.25, 10.99],
];

function jitter(rng: Rng, value: number, fraction: number): number {
  return value * (1 + rng.uniform(-fraction, fraction));
}

/** Dimensions of a mobile vertebra by region and level, scaled by body size and varied by seed. */
export function vertebraDims(slot: VertebraSlot, sequence: SpineSequence, scale: number, rng: Rng): VertebraDims {
  const r = rng.fork(`vertebra:${slot.name}`);
  const s = (v: number, f = 0.04): number => jitter(r, v * scale, f);
  if (slot.region === 'cervical') {
    const c = Number(slot.name.slice(1)) - 1;
    const h = s(13 + 0.3 * c);
    return {
      width: s(16 + 1.5 * c), depth: s(15 + 0.3 * c), posteriorHeight: h, anteriorHeight: h,
      canalHalfWidth: s(12), canalDepth: s(14), pedicleWidth: s(5.5), pedicleHeight: s(7), pedicleLength: s(7),
      transverseLength: s(10), transverseRadius: 3 * scale, spinousLength: s(c === 6 ? 26 : 14), spinousHeight: s(8), spinousTiltDeg: 20,
      laminaThickness: 4 * scale,
    };
  }
  if (slot.region === 'thoracic') {
    const t = Number(slot.name.slice(1)) - 1;
    const h = s(15 + 0.6 * Math.min(t, 11));
    // Thoracic bodies are slightly wedged (anterior shorter): the source of the kyphosis, fading towards the
    // thoracolumbar junction.
    const lastThoracic = t >= sequence.thoracicCount - 2;
    return {
      width: s(27 + Math.min(t, 11)), depth: s(16 + 1.3 * Math.min(t, 11)), posteriorHeight: h, anteriorHeight: h - (lastThoracic ? 0.3 : 0.8) * scale,
      canalHalfWidth: s(8.5), canalDepth: s(15), pedicleWidth: s(5 + 0.35 * Math.min(t, 11)), pedicleHeight: s(10 + 0.4 * Math.min(t, 11)),
      pedicleLength: s(9), transverseLength: s(16), transverseRadius: 4 * scale, spinousLength: s(30), spinousHeight: s(9), spinousTiltDeg: 40,
      laminaThickness: 5 * scale,
    };
  }
  // Lumbar-type, including a lumbarized S1 (shaped like the lowest lumbar vertebra).
  const lumbarTypes = sequence.vertebrae.filter((v) => v.lumbarType);
  const index = lumbarTypes.findIndex((v) => v.name === slot.name);
  const fromBottom = lumbarTypes.length - 1 - index;
  const li = Math.max(0, 4 - fromBottom); // 4 = the lowest, 0 = L1 when there are five
  // Vertebral body height ~27 mm and similar at all lumbar levels [Witek].
  const h = s(27, 0.05);
  const pedicleWidth = [8, 9, 10, 12, 15][li]!;
  const pedicleHeight = [15, 15, 14.5, 14, 13.5][li]!;
  const transverseLength = [18, 22, 27, 23, 19][li]!;
  return {
    width: s(40 + 2 * li), depth: s(31 + li), posteriorHeight: h, anteriorHeight: h,
    canalHalfWidth: s(11 + 0.5 * li), canalDepth: s(li === 2 ? 15.5 : 16.5), // smallest at L3 [QIMS]
    pedicleWidth: s(pedicleWidth), pedicleHeight: s(pedicleHeight), pedicleLength: s(10), transverseLength: s(transverseLength),
    transverseRadius: (li === 4 ? 6 : 4.5) * scale, spinousLength: s(28), spinousHeight: s(li === 4 ? 12 : 14), spinousTiltDeg: 5,
    laminaThickness: 6 * scale,
  };
}

/** Middle height of a disc by level, scaled and varied by seed within published ranges. */
export function discMiddleHeight(disc: DiscSlot, sequence: SpineSequence, scale: number, rng: Rng): number {
  const r = rng.fork(`disc:${disc.name}`);
  const upper = sequence.vertebrae.find((v) => v.name === disc.upper)!;
  if (upper.region === 'cervical') return jitter(r, 5 * scale, 0.08);
  if (upper.region === 'thoracic') {
    const t = Number(upper.name.slice(1)) - 1;
    const lowerIsLumbar = sequence.vertebrae.find((v) => v.name === disc.lower)?.lumbarType === true;
    return jitter(r, (lowerIsLumbar ? 8 : 4 + 0.3 * Math.min(t, 11)) * scale, 0.08);
  }
  const lumbarTypes = sequence.vertebrae.filter((v) => v.lumbarType);
  const fromBottom = lumbarTypes.length - 1 - lumbarTypes.findIndex((v) => v.name === disc.upper);
  const base = LUMBAR_DISC_FROM_BOTTOM[Math.min(fromBottom, 5)]!;
  const [min, max] = LUMBAR_DISC_RANGE_FROM_BOTTOM[Math.min(fromBottom, 5)]!;
  return Math.min(max, Math.max(min, jitter(r, base, 0.06))) * scale;
}
