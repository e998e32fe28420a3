import type { FindingsSettings } from './settings.ts';

/**
 * Grading rules, one function each, with the source of every threshold.
 */

/** Genant semiquantitative grade from a height-loss fraction (thresholds are settings; Genant 1993, not in the clinical reference). */
export function genantGrade(loss: number, s: FindingsSettings): 0 | 1 | 2 | 3 {
  if (loss > s.genantSevere) return 3;
  if (loss > s.genantModerate) return 2;
  if (loss >= s.genantMild) return 1;
  return 0;
}

/**
 * Meyerding grade from slip % [Medscape, Koslosky2020]: I ≤ 25, II ≤ 50, III ≤ 75, IV ≤ 100, V > 100. Grade I
 * starts at the reporting floor (`minSlipPercent`), the boundary convention the reference leaves open.
 */
export function meyerding(slipPercent: number): 'I' | 'II' | 'III' | 'IV' | 'V' {
  if (slipPercent <= 25) return 'I';
  if (slipPercent <= 50) return 'II';
  if (slipPercent <= 75) return 'III';
  if (slipPercent <= 100) return 'IV';
  return 'V';
}

/** Lurie thirds of dural-sac area loss [Radiopaedia-LSS]: mild ≤ 1/3, moderate 1/3–2/3, severe > 2/3. */
export function lurie(loss: number, s: FindingsSettings): 'none' | 'mild' | 'moderate' | 'severe' {
  if (loss < s.minAreaLossFraction) return 'none';
  if (loss <= 1 / 3) return 'mild';
  if (loss <= 2 / 3) return 'moderate';
  return 'severe';
}
