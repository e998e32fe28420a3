import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { Side } from '../vocabulary.ts';
import { spineSequence, type SpineSequence } from './sequence.ts';
import type { BodyOptions, IliacCrestHeight, PathologyOption, SpineSceneOptions, SpineVariant } from './types.ts';

/** Options after validation and defaults, with the vertebra range resolved against the variant's spine. */
export interface ResolvedOptions {
  readonly seed: number;
  readonly variant: SpineVariant;
  readonly sequence: SpineSequence;
  /** Index range (inclusive) into `sequence.vertebrae`. */
  readonly fromIndex: number;
  readonly toIndex: number;
  readonly pathology: readonly PathologyOption[];
  readonly iliacCrestHeight: IliacCrestHeight;
  readonly bodySize: NonNullable<BodyOptions['size']>;
  readonly subcutaneousFatMm: number | undefined;
  readonly lordosisDeg: number | undefined;
}

function invalid(path: string, message: string, details: Record<string, unknown> = {}): never {
  throw new KeyholeError('VALIDATION_FAILED', { message, path, details });
}

const CASTELLVI = ['Ia', 'Ib', 'IIa', 'IIb', 'IIIa', 'IIIb', 'IV'];
const VARIANT_KINDS = ['none', 'sacralized-L5', 'lumbarized-S1', 'six-lumbar', 'four-lumbar', 'T13'];

function checkSide(path: string, side: unknown): asserts side is Side | undefined {
  if (side !== undefined && side !== 'left' && side !== 'right') invalid(path, `side must be 'left' or 'right', got ${String(side)}`);
}

function checkVariant(variant: SpineVariant): void {
  if (!VARIANT_KINDS.includes(variant.kind)) invalid('variant.kind', `unknown variant '${String(variant.kind)}'; expected one of ${VARIANT_KINDS.join(', ')}`);
  if (variant.kind === 'sacralized-L5' || variant.kind === 'lumbarized-S1') {
    if (!CASTELLVI.includes(variant.castellvi)) invalid('variant.castellvi', `unknown Castellvi type '${String(variant.castellvi)}'; expected one of ${CASTELLVI.join(', ')}`);
    checkSide('variant.side', variant.side);
  }
}

function resolveLevel(sequence: SpineSequence, name: string, path: string): number {
  const names = sequence.vertebrae.map((v) => v.name);
  // "S1" names the top of the sacrum unless S1 is its own (lumbarized) vertebra.
  const lookup = name === 'S1' && !names.includes('S1') ? 'sacrum' : name;
  const index = names.indexOf(lookup);
  if (index < 0) invalid(path, `unknown vertebra '${name}' for this variant; expected one of ${names.join(', ')}`, { value: name });
  return index;
}

function checkNumber(path: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(path, `must be a number from ${min} to ${max}, got ${String(value)}`, { value });
  }
}

function checkPathology(item: PathologyOption, index: number, discs: readonly string[], vertebrae: readonly string[]): void {
  const at = `pathology[${index}]`;
  const needDisc = (): void => {
    if (!discs.includes(item.level)) invalid(`${at}.level`, `disc '${item.level}' is not in the scene; discs present: ${discs.join(', ')}`, { value: item.level });
  };
  switch (item.kind) {
    case 'disc-herniation':
      needDisc();
      if (!['central', 'subarticular', 'foraminal', 'extraforaminal'].includes(item.zone)) invalid(`${at}.zone`, `unknown zone '${String(item.zone)}'`);
      if (!['protrusion', 'extrusion', 'sequestration'].includes(item.type)) invalid(`${at}.type`, `unknown herniation type '${String(item.type)}'`);
      checkSide(`${at}.side`, item.side);
      if (item.zone !== 'central' && item.side === undefined) invalid(`${at}.side`, `a ${item.zone} herniation needs a side ('left' or 'right')`);
      if (item.migration !== undefined) {
        if (item.type === 'protrusion') invalid(`${at}.migration`, 'a protrusion cannot migrate (Fardon 2014: migration is displacement of extruded material)');
        if (item.migration.direction !== 'up' && item.migration.direction !== 'down') invalid(`${at}.migration.direction`, `must be 'up' or 'down'`);
        if (item.migration.grade !== 'low' && item.migration.grade !== 'high') invalid(`${at}.migration.grade`, `must be 'low' or 'high'`);
      }
      if (item.sizeMm !== undefined) checkNumber(`${at}.sizeMm`, item.sizeMm, 3, 20);
      return;
    case 'central-stenosis':
      needDisc();
      if (!['mild', 'moderate', 'severe'].includes(item.grade)) invalid(`${at}.grade`, `must be mild, moderate or severe, got ${String(item.grade)}`);
      return;
    case 'foraminal-stenosis':
      needDisc();
      checkSide(`${at}.side`, item.side);
      if (item.side === undefined) invalid(`${at}.side`, 'a foraminal stenosis needs a side');
      if (![1, 2, 3].includes(item.grade)) invalid(`${at}.grade`, `must be 1, 2 or 3, got ${String(item.grade)}`);
      return;
    case 'spondylolisthesis':
      needDisc();
      checkNumber(`${at}.slipPercent`, item.slipPercent, 0, 100);
      return;
    case 'compression-fracture':
      if (!vertebrae.includes(item.level) || item.level === 'sacrum' || item.level === 'coccyx') {
        invalid(`${at}.level`, `vertebra '${item.level}' is not a mobile vertebra of the scene; present: ${vertebrae.join(', ')}`, { value: item.level });
      }
      checkNumber(`${at}.heightLossPercent`, item.heightLossPercent, 1, 80);
      if (item.shape !== undefined && item.shape !== 'wedge' && item.shape !== 'crush') invalid(`${at}.shape`, `must be 'wedge' or 'crush'`);
      return;
    default:
      invalid(`${at}.kind`, `unknown pathology kind '${String((item as { kind: unknown }).kind)}'`);
  }
}

/** Validates the options (errors are VALIDATION_FAILED with the path of the bad field) and fills defaults. */
export function resolveOptions(options: SpineSceneOptions): ResolvedOptions {
  if (typeof options.seed !== 'number' || !Number.isFinite(options.seed)) invalid('seed', `must be a finite number, got ${String(options.seed)}`);
  const variant = options.variant ?? { kind: 'none' };
  checkVariant(variant);
  const sequence = spineSequence(variant);
  const levels = options.levels ?? { from: 'T10', to: 'sacrum' };
  if (typeof levels.from !== 'string' || typeof levels.to !== 'string') invalid('levels', 'levels needs `from` and `to` vertebra names');
  const fromIndex = resolveLevel(sequence, levels.from, 'levels.from');
  const toIndex = resolveLevel(sequence, levels.to, 'levels.to');
  if (fromIndex > toIndex) invalid('levels', `levels.from (${levels.from}) must be cranial to levels.to (${levels.to})`);
  const present = sequence.vertebrae.slice(fromIndex, toIndex + 1).map((v) => v.name);
  const discs = sequence.discs.filter((d) => present.includes(d.upper) && present.includes(d.lower)).map((d) => d.name);
  const pathology = options.pathology ?? [];
  pathology.forEach((item, index) => checkPathology(item, index, discs, present));
  const crest = options.iliacCrestHeight ?? 'low';
  if (typeof crest === 'object') checkNumber('iliacCrestHeight.offsetMm', crest.offsetMm, -60, 60);
  else if (!['low', 'mid-L5', 'high', 'very-high'].includes(crest)) invalid('iliacCrestHeight', `must be low, mid-L5, high, very-high or { offsetMm }, got ${String(crest)}`);
  const size = options.body?.size ?? 'medium';
  if (!['small', 'medium', 'large'].includes(size)) invalid('body.size', `must be small, medium or large, got ${String(size)}`);
  if (options.body?.subcutaneousFatMm !== undefined) checkNumber('body.subcutaneousFatMm', options.body.subcutaneousFatMm, 3, 80);
  if (options.lordosisDeg !== undefined) checkNumber('lordosisDeg', options.lordosisDeg, 0, 80);
  return {
    seed: options.seed,
    variant,
    sequence,
    fromIndex,
    toIndex,
    pathology,
    iliacCrestHeight: crest,
    bodySize: size,
    subcutaneousFatMm: options.body?.subcutaneousFatMm,
    lordosisDeg: options.lordosisDeg,
  };
}
