import { sql, type RawBuilder } from 'kysely';

/**
 * DICOM attribute matching (PS3.4 §C.2.2.2) translated to SQL that runs the same on SQLite and
 * PostgreSQL, as QIDO-RS applies it (PS3.18 §8.3.4): an empty value matches everything (universal
 * matching); `*` and `?` are wildcards; a backslash-separated list of UIDs matches any of them;
 * dates and times match single values or `from-to` ranges with either end open.
 */
export type MatchKind = 'text' | 'person-name' | 'uid' | 'date' | 'time' | 'multi-valued';

/** Escapes LIKE's own wildcards so that a literal % or _ in a DICOM value matches only itself. */
function likePattern(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}

const hasWildcard = (value: string): boolean => /[*?]/.test(value);

/**
 * A SQL condition for one matching key, or undefined for universal matching. `column` is a
 * qualified column reference such as `study.study_date`.
 */
export function matchCondition(column: string, rawValue: string, kind: MatchKind): RawBuilder<boolean> | undefined {
  const value = rawValue.trim();
  if (value === '' || value === '*') return undefined;
  const ref = sql.ref(column);
  switch (kind) {
    case 'uid': {
      const uids = value.split('\\').map((uid) => uid.trim()).filter((uid) => uid !== '');
      return sql<boolean>`${ref} in (${sql.join(uids)})`;
    }
    case 'date':
    case 'time': {
      const dash = value.indexOf('-');
      // DA is YYYYMMDD; TM is HHMMSS.FFFFFF with optional trailing parts, compared as text.
      const normalise = (v: string): string => v.replace(/[.:]/g, (c) => (kind === 'date' ? '' : c === ':' ? '' : c));
      if (dash < 0) return kind === 'date' ? sql<boolean>`${ref} = ${normalise(value)}` : sql<boolean>`${ref} like ${`${likePattern(normalise(value))}%`} escape '\\'`;
      const from = normalise(value.slice(0, dash).trim());
      const to = normalise(value.slice(dash + 1).trim());
      // An open end of a time range includes everything up to the end of that hour/minute.
      const upper = kind === 'time' && to !== '' ? `${to}\uffff` : to;
      if (from !== '' && to !== '') return sql<boolean>`(${ref} >= ${from} and ${ref} <= ${upper} and ${ref} <> '')`;
      if (from !== '') return sql<boolean>`(${ref} >= ${from})`;
      return sql<boolean>`(${ref} <= ${upper} and ${ref} <> '')`;
    }
    case 'person-name': {
      // PN matching is case-insensitive here on both dialects (SQLite's LIKE already is; PostgreSQL's
      // is not), as most archives do for names typed at a console.
      return hasWildcard(value) ? sql<boolean>`upper(${ref}) like upper(${likePattern(value)}) escape '\\'` : sql<boolean>`upper(${ref}) = upper(${value})`;
    }
    case 'multi-valued': {
      // A multi-valued column stored backslash-separated (ModalitiesInStudy): any listed value matches.
      const wanted = value.split('\\').filter((v) => v !== '');
      const parts = wanted.map((v) => sql<boolean>`('\\' || ${ref} || '\\') like ${`%\\\\${likePattern(v)}\\\\%`} escape '\\'`);
      return sql<boolean>`(${sql.join(parts, sql` or `)})`;
    }
    case 'text':
      return hasWildcard(value) ? sql<boolean>`${ref} like ${likePattern(value)} escape '\\'` : sql<boolean>`${ref} = ${value}`;
  }
}
