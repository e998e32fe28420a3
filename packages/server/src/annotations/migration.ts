import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../db/connect.ts';

/**
 * Migration 003: measurements and annotations drawn in the viewer (length, angle, …), kept with
 * the study and, when drawn inside a case, with the case. Points are DICOM patient coordinates
 * (LPS, mm), so they do not depend on the viewer that drew them. `annotation_uid` is the viewer's
 * own id for the annotation: saving the same one again replaces it (idempotent).
 */
export function migration003Annotations(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('annotation')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('annotation_uid', 'text', (c) => c.notNull().unique())
        .addColumn('study_ref', 'integer', (c) => c.notNull().references('study.id'))
        .addColumn('case_ref', 'integer', (c) => c.references('clinical_case.id'))
        .addColumn('series_uid', 'text', (c) => c.notNull())
        .addColumn('tool', 'text', (c) => c.notNull())
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('annotation_study_idx').on('annotation').column('study_ref').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('annotation').execute();
    },
  };
}
