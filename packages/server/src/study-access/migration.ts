import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../db/connect.ts';

/**
 * Migration 005: per-study access lists. A study with rows here is restricted: only the users
 * named (and admins) may see it; a study without rows is open to every role that may read
 * patient data, as before.
 */
export function migration005StudyAccess(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('study_access')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('study_uid', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('study_access_once', ['study_uid', 'user_name'])
        .execute();
      await db.schema.createIndex('study_access_user_idx').on('study_access').column('user_name').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('study_access').execute();
    },
  };
}
