/**
 * Per-study access (migration 005): a restricted study is seen only by the users on its list and
 * by admins. Enforced in two places: every request that names a study (route parameter `study`,
 * WADO-URI's `studyUID`) is checked before its handler runs (plugin.ts), and QIDO-RS leaves the
 * restricted studies of others out of its results (`visibleStudies`), so a restricted study is
 * neither readable nor listed. DIMSE C-FIND callers are configured AEs, not users: not filtered.
 */
import { KeyholeError } from '@keyhole/core';
import type { ExpressionBuilder, Kysely } from 'kysely';
import { nowIso } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import type { Principal } from '../auth/tokens.ts';

/** Admins see every study; everyone else what is open or lists them. */
const seesEverything = (principal: Principal | undefined): boolean => principal?.role === 'admin';

export async function studyVisible(db: Kysely<Database>, principal: Principal | undefined, studyUid: string): Promise<boolean> {
  if (seesEverything(principal)) return true;
  const rows = await db.selectFrom('study_access').select('user_name').where('study_uid', '=', studyUid).execute();
  return rows.length === 0 || rows.some((row) => row.user_name === principal?.name);
}

export async function assertStudyVisible(db: Kysely<Database>, principal: Principal | undefined, studyUid: string): Promise<void> {
  if (!(await studyVisible(db, principal, studyUid))) {
    throw new KeyholeError('FORBIDDEN', { message: `you may not see study ${studyUid}: it is restricted to named users; ask an administrator for access`, details: { studyUid } });
  }
}

/**
 * A condition on `study.study_uid` keeping the studies the principal may see (for QIDO's queries,
 * which join `study`); undefined for admins (no condition).
 */
export function visibleStudies(principal: Principal | undefined): ((eb: ExpressionBuilder<Database, 'study'>) => ReturnType<ExpressionBuilder<Database, 'study'>['or']>) | undefined {
  if (seesEverything(principal)) return undefined;
  const name = principal?.name ?? '';
  return (eb) => eb.or([
    eb('study.study_uid', 'not in', eb.selectFrom('study_access').select('study_access.study_uid')),
    eb('study.study_uid', 'in', eb.selectFrom('study_access').select('study_access.study_uid').where('study_access.user_name', '=', name)),
  ]);
}

export async function studyAccessList(db: Kysely<Database>, studyUid: string): Promise<Array<{ userName: string; grantedBy: string; grantedAt: string }>> {
  const rows = await db.selectFrom('study_access').selectAll().where('study_uid', '=', studyUid).orderBy('user_name').execute();
  return rows.map((row) => ({ userName: row.user_name, grantedBy: row.granted_by, grantedAt: row.granted_at }));
}

/** Replaces a study's list in one transaction; an empty list opens the study again. */
export async function setStudyAccess(db: Kysely<Database>, studyUid: string, users: readonly string[], grantedBy: string): Promise<void> {
  const unique = [...new Set(users)];
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('study_access').where('study_uid', '=', studyUid).execute();
    if (unique.length > 0) await trx.insertInto('study_access').values(unique.map((user) => ({ study_uid: studyUid, user_name: user, granted_by: grantedBy, granted_at: nowIso() }))).execute();
  });
}
