import {
  BODY_REGIONS, COMPLAINTS, EXAM_SIDES, MOVEMENTS, PATHOLOGICAL_REFLEXES, PROVOCATION_TESTS, RED_FLAGS, REFLEX_GRADES, SIGN_RESULTS,
  TENDON_REFLEXES, type BodyRegion, type RedFlag,
} from './exam-vocabulary.ts';
import { KeyholeError } from '../errors/keyhole-error.ts';
import type { ClinicalExam } from './exam.ts';
import {
  childPath, describeValue, isPlainObject, throwIfProblems, unknownNameMessage, type ValidationProblem,
} from './validation-problems.ts';

export interface ExamCheckResult {
  /** The exam, when there were no problems. */
  readonly exam: ClinicalExam | undefined;
  /** Every problem found, each with the JSON path of the bad field. */
  readonly problems: readonly ValidationProblem[];
}

const EXAM_KEYS = [
  'schemaVersion', 'complaint', 'side', 'durationWeeks', 'conservativeCareWeeks', 'painRegions', 'sensoryLoss', 'weakness',
  'reflexes', 'tests', 'redFlags', 'notes',
] as const;

/**
 * Checks an examination document (parsed JSON) against the vocabulary of issue 6 and collects every
 * problem with its path, for example `weakness.great-toe-extension: MRC grade 7 is outside 0–5` or
 * `painRegions[2]: unknown region "shin"`. Strict: unknown fields are problems too, since a misspelt
 * field name would otherwise silently drop a finding.
 */
export function checkExam(input: unknown): ExamCheckResult {
  const problems: ValidationProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  if (!isPlainObject(input)) {
    add('(root)', `expected an object with complaint, side, painRegions, …; got ${describeValue(input)}`);
    return { exam: undefined, problems };
  }
  for (const key of Object.keys(input)) {
    if (!(EXAM_KEYS as readonly string[]).includes(key)) add(key, unknownNameMessage('field', key, EXAM_KEYS));
  }

  const schemaVersion = input['schemaVersion'];
  if (schemaVersion !== undefined && schemaVersion !== 1) add('schemaVersion', `version ${describeValue(schemaVersion)} is not supported (this Keyhole reads version 1)`);

  const complaint = input['complaint'];
  if (complaint === undefined) add('complaint', `missing; one of ${COMPLAINTS.join(', ')}`);
  else if (!(COMPLAINTS as readonly unknown[]).includes(complaint)) add('complaint', unknownNameMessage('complaint', complaint, COMPLAINTS));

  const side = input['side'];
  if (side === undefined) add('side', `missing; one of ${EXAM_SIDES.join(', ')}`);
  else if (!(EXAM_SIDES as readonly unknown[]).includes(side)) add('side', unknownNameMessage('side', side, EXAM_SIDES));

  for (const key of ['durationWeeks', 'conservativeCareWeeks'] as const) {
    const value = input[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 5200)) {
      add(key, `expected a number of weeks between 0 and 5200, got ${describeValue(value)}`);
    }
  }

  const regionList = (key: 'painRegions' | 'sensoryLoss'): BodyRegion[] => {
    const value = input[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      add(key, `expected a list of regions, got ${describeValue(value)}`);
      return [];
    }
    value.forEach((item: unknown, index) => {
      if (!(BODY_REGIONS as readonly unknown[]).includes(item)) add(`${key}[${index}]`, unknownNameMessage('region', item, BODY_REGIONS));
    });
    return [...new Set(value.filter((item: unknown): item is BodyRegion => (BODY_REGIONS as readonly unknown[]).includes(item)))];
  };
  const painRegions = regionList('painRegions');
  const sensoryLoss = regionList('sensoryLoss');

  /** An object whose keys come from `names` and whose values pass `checkValue`. */
  const record = (key: string, names: readonly string[], kind: string, checkValue: (value: unknown, path: string) => boolean): Record<string, unknown> => {
    const value = input[key];
    if (value === undefined) return {};
    if (!isPlainObject(value)) {
      add(key, `expected an object of ${kind} names, got ${describeValue(value)}`);
      return {};
    }
    const out: Record<string, unknown> = {};
    for (const [name, grade] of Object.entries(value)) {
      const path = childPath(key, name);
      if (!names.includes(name)) add(path, unknownNameMessage(kind, name, names));
      else if (checkValue(grade, path)) out[name] = grade;
    }
    return out;
  };

  const weakness = record('weakness', MOVEMENTS, 'movement', (grade, path) => {
    if (typeof grade === 'number' && Number.isInteger(grade) && grade >= 0 && grade <= 5) return true;
    add(path, typeof grade === 'number' ? `MRC grade ${grade} is outside 0–5` : `expected an MRC grade 0–5, got ${describeValue(grade)}`);
    return false;
  });

  const reflexNames = [...TENDON_REFLEXES, ...PATHOLOGICAL_REFLEXES];
  const reflexes = record('reflexes', reflexNames, 'reflex', (grade, path) => {
    const pathological = (PATHOLOGICAL_REFLEXES as readonly string[]).some((name) => path.endsWith(`.${name}`));
    const allowed: readonly string[] = pathological ? SIGN_RESULTS : REFLEX_GRADES;
    if (allowed.includes(grade as string)) return true;
    add(path, `expected one of ${allowed.join(', ')}, got ${describeValue(grade)}`);
    return false;
  });

  const tests = record('tests', PROVOCATION_TESTS, 'test', (result, path) => {
    if ((SIGN_RESULTS as readonly unknown[]).includes(result)) return true;
    add(path, `expected positive or negative, got ${describeValue(result)}`);
    return false;
  });

  let redFlags: RedFlag[] = [];
  const flags = input['redFlags'];
  if (flags !== undefined) {
    if (!Array.isArray(flags)) add('redFlags', `expected a list of red flags, got ${describeValue(flags)}`);
    else {
      flags.forEach((flag: unknown, index) => {
        if (!(RED_FLAGS as readonly unknown[]).includes(flag)) add(`redFlags[${index}]`, unknownNameMessage('red flag', flag, RED_FLAGS));
      });
      redFlags = [...new Set(flags.filter((flag: unknown): flag is RedFlag => (RED_FLAGS as readonly unknown[]).includes(flag)))];
    }
  }

  const notes = input['notes'];
  if (notes !== undefined && typeof notes !== 'string') add('notes', `expected text, got ${describeValue(notes)}`);

  if (problems.length > 0) return { exam: undefined, problems };
  const durationWeeks = input['durationWeeks'] as number | undefined;
  const conservativeCareWeeks = input['conservativeCareWeeks'] as number | undefined;
  const exam: ClinicalExam = {
    schemaVersion: 1,
    complaint: complaint as ClinicalExam['complaint'],
    side: side as ClinicalExam['side'],
    ...(durationWeeks !== undefined ? { durationWeeks } : {}),
    ...(conservativeCareWeeks !== undefined ? { conservativeCareWeeks } : {}),
    painRegions,
    sensoryLoss,
    weakness: weakness as ClinicalExam['weakness'],
    reflexes: reflexes as ClinicalExam['reflexes'],
    tests: tests as ClinicalExam['tests'],
    redFlags,
    ...(typeof notes === 'string' ? { notes } : {}),
  };
  return { exam, problems };
}

/** Like `checkExam`, but throws one `CLINICAL_EXAM_INVALID` error listing every problem (`file`, when given, is named in it). */
export function validateExam(input: unknown, file?: string): ClinicalExam {
  const { exam, problems } = checkExam(input);
  throwIfProblems('CLINICAL_EXAM_INVALID', 'the examination', problems, file);
  if (exam === undefined) throw new KeyholeError('INTERNAL', { message: 'the examination check returned neither an exam nor a problem' });
  return exam;
}
