import { LABELS, discName, type LabelName, type Side } from '../vocabulary.ts';
import type { CastellviType, SpineRegion, SpineVariant } from './types.ts';

/** One vertebra of a variant's whole spine, before any geometry. */
export interface VertebraSlot {
  readonly name: string;
  readonly label: number;
  readonly region: SpineRegion;
  /** Name by position when counting down from C2 assuming 7 cervical and 12 thoracic vertebrae. */
  readonly countedAs: string;
  readonly lumbarType: boolean;
  readonly ribBearing: boolean;
  readonly castellvi?: CastellviType;
  readonly castellviSide?: Side;
}

export interface DiscSlot {
  readonly name: string;
  readonly label: number;
  readonly upper: string;
  readonly lower: string;
}

export interface SpineSequence {
  /** Whole spine of the variant, cranial first, ending with `sacrum`, `coccyx`. */
  readonly vertebrae: readonly VertebraSlot[];
  /** Discs between consecutive vertebrae above the sacrum (C1–C2 has none), cranial first. */
  readonly discs: readonly DiscSlot[];
  readonly lumbarTypeCount: number;
  readonly thoracicCount: number;
  readonly transitional?: { readonly vertebra: string; readonly kind: 'sacralized' | 'lumbarized'; readonly castellvi: CastellviType; readonly side: Side };
}

function positionalName(index: number): string {
  if (index < 7) return `C${index + 1}`;
  if (index < 19) return `T${index - 6}`;
  return `L${index - 18}`;
}

/**
 * The vertebrae of a variant (clinical reference §9): numerical variants change how many thoracic or
 * lumbar vertebrae there are; transitional variants keep the count but join L5 to the sacrum
 * (sacralization) or free S1 from it (lumbarization), graded by Castellvi [pacs, Ars, BMC-LSTV].
 */
export function spineSequence(variant: SpineVariant): SpineSequence {
  const thoracicCount = variant.kind === 'T13' ? 13 : 12;
  const lumbarCount = variant.kind === 'six-lumbar' ? 6 : variant.kind === 'four-lumbar' ? 4 : 5;
  const presacral: Array<Omit<VertebraSlot, 'countedAs' | 'label'>> = [];
  for (let c = 1; c <= 7; c++) presacral.push({ name: `C${c}`, region: 'cervical', lumbarType: false, ribBearing: false });
  for (let t = 1; t <= thoracicCount; t++) presacral.push({ name: `T${t}`, region: 'thoracic', lumbarType: false, ribBearing: true });
  for (let l = 1; l <= lumbarCount; l++) presacral.push({ name: `L${l}`, region: 'lumbar', lumbarType: true, ribBearing: false });
  let transitional: SpineSequence['transitional'];
  if (variant.kind === 'lumbarized-S1') {
    presacral.push({ name: 'S1', region: 'sacral', lumbarType: true, ribBearing: false, castellvi: variant.castellvi, castellviSide: variant.side ?? 'left' });
    transitional = { vertebra: 'S1', kind: 'lumbarized', castellvi: variant.castellvi, side: variant.side ?? 'left' };
  }
  if (variant.kind === 'sacralized-L5') {
    const last = presacral.length - 1;
    presacral[last] = { ...presacral[last]!, castellvi: variant.castellvi, castellviSide: variant.side ?? 'left' };
    transitional = { vertebra: 'L5', kind: 'sacralized', castellvi: variant.castellvi, side: variant.side ?? 'left' };
  }
  const vertebrae: VertebraSlot[] = presacral.map((slot, index) => ({
    ...slot,
    label: LABELS[slot.name as LabelName],
    countedAs: positionalName(index),
  }));
  vertebrae.push({ name: 'sacrum', label: LABELS.sacrum, region: 'sacral', countedAs: 'sacrum', lumbarType: false, ribBearing: false });
  vertebrae.push({ name: 'coccyx', label: LABELS.coccyx, region: 'coccygeal', countedAs: 'coccyx', lumbarType: false, ribBearing: false });
  const discs: DiscSlot[] = [];
  for (let i = 1; i + 2 < vertebrae.length; i++) {
    const upper = vertebrae[i]!.name;
    const lower = vertebrae[i + 1]!.name;
    const name = discName(upper, lower);
    discs.push({ name, label: LABELS[name as LabelName], upper, lower });
  }
  return {
    vertebrae,
    discs,
    lumbarTypeCount: vertebrae.filter((v) => v.lumbarType).length,
    thoracicCount,
    ...(transitional !== undefined ? { transitional } : {}),
  };
}
