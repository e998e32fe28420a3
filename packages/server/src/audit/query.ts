import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface AuditQuery {
  readonly user?: string;
  readonly patient?: string;
  readonly study?: string;
  /** Exact action, or a prefix ending in `*` (`qido.*`). */
  readonly action?: string;
  readonly outcome?: string;
  /** ISO-8601 instants, inclusive; a bare date (2026-11-21) means the whole day for `to`. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface AuditRecord {
  readonly id: number;
  readonly at: string;
  readonly userName: string;
  readonly role: string;
  readonly action: string;
  readonly outcome: string;
  readonly patientId: string;
  readonly studyUid: string;
  readonly resource: string;
  readonly sourceAddress: string;
  readonly detail: string;
}

export interface AuditQueryResult {
  /** Entries matching the filters, before limit/offset. */
  readonly total: number;
  readonly entries: AuditRecord[];
}

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 10_000;

/** Audit entries, oldest first, filtered; timestamps are ISO-8601 UTC text, so text comparison orders them on both dialects. */
export async function queryAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditQueryResult> {
  let base = db.selectFrom('audit');
  if (query.user !== undefined) base = base.where('user_name', '=', query.user);
  if (query.patient !== undefined) base = base.where('patient_id', '=', query.patient);
  if (query.study !== undefined) base = base.where('study_uid', '=', query.study);
  if (query.outcome !== undefined) base = base.where('outcome', '=', query.outcome);
  if (query.action !== undefined) {
    // An explicit ESCAPE: SQLite has no default escape character for LIKE, PostgreSQL uses backslash.
    const prefix = query.action.slice(0, -1).replace(/[%_\\]/g, '\\$&');
    base = query.action.endsWith('*') ? base.where(sql<boolean>`action LIKE ${`${prefix}%`} ESCAPE '\\'`) : base.where('action', '=', query.action);
  }
  if (query.from !== undefined) base = base.where('at', '>=', query.from);
  if (query.to !== undefined) base = base.where('at', /^\d{4}-\d{2}-\d{2}$/.test(query.to) ? '<' : '<=', /^\d{4}-\d{2}-\d{2}$/.test(query.to) ? nextDay(query.to) : query.to);
  const { count } = await base.select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('id')
    .limit(Math.min(query.limit ?? AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT))
    .offset(query.offset ?? 0)
    .execute();
  return {
    total: Number(count),
    entries: rows.map((r) => ({ id: r.id, at: r.at, userName: r.user_name, role: r.role, action: r.action, outcome: r.outcome, patientId: r.patient_id, studyUid: r.study_uid, resource: r.resource, sourceAddress: r.source_address, detail: r.detail })),
  };
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}
