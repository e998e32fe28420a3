/**
 * Turns QIDO-RS query parameters into SQL conditions over the archive's indexed columns
 * (dialect-neutral: plain comparisons, IN, LIKE with an explicit ESCAPE, lower()).
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import { matchingKey, type MatchingKey, type QueryLevel } from './qido-keys.ts';

export interface QidoQuery {
  readonly conditions: Array<RawBuilder<SqlBool>>;
  readonly includeFields: string[] | 'all';
  readonly limit: number;
  readonly offset: number;
  readonly warnings: string[];
}

/** Parameters that are not matching keys (PS3.18 §8.3.4). */
const CONTROL = new Set(['limit', 'offset', 'includefield', 'fuzzymatching', 'accept', 'charset']);

export const DEFAULT_QIDO_LIMIT = 1000;
export const MAX_QIDO_LIMIT = 10_000;

const LEVEL_ORDER: Record<QueryLevel | 'patient', number> = { patient: 0, study: 1, series: 2, instance: 3 };

export function parseQidoQuery(query: Record<string, unknown>, level: QueryLevel): QidoQuery {
  const conditions: Array<RawBuilder<SqlBool>> = [];
  const warnings: string[] = [];
  let includeFields: string[] | 'all' = [];
  let limit = DEFAULT_QIDO_LIMIT;
  let offset = 0;
  for (const [name, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v));
    const lower = name.toLowerCase();
    if (lower === 'limit' || lower === 'offset') {
      const n = Number(values[0]);
      if (!Number.isInteger(n) || n < 0) throw new KeyholeError('VALIDATION_FAILED', { path: `querystring.${name}`, message: `must be a non-negative integer, got "${values[0] ?? ''}"` });
      if (lower === 'limit') limit = Math.min(n === 0 ? MAX_QIDO_LIMIT : n, MAX_QIDO_LIMIT);
      else offset = n;
      continue;
    }
    if (lower === 'includefield') {
      const fields = values.flatMap((v) => v.split(',')).map((f) => f.trim()).filter((f) => f !== '');
      if (fields.some((f) => f.toLowerCase() === 'all')) includeFields = 'all';
      else if (includeFields !== 'all') includeFields.push(...fields.map((f) => tagOf(f, `querystring.includefield`)));
      continue;
    }
    if (lower === 'fuzzymatching') {
      if (values.some((v) => v.toLowerCase() === 'true')) warnings.push('The fuzzymatching parameter is not supported. Only literal matching has been performed.');
      continue;
    }
    if (CONTROL.has(lower)) continue;
    const key = matchingKey(name);
    if (key === undefined) {
      warnings.push(`The matching key ${name} is not supported and was ignored.`);
      continue;
    }
    if (LEVEL_ORDER[key.level] > LEVEL_ORDER[level]) {
      warnings.push(`The matching key ${key.keyword} is below the ${level} level and was ignored.`);
      continue;
    }
    const value = values[0] ?? '';
    if (value === '') continue; // universal matching (PS3.4 §C.2.2.2.3)
    conditions.push(condition(key, value));
  }
  return { conditions, includeFields, limit, offset, warnings };
}

/** A tag (8 hex digits) from a keyword or a tag given in includefield. */
function tagOf(field: string, path: string): string {
  if (/^[0-9a-fA-F]{8}$/.test(field)) return field.toUpperCase();
  const key = matchingKey(field);
  if (key !== undefined) return key.tag;
  const known = KEYWORD_TAGS[field];
  if (known !== undefined) return known;
  throw new KeyholeError('VALIDATION_FAILED', { path, message: `unknown attribute "${field}": give a keyword this server knows or a tag as 8 hex digits` });
}

/** Keywords accepted in includefield beyond the matching keys. */
const KEYWORD_TAGS: Record<string, string> = {
  SpecificCharacterSet: '00080005', InstitutionName: '00080080', Manufacturer: '00080070', ManufacturerModelName: '00081090',
  NumberOfFrames: '00280008', Rows: '00280010', Columns: '00280011', PixelSpacing: '00280030', SliceThickness: '00180050',
  ImagePositionPatient: '00200032', ImageOrientationPatient: '00200037', FrameOfReferenceUID: '00200052', PatientAge: '00101010',
  SeriesDate: '00080021', SeriesTime: '00080031', ProtocolName: '00181030', PatientPosition: '00185100', WindowCenter: '00281050',
  WindowWidth: '00281051', RescaleIntercept: '00281052', RescaleSlope: '00281053', PhotometricInterpretation: '00280004', BitsAllocated: '00280100',
  TransferSyntaxUID: '00020010', NumberOfStudyRelatedSeries: '00201206', NumberOfStudyRelatedInstances: '00201208', NumberOfSeriesRelatedInstances: '00201209',
};

function condition(key: MatchingKey, value: string): RawBuilder<SqlBool> {
  const column = sql.ref(key.column);
  switch (key.kind) {
    case 'uid': {
      const uids = value.split(/[,\\]/).map((v) => v.trim()).filter((v) => v !== '');
      if (uids.some((u) => !/^[0-9]+(\.[0-9]+)*$/.test(u) || u.length > 64)) throw new KeyholeError('VALIDATION_FAILED', { path: `querystring.${key.keyword}`, message: `"${value}" is not a UID or a list of UIDs` });
      return sql<SqlBool>`${column} in (${sql.join(uids)})`;
    }
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new KeyholeError('VALIDATION_FAILED', { path: `querystring.${key.keyword}`, message: `"${value}" is not a number` });
      return sql<SqlBool>`${column} = ${n}`;
    }
    case 'date': {
      const range = /^(\d*)-(\d*)$/.exec(value.replace(/[:.]/g, ''));
      if (range !== null) {
        const [, from = '', to = ''] = range;
        if (from !== '' && to !== '') return sql<SqlBool>`(${column} >= ${from} and ${column} <= ${to} and ${column} <> '')`;
        if (from !== '') return sql<SqlBool>`${column} >= ${from}`;
        // A date compared "up to" must still have a value (an empty date is unknown, not early).
        if (to !== '') return sql<SqlBool>`(${column} <= ${to} and ${column} <> '')`;
      }
      return sql<SqlBool>`${column} = ${value}`;
    }
    case 'modalities': {
      const modalities = value.split(/[,\\]/).map((v) => v.trim()).filter((v) => v !== '');
      return sql<SqlBool>`exists (select 1 from series as s2 where s2.study_ref = study.id and s2.modality in (${sql.join(modalities)}))`;
    }
    case 'pn':
    case 'string': {
      const caseless = key.kind === 'pn';
      const target = caseless ? sql`lower(${column})` : column;
      const wanted = caseless ? value.toLowerCase() : value;
      if (/[*?]/.test(wanted)) return sql<SqlBool>`${target} like ${likePattern(wanted)} escape '!'`;
      return sql<SqlBool>`${target} = ${wanted}`;
    }
  }
}

/** DICOM wildcards (PS3.4 §C.2.2.2.4) → SQL LIKE, with `!` escaping LIKE's own specials. */
export function likePattern(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}
