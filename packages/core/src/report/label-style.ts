/**
 * Outline colours of the structures drawn on key images, by vocabulary name (`../phantom/vocabulary.ts`, the
 * names `legendEntries` normalises to). Bright, distinct hues for what a surgeon looks for; everything else grey.
 */
export type Rgb = readonly [number, number, number];

export const HIGHLIGHT: Rgb = [255, 40, 40];

export function labelColour(name: string): Rgb | undefined {
  if (name.startsWith('herniation_')) return HIGHLIGHT;
  if (/^(C[1-7]|T1[0-3]|T[1-9]|L[1-6]|S1|sacrum)$/.test(name)) return [255, 210, 0];
  if (/^[CTL]\d+-[CTLS]\d+$/.test(name)) return [0, 200, 255];
  if (name === 'dural_sac' || name === 'cauda_equina' || name === 'spinal_cord' || name === 'conus') return [80, 255, 120];
  if (name.startsWith('root_')) return [255, 120, 255];
  return undefined;
}

/** Name drawn beside a structure on a key image: vertebrae only (discs are named in the caption). */
export function levelText(name: string): string | undefined {
  if (name === 'sacrum') return 'S1';
  return /^(C[1-7]|T1[0-3]|T[1-9]|L[1-6])$/.test(name) ? name : undefined;
}
