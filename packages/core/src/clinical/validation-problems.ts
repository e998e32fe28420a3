import type { ErrorCode } from '../errors/catalogue.ts';
import { KeyholeError } from '../errors/keyhole-error.ts';

/** One thing wrong with an input document: the JSON path of the field and what is wrong with it. */
export interface ValidationProblem {
  /** JSON path of the bad field, for example `weakness.great-toe-extension` or `painRegions[2]`. */
  readonly path: string;
  readonly message: string;
}

/** Formats a problem the way the user reads it: `painRegions[2]: unknown region "shin"`. */
export const formatProblem = (problem: ValidationProblem): string => `${problem.path}: ${problem.message}`;

/**
 * Throws one KeyholeError that lists every problem (not only the first), so that a form or a JSON file
 * can be fixed in one pass. The error's `path` is the first bad field (the message reads
 * `at painRegions[2]: unknown region "shin"; weakness.great-toe-extension: MRC grade 7 is outside 0–5`);
 * `details.problems` holds them all as `{ path, message }`, and `details.document` says what was checked.
 */
export function throwIfProblems(code: ErrorCode, document: string, problems: readonly ValidationProblem[], file?: string): void {
  const [first, ...rest] = problems;
  if (first === undefined) return;
  throw new KeyholeError(code, {
    ...(file !== undefined ? { file } : {}),
    message: [first.message, ...rest.map(formatProblem)].join('; '),
    path: first.path,
    details: { document, problems: problems.map((p) => ({ path: p.path, message: p.message })) },
  });
}

/** Levenshtein distance, for "did you mean" hints on unknown names. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The known names closest to an unknown one (containing it, or within a quarter of its length in edits), at most three. */
export function suggestNames(unknown: string, known: readonly string[]): string[] {
  const lower = unknown.toLowerCase();
  const containing = known.filter((name) => lower.length >= 3 && (name.includes(lower) || lower.includes(name)));
  const close = known
    .map((name) => ({ name, distance: editDistance(lower, name) }))
    .filter((c) => c.distance <= Math.max(1, Math.floor(c.name.length / 4)))
    .sort((a, b) => a.distance - b.distance)
    .map((c) => c.name);
  return [...new Set([...containing, ...close])].slice(0, 3);
}

/** `unknown region "shin" (did you mean "anterior-shin"?; known: …)`. */
export function unknownNameMessage(kind: string, value: unknown, known: readonly string[]): string {
  if (typeof value !== 'string') return `expected a ${kind} name (text), got ${describeValue(value)}`;
  const suggestions = suggestNames(value, known);
  const hint = suggestions.length > 0 ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : `known: ${known.join(', ')}`;
  return `unknown ${kind} "${value}" (${hint})`;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON path of a key under a parent: `weakness.great-toe-extension`, or `tests` at the top level. */
export const childPath = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);
