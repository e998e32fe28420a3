import { KeyholeError } from '../errors/keyhole-error.ts';
import type { ImagingFindings } from './findings.ts';
import { parseDisc } from './spine-numbering.ts';
import { describeValue, isPlainObject, throwIfProblems, unknownNameMessage, type ValidationProblem } from './validation-problems.ts';

/** A field checker: returns an error message, or undefined when the value is fine. */
type Check = (value: unknown) => string | undefined;

const oneOf = (values: readonly (string | number)[]): Check => (value) =>
  values.includes(value as string | number) ? undefined : `expected one of ${values.join(', ')}, got ${describeValue(value)}`;
const numberIn = (min: number, max: number, unit = ''): Check => (value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? undefined : `expected a number between ${min} and ${max}${unit}, got ${describeValue(value)}`;
const text: Check = (value) => (typeof value === 'string' ? undefined : `expected text, got ${describeValue(value)}`);
const bool: Check = (value) => (typeof value === 'boolean' ? undefined : `expected true or false, got ${describeValue(value)}`);
const disc: Check = (value) =>
  typeof value === 'string' && parseDisc(value) !== undefined ? undefined : `expected a disc level such as "L4-L5" or "C5-C6", got ${describeValue(value)}`;
const vertebra: Check = (value) =>
  typeof value === 'string' && /^(C[1-7]|T([1-9]|1[0-3])|L[1-6]|S[1-2])$/.test(value) ? undefined : `expected a vertebra such as "L1", got ${describeValue(value)}`;

const SIDES = ['left', 'right', 'midline', 'bilateral'] as const;
const LATERAL_SIDES = ['left', 'right', 'bilateral'] as const;
const COMMON: Record<string, Check> = { id: text, confidence: numberIn(0, 1), needsReview: bool, producedBy: text };
const REQUIRED_COMMON = ['kind', 'level', 'confidence'];

/** Per kind: its own fields (level is a disc except for fractures) and which of them are required. */
const KINDS: Record<string, { fields: Record<string, Check>; required: readonly string[] }> = {
  'disc-herniation': {
    fields: {
      level: disc, zone: oneOf(['central', 'subarticular', 'foraminal', 'extraforaminal']), side: oneOf(SIDES),
      type: oneOf(['bulge', 'protrusion', 'extrusion', 'sequestration']), nomenclature: oneOf(['fardon-2014', 'pre-2014']),
      sizeMm: numberIn(0, 60, ' mm'), migration: () => undefined, fragmentLevel: disc, msu: () => undefined,
      canalCompromisePercent: numberIn(0, 100, ' %'), rootContact: oneOf(['none', 'contact', 'deviation', 'compression']),
    },
    required: ['zone', 'side', 'type'],
  },
  'central-stenosis': {
    fields: {
      level: disc, lurie: oneOf(['none', 'mild', 'moderate', 'severe']), lee: oneOf([0, 1, 2, 3]),
      schizas: oneOf(['A1', 'A2', 'A3', 'A4', 'B', 'C', 'D']), duralSacAreaMm2: numberIn(0, 600, ' mm²'), apDiameterMm: numberIn(0, 40, ' mm'), kang: oneOf([0, 1, 2, 3]),
    },
    required: [],
  },
  'lateral-recess-stenosis': { fields: { level: disc, side: oneOf(LATERAL_SIDES), bartynski: oneOf([0, 1, 2, 3]) }, required: ['side', 'bartynski'] },
  'foraminal-stenosis': {
    fields: { level: disc, side: oneOf(LATERAL_SIDES), lee: oneOf([0, 1, 2, 3]), kim: oneOf([0, 1, 2]), foraminalHeightMm: numberIn(0, 40, ' mm'), posteriorDiscHeightMm: numberIn(0, 30, ' mm') },
    required: ['side'],
  },
  spondylolisthesis: { fields: { level: disc, slipPercent: numberIn(0, 200, ' %'), meyerding: oneOf(['I', 'II', 'III', 'IV', 'V']) }, required: ['slipPercent'] },
  'disc-degeneration': { fields: { level: disc, pfirrmann: oneOf([1, 2, 3, 4, 5]) }, required: ['pfirrmann'] },
  modic: { fields: { level: disc, type: oneOf([1, 2, 3]) }, required: ['type'] },
  'compression-fracture': { fields: { level: vertebra, heightLossPercent: numberIn(0, 100, ' %'), acute: bool }, required: [] },
  'red-flag': {
    fields: { level: (v) => (disc(v) === undefined || vertebra(v) === undefined ? undefined : `expected a disc or vertebra level, got ${describeValue(v)}`), flag: oneOf(['suspected-tumour', 'suspected-infection', 'fracture', 'cord-signal']), note: text },
    required: ['flag'],
  },
};

export interface FindingsCheckResult {
  readonly findings: ImagingFindings | undefined;
  readonly problems: readonly ValidationProblem[];
}

/**
 * Checks an imaging-findings document (parsed JSON): either `{ schemaVersion, numbering?, findings: [...] }`
 * or a bare list of findings. Collects every problem with its JSON path (`findings[1].zone: …`).
 */
export function checkFindings(input: unknown): FindingsCheckResult {
  const problems: ValidationProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const document = Array.isArray(input) ? { findings: input } : input;
  if (!isPlainObject(document)) {
    add('(root)', `expected an object with a findings list, got ${describeValue(input)}`);
    return { findings: undefined, problems };
  }
  for (const key of Object.keys(document)) {
    if (!['schemaVersion', 'numbering', 'findings'].includes(key)) add(key, unknownNameMessage('field', key, ['schemaVersion', 'numbering', 'findings']));
  }
  if (document['schemaVersion'] !== undefined && document['schemaVersion'] !== 1) add('schemaVersion', `version ${describeValue(document['schemaVersion'])} is not supported (this Keyhole reads version 1)`);

  const numbering = document['numbering'];
  if (numbering !== undefined) {
    if (!isPlainObject(numbering)) add('numbering', `expected an object, got ${describeValue(numbering)}`);
    else {
      for (const key of Object.keys(numbering)) if (!['lumbarCount', 'transitional', 'countVerified'].includes(key)) add(`numbering.${key}`, unknownNameMessage('field', key, ['lumbarCount', 'transitional', 'countVerified']));
      const count = numbering['lumbarCount'];
      if (!(count === 4 || count === 5 || count === 6)) add('numbering.lumbarCount', `expected 4, 5 or 6 lumbar vertebrae, got ${describeValue(count)}`);
      if (typeof numbering['countVerified'] !== 'boolean') add('numbering.countVerified', `expected true (counted from C2) or false, got ${describeValue(numbering['countVerified'])}`);
      const t = numbering['transitional'];
      if (t !== undefined) {
        if (!isPlainObject(t)) add('numbering.transitional', `expected an object, got ${describeValue(t)}`);
        else {
          const v = vertebra(t['vertebra']);
          if (v !== undefined) add('numbering.transitional.vertebra', v);
          const k = oneOf(['sacralized', 'lumbarized'])(t['kind']);
          if (k !== undefined) add('numbering.transitional.kind', k);
          if (t['castellvi'] !== undefined) {
            const c = oneOf(['Ia', 'Ib', 'IIa', 'IIb', 'IIIa', 'IIIb', 'IV'])(t['castellvi']);
            if (c !== undefined) add('numbering.transitional.castellvi', c);
          }
        }
      }
    }
  }

  const list = document['findings'];
  if (!Array.isArray(list)) {
    add('findings', `expected a list of findings, got ${describeValue(list)}`);
    return { findings: undefined, problems };
  }
  list.forEach((item: unknown, index) => {
    const at = `findings[${index}]`;
    if (!isPlainObject(item)) {
      add(at, `expected a finding object, got ${describeValue(item)}`);
      return;
    }
    const spec = KINDS[item['kind'] as string];
    if (spec === undefined) {
      add(`${at}.kind`, unknownNameMessage('finding kind', item['kind'], Object.keys(KINDS)));
      return;
    }
    const fields: Record<string, Check> = { ...COMMON, ...spec.fields, kind: () => undefined };
    for (const key of [...REQUIRED_COMMON, ...spec.required]) if (item[key] === undefined) add(`${at}.${key}`, 'missing');
    for (const [key, value] of Object.entries(item)) {
      const check = fields[key];
      if (check === undefined) add(`${at}.${key}`, unknownNameMessage(`field of a ${String(item['kind'])} finding`, key, Object.keys(fields)));
      else {
        const message = check(value);
        if (message !== undefined) add(`${at}.${key}`, message);
      }
    }
    if (item['kind'] === 'disc-herniation') {
      const migration = item['migration'];
      if (migration !== undefined) {
        if (!isPlainObject(migration)) add(`${at}.migration`, `expected { direction, grade, leeZone? }, got ${describeValue(migration)}`);
        else {
          const d = oneOf(['up', 'down'])(migration['direction']);
          if (d !== undefined) add(`${at}.migration.direction`, d);
          const g = oneOf(['low', 'high'])(migration['grade']);
          if (g !== undefined) add(`${at}.migration.grade`, g);
          if (migration['leeZone'] !== undefined) {
            const z = oneOf([1, 2, 3, 4])(migration['leeZone']);
            if (z !== undefined) add(`${at}.migration.leeZone`, z);
          }
        }
      }
      const msu = item['msu'];
      if (msu !== undefined) {
        if (!isPlainObject(msu)) add(`${at}.msu`, `expected { size, location }, got ${describeValue(msu)}`);
        else {
          const s = oneOf([1, 2, 3])(msu['size']);
          if (s !== undefined) add(`${at}.msu.size`, s);
          const l = oneOf(['A', 'AB', 'B', 'C'])(msu['location']);
          if (l !== undefined) add(`${at}.msu.location`, l);
        }
      }
      if (item['zone'] !== 'central' && item['side'] === 'midline') add(`${at}.side`, `a ${String(item['zone'])} herniation lies on the left or right, not the midline`);
    }
  });

  if (problems.length > 0) return { findings: undefined, problems };
  const result = {
    schemaVersion: 1,
    ...(numbering !== undefined ? { numbering } : {}),
    findings: list,
  } as unknown as ImagingFindings;
  return { findings: result, problems };
}

/** Like `checkFindings`, but throws one `IMAGING_FINDINGS_INVALID` error listing every problem (`file`, when given, is named in it). */
export function validateFindings(input: unknown, file?: string): ImagingFindings {
  const { findings, problems } = checkFindings(input);
  throwIfProblems('IMAGING_FINDINGS_INVALID', 'the imaging findings', problems, file);
  if (findings === undefined) throw new KeyholeError('INTERNAL', { message: 'the findings check returned neither findings nor a problem' });
  return findings;
}
