import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../db/connect.ts';

/**
 * Migration 004: the spine anatomy of a series (issue 5) — one row per series: the state of the
 * last run (running, done, no spine found, failed, interrupted by a restart), its progress, the
 * spine model (landmarks in LPS mm, the level count with its confidence and cues), the DICOM SEG
 * series it stored, and who confirmed the level numbering and when (planning refuses an
 * unconfirmed count).
 */
export function migration004Anatomy(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('anatomy_model')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('series_uid', 'text', (c) => c.notNull().unique())
        .addColumn('study_uid', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('progress', 'real', (c) => c.notNull().defaultTo(0))
        .addColumn('stage', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('model_json', 'text')
        .addColumn('seg_series_uid', 'text')
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('confirmed_by', 'text')
        .addColumn('confirmed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('anatomy_model_study_idx').on('anatomy_model').column('study_uid').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('anatomy_model').execute();
    },
  };
}
