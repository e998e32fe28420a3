/**
 * Import of label maps made by other tools into Keyhole's vocabulary:
 * - `importLabelVolume`: one multi-label volume with a value → name table (a TotalSegmentator
 *   `--ml` output with its label json, or any NIfTI label map with a legend);
 * - `importMasks`: one binary mask per structure (TotalSegmentator's default folder output,
 *   `vertebrae_L4.nii.gz` …).
 * Names are mapped with `mapStructureName`; structures Keyhole has no name for keep their source
 * name, are marked foreign in the legend and are listed in the result. Every input is put on one
 * grid (the reference when given) through `placeOnGrid`.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { LABELS, type LabelName } from '../phantom/vocabulary.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import { createLabelMap, type LabelMap } from './label-map.ts';
import { MAX_LABEL_VALUE, parseLegend, type LegendEntry } from './legend.ts';
import { placeOnGrid, type ReferenceGrid } from './place-on-grid.ts';
import { mapStructureName } from './structure-names.ts';

/** First value given to structures Keyhole has no name for (Keyhole's own values stay below 1000). */
export const FOREIGN_VALUE_BASE = 1000;

export interface ImportedStructure {
  /** Name in the source (`vertebrae_L4`). */
  readonly source: string;
  /** Value in the source map (absent for per-structure masks). */
  readonly sourceValue?: number;
  /** Keyhole name, or the source name for foreign structures. */
  readonly name: string;
  /** Value in the imported label map. */
  readonly value: number;
  readonly foreign: boolean;
  /** Voxels of the structure in the imported map (0 when the source listed it but no voxel holds it). */
  readonly voxels: number;
  /** Why the correspondence is approximate, when it is. */
  readonly note?: string;
}

export interface ImportLabelsResult {
  readonly labelMap: LabelMap;
  /** Every source structure, mapped or foreign, in source order. */
  readonly structures: readonly ImportedStructure[];
  /** Source structures Keyhole has no name for (kept under their source name, marked foreign). */
  readonly foreign: readonly string[];
  /** Keyhole structures that several source structures were merged into (e.g. bowel ← colon, small_bowel). */
  readonly merged: ReadonlyArray<{ readonly name: string; readonly sources: readonly string[] }>;
  /** Whether the input was resampled onto the reference grid. */
  readonly resampled: boolean;
  /** Things the caller should show (approximate mappings, overlaps, voxels outside the grid). */
  readonly warnings: readonly string[];
}

export interface ImportLabelVolumeOptions {
  /** Integer label voxels. */
  readonly volume: Volume;
  /** Source value → source name (see `sourceNamesFromJson`). */
  readonly names: ReadonlyMap<number, string>;
  /** Put the result on this grid (default: the volume's own). */
  readonly reference?: ReferenceGrid;
  /** Named in errors and warnings. */
  readonly source?: string;
}

export function importLabelVolume(options: ImportLabelVolumeOptions): ImportLabelsResult {
  const source = options.source ?? 'label map';
  const placed = options.reference !== undefined ? placeOnGrid({ volume: options.volume, reference: options.reference, source }) : undefined;
  const volume = placed?.volume ?? options.volume;
  const counts = countValues(volume.data);
  const unnamed = [...counts.keys()].filter((value) => value !== 0 && !options.names.has(value)).sort((a, b) => a - b);
  if (unnamed.length > 0) {
    throw new KeyholeError('VALIDATION_FAILED', {
      file: source,
      path: 'labels',
      message: `the label table names no structure for value${unnamed.length > 1 ? 's' : ''} ${unnamed.slice(0, 10).join(', ')} found in the voxels; pass the label json that came with the segmentation`,
      details: { unnamedValues: unnamed },
    });
  }
  const sources = [...options.names.entries()].filter(([value]) => value !== 0).sort((a, b) => a[0] - b[0]);
  const plan = planValues(sources.map(([value, name]) => ({ name, sourceValue: value })));
  const lookup = new Int32Array(Math.max(0, ...counts.keys()) + 1);
  for (const item of plan.items) if (item.sourceValue! < lookup.length) lookup[item.sourceValue!] = item.value;
  const maxValue = Math.max(0, ...plan.items.map((item) => item.value));
  const data = maxValue <= 255 ? new Uint8Array(volume.data.length) : new Uint16Array(volume.data.length);
  const src = volume.data;
  for (let n = 0; n < src.length; n++) data[n] = lookup[src[n]!]!;
  const warnings = [...plan.warnings];
  if (placed !== undefined) warnings.push(...placementWarnings(placed, source));
  const structures = plan.items.map((item) => ({ ...item, voxels: counts.get(item.sourceValue!) ?? 0 }));
  return finish(createVolume({ ...volume, data, units: 'label' }), structures, placed?.resampled ?? false, warnings, source);
}

export interface MaskInput {
  /** Source name (`vertebrae_L4`, from the file name `vertebrae_L4.nii.gz`). */
  readonly name: string;
  /** Binary mask (non-zero = inside). */
  readonly volume: Volume;
}

export interface ImportMasksOptions {
  readonly masks: readonly MaskInput[];
  /** Grid of the result (default: the first mask's grid). */
  readonly reference?: ReferenceGrid;
  readonly source?: string;
}

/**
 * Paints the masks in the order given; where two overlap the later wins and the overlap is reported.
 * Masks on another grid are resampled (nearest neighbour) onto the reference.
 */
export function importMasks(options: ImportMasksOptions): ImportLabelsResult {
  const source = options.source ?? 'masks';
  const first = options.masks[0];
  if (first === undefined) throw new KeyholeError('EMPTY_INPUT', { file: source, message: 'no masks to import' });
  const reference = options.reference ?? first.volume;
  const plan = planValues(options.masks.map((mask) => ({ name: mask.name })));
  const maxValue = Math.max(0, ...plan.items.map((item) => item.value));
  const length = reference.size[0] * reference.size[1] * reference.size[2];
  const data = maxValue <= 255 ? new Uint8Array(length) : new Uint16Array(length);
  const warnings = [...plan.warnings];
  let resampled = false;
  const voxels: number[] = [];
  options.masks.forEach((mask, index) => {
    const placed = placeOnGrid({ volume: mask.volume, reference, source: `${source}/${mask.name}` });
    resampled ||= placed.resampled;
    warnings.push(...placementWarnings(placed, `${source}/${mask.name}`));
    const value = plan.items[index]!.value;
    const m = placed.volume.data;
    let count = 0;
    let overlap = 0;
    for (let n = 0; n < length; n++) {
      if (m[n] === 0) continue;
      if (data[n] !== 0 && data[n] !== value) overlap++;
      data[n] = value;
      count++;
    }
    voxels.push(count);
    if (overlap > 0) warnings.push(`${mask.name} overlaps structures painted before it in ${overlap} voxels; ${mask.name} was kept there`);
  });
  const structures = plan.items.map((item, index) => ({ ...item, voxels: voxels[index] ?? 0 }));
  const volume = createVolume({ size: reference.size, spacing: reference.spacing, origin: reference.origin, direction: reference.direction, data, units: 'label' });
  return finish(volume, structures, resampled, warnings, source);
}

/**
 * A value → name table from a parsed JSON document in either form:
 * Keyhole's legend `{"labels":[{"value":24,"name":"L4"}]}` (checked with `parseLegend`) or
 * TotalSegmentator's `{"1":"spleen","2":"kidney_right",…}`.
 */
export function sourceNamesFromJson(input: unknown, source = 'legend'): Map<number, string> {
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && 'labels' in input) {
    return new Map(parseLegend(input, source).labels.map((entry) => [entry.value, entry.name]));
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new KeyholeError('VALIDATION_FAILED', { file: source, path: '(root)', message: 'expected {"labels":[{"value":…,"name":…}]} or {"<value>":"<name>",…}' });
  }
  const names = new Map<number, string>();
  for (const [key, name] of Object.entries(input as Record<string, unknown>)) {
    const value = Number(key);
    if (!/^\d+$/.test(key) || value > MAX_LABEL_VALUE) {
      throw new KeyholeError('VALIDATION_FAILED', { file: source, path: key, message: `"${key}" is not a label value (a whole number up to ${MAX_LABEL_VALUE})` });
    }
    if (typeof name !== 'string' || name.length === 0) {
      throw new KeyholeError('VALIDATION_FAILED', { file: source, path: key, message: 'expected a structure name' });
    }
    if (value !== 0) names.set(value, name);
  }
  return names;
}

interface PlannedItem {
  readonly source: string;
  readonly sourceValue?: number;
  readonly name: string;
  readonly value: number;
  readonly foreign: boolean;
  readonly note?: string;
}

interface ValuePlan {
  readonly items: readonly PlannedItem[];
  readonly warnings: readonly string[];
}

/** Keyhole values for mapped names (fixed LABELS values), 1000 + source value (or the next free one) for foreign ones. */
function planValues(sources: ReadonlyArray<{ name: string; sourceValue?: number }>): ValuePlan {
  const used = new Set<number>();
  const foreignNames = new Map<string, number>();
  const items: PlannedItem[] = [];
  const warnings: string[] = [];
  let next = FOREIGN_VALUE_BASE + 1;
  for (const { name: sourceName, sourceValue } of sources) {
    const mapping = mapStructureName(sourceName);
    if (mapping !== undefined) {
      const value = LABELS[mapping.name as LabelName];
      used.add(value);
      items.push({ source: sourceName, ...(sourceValue !== undefined ? { sourceValue } : {}), name: mapping.name, value, foreign: false, ...(mapping.note !== undefined ? { note: mapping.note } : {}) });
      continue;
    }
    let value = foreignNames.get(sourceName);
    if (value === undefined) {
      const preferred = sourceValue !== undefined ? FOREIGN_VALUE_BASE + sourceValue : undefined;
      if (preferred !== undefined && preferred <= MAX_LABEL_VALUE && !used.has(preferred)) value = preferred;
      else {
        while (used.has(next)) next++;
        value = next;
      }
      foreignNames.set(sourceName, value);
    }
    used.add(value);
    items.push({ source: sourceName, ...(sourceValue !== undefined ? { sourceValue } : {}), name: sourceName, value, foreign: true });
  }
  return { items, warnings };
}

function finish(volume: Volume, structures: readonly ImportedStructure[], resampled: boolean, warnings: string[], source: string): ImportLabelsResult {
  const byName = new Map<string, ImportedStructure[]>();
  for (const structure of structures) byName.set(structure.name, [...(byName.get(structure.name) ?? []), structure]);
  const entries: LegendEntry[] = [];
  const merged: { name: string; sources: string[] }[] = [];
  for (const [name, group] of byName) {
    const present = group.filter((s) => s.voxels > 0);
    if (present.length === 0) continue;
    const sources = present.map((s) => s.source);
    if (sources.length > 1) merged.push({ name, sources });
    entries.push({ value: group[0]!.value, name, ...(group[0]!.foreign ? { foreign: true } : {}), source: sources.join('+') });
  }
  const notes = new Set(structures.filter((s) => s.voxels > 0 && s.note !== undefined).map((s) => `${s.source} → ${s.name}: approximate (${s.note})`));
  warnings.push(...notes);
  const foreign = structures.filter((s) => s.foreign && s.voxels > 0).map((s) => s.source);
  if (foreign.length > 0) warnings.push(`kept under their source names (not in Keyhole's vocabulary): ${foreign.join(', ')}`);
  const labelMap = createLabelMap({ volume, legend: { labels: entries }, source });
  return { labelMap, structures, foreign, merged, resampled, warnings };
}

function placementWarnings(placed: { resampled: boolean; labelledVoxelsOutside: number; labelledVoxels: number }, source: string): string[] {
  const out: string[] = [];
  if (placed.resampled) out.push(`${source} is on another grid; resampled onto the reference grid (nearest neighbour, through LPS)`);
  if (placed.labelledVoxelsOutside > 0) {
    out.push(`${source}: ${placed.labelledVoxelsOutside} of ${placed.labelledVoxels} labelled voxels lie outside the reference grid and were dropped`);
  }
  return out;
}

function countValues(data: ArrayLike<number>): Map<number, number> {
  // A typed histogram: a Map per voxel costs seconds on a 512×512×300 map.
  const histogram = new Float64Array(MAX_LABEL_VALUE + 1);
  for (let n = 0; n < data.length; n++) {
    const value = data[n]!;
    if (!(value >= 0 && value <= MAX_LABEL_VALUE && Number.isInteger(value))) {
      throw new KeyholeError('VALIDATION_FAILED', { path: 'voxels', message: `voxel ${n} holds ${value}, which is not a label (whole numbers 0–${MAX_LABEL_VALUE})` });
    }
    histogram[value] = histogram[value]! + 1;
  }
  const counts = new Map<number, number>();
  histogram.forEach((count, value) => {
    if (count > 0) counts.set(value, count);
  });
  return counts;
}
