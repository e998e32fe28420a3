/**
 * The legend of a label map: which integer value holds which structure, in Keyhole's anatomy
 * vocabulary (`LABELS` in ../phantom/vocabulary.ts: `L4`, `sacrum`, `L4-L5`, `dural_sac`,
 * `root_L5_left`, `aorta`, …). It is the CLI's `--legend` file:
 *
 *   {"labels":[{"value":24,"name":"L4"},{"value":1077,"name":"liver","foreign":true,"source":"liver"}]}
 *
 * - `name` must be a vocabulary name unless the entry is marked `foreign: true`: structures another
 *   tool segments and Keyhole has no name for (TotalSegmentator's `liver`) keep their source name and
 *   are marked, so nothing is silently renamed or dropped;
 * - `source` (optional) names what the entry came from (`vertebrae_L4`, or `colon+small_bowel` when
 *   two source structures were merged into one Keyhole structure);
 * - value 0 is background and never listed; values and names are unique.
 *
 * The shape is a superset of the spine model's `LabelLegend` ({labels:[{value,name}]}), so a
 * legend written here is read there and vice versa.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { isLabelName } from '../phantom/vocabulary.ts';

export interface LegendEntry {
  /** Voxel value (a positive integer; 0 is background). */
  readonly value: number;
  /** Keyhole vocabulary name, or the source tool's name when `foreign`. */
  readonly name: string;
  /** True when `name` is not in Keyhole's vocabulary (kept under the source tool's name). */
  readonly foreign?: boolean;
  /** What the entry came from in the source (TotalSegmentator's name, a DICOM SEG segment label). */
  readonly source?: string;
}

export interface SegmentationLegend {
  readonly labels: readonly LegendEntry[];
}

/** Largest value a label map holds (uint16 storage; DICOM SEG segment numbers are US too). */
export const MAX_LABEL_VALUE = 65535;

interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks a legend document (parsed JSON) and returns it typed. Every problem is collected with the
 * path of its field, e.g. `labels[3].name: unknown structure "L7"`, and thrown together as one
 * VALIDATION_FAILED error (the first problem's path on `error.path`, all of them in `details.problems`).
 */
export function parseLegend(input: unknown, source = 'legend'): SegmentationLegend {
  const problems: Problem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    add('(root)', `expected {"labels":[{"value":…,"name":…}]}, got ${describe(input)}`);
    return fail(problems, source);
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key !== 'labels') add(key, `unknown field "${key}" (a legend has only "labels")`);
  const labels = record['labels'];
  if (!Array.isArray(labels)) {
    add('labels', `expected an array of {"value":…,"name":…}, got ${describe(labels)}`);
    return fail(problems, source);
  }
  const entries: LegendEntry[] = [];
  const values = new Map<number, number>();
  const names = new Map<string, number>();
  labels.forEach((item: unknown, index) => {
    const path = `labels[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      add(path, `expected {"value":…,"name":…}, got ${describe(item)}`);
      return;
    }
    const entry = item as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!['value', 'name', 'foreign', 'source'].includes(key)) add(`${path}.${key}`, `unknown field "${key}" (entries have value, name, foreign, source)`);
    }
    const { value, name, foreign, source: from } = entry;
    let ok = true;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LABEL_VALUE) {
      add(`${path}.value`, `expected a whole number from 1 to ${MAX_LABEL_VALUE} (0 is background), got ${describe(value)}`);
      ok = false;
    } else if (values.has(value)) {
      add(`${path}.value`, `value ${value} is already used by labels[${values.get(value)}]`);
      ok = false;
    }
    if (foreign !== undefined && typeof foreign !== 'boolean') {
      add(`${path}.foreign`, `expected true or false, got ${describe(foreign)}`);
      ok = false;
    }
    if (from !== undefined && (typeof from !== 'string' || from.length === 0)) {
      add(`${path}.source`, `expected a non-empty string, got ${describe(from)}`);
      ok = false;
    }
    if (typeof name !== 'string' || name.length === 0) {
      add(`${path}.name`, `expected a structure name, got ${describe(name)}`);
      ok = false;
    } else if (foreign !== true && !isLabelName(name)) {
      add(`${path}.name`, `unknown structure "${name}"; use a name of Keyhole's anatomy vocabulary (L4, sacrum, L4-L5, dural_sac, root_L5_left, aorta, …) or mark the entry "foreign": true`);
      ok = false;
    } else if (foreign === true && isLabelName(name)) {
      add(`${path}.foreign`, `"${name}" is in Keyhole's vocabulary; do not mark it foreign`);
      ok = false;
    } else if (name === 'background') {
      add(`${path}.name`, 'background is value 0 and is not listed');
      ok = false;
    } else if (names.has(name)) {
      add(`${path}.name`, `"${name}" is already named by labels[${names.get(name)}]`);
      ok = false;
    }
    if (!ok) return;
    values.set(value as number, index);
    names.set(name as string, index);
    entries.push({
      value: value as number,
      name: name as string,
      ...(foreign === true ? { foreign: true } : {}),
      ...(typeof from === 'string' ? { source: from } : {}),
    });
  });
  if (problems.length > 0) return fail(problems, source);
  return { labels: entries };
}

/** The legend as the JSON document the CLI writes (entries in ascending value order). */
export function legendToJson(legend: SegmentationLegend): string {
  const labels = [...legend.labels].sort((a, b) => a.value - b.value).map((entry) => ({
    value: entry.value,
    name: entry.name,
    ...(entry.foreign === true ? { foreign: true } : {}),
    ...(entry.source !== undefined ? { source: entry.source } : {}),
  }));
  return `{"labels":[\n${labels.map((entry) => `  ${JSON.stringify(entry)}`).join(',\n')}\n]}\n`;
}

/** Entry of a value, or undefined. */
export function legendEntry(legend: SegmentationLegend, value: number): LegendEntry | undefined {
  return legend.labels.find((entry) => entry.value === value);
}

/** Entry of a structure name, or undefined. */
export function legendEntryByName(legend: SegmentationLegend, name: string): LegendEntry | undefined {
  return legend.labels.find((entry) => entry.name === name);
}

function fail(problems: readonly Problem[], source: string): never {
  const first = problems[0]!;
  const rest = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1, 4).map((p) => `${p.path}: ${p.message}`).join('; ')})` : '';
  throw new KeyholeError('VALIDATION_FAILED', {
    file: source,
    path: first.path,
    message: `${first.message}${rest}`,
    details: { problems },
  });
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}
