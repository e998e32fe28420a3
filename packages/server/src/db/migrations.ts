import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DialectName } from './connect.ts';
import { migration002DicomNodes } from '../dimse/dicom-node-migration.ts';
import { migration003Annotations } from '../annotations/migration.ts';
import { migration004Anatomy } from '../anatomy/migration.ts';
import { migration005StudyAccess } from '../study-access/migration.ts';

/**
 * Versioned migrations, the same for SQLite and PostgreSQL (one code path, tested on both).
 * Never edit a shipped migration: add the next one.
 */
function id(dialect: DialectName): 'integer' | 'serial' {
  return dialect === 'postgres' ? 'serial' : 'integer';
}

function migration001(dialect: DialectName): Migration {
  const pk = id(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('patient')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('patient_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('birth_date', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('sex', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('patient_identity', ['patient_id', 'issuer'])
        .execute();
      await db.schema
        .createTable('study')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('patient_ref', 'integer', (c) => c.notNull().references('patient.id'))
        .addColumn('study_uid', 'text', (c) => c.notNull().unique())
        .addColumn('study_date', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('study_time', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('accession_number', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('study_description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('referring_physician', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('study_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('modalities', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('series_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('instance_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('series')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('study_ref', 'integer', (c) => c.notNull().references('study.id'))
        .addColumn('series_uid', 'text', (c) => c.notNull().unique())
        .addColumn('modality', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('series_number', 'integer')
        .addColumn('series_description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('body_part', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('instance_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('instance')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('series_ref', 'integer', (c) => c.notNull().references('series.id'))
        .addColumn('sop_instance_uid', 'text', (c) => c.notNull().unique())
        .addColumn('sop_class_uid', 'text', (c) => c.notNull())
        .addColumn('instance_number', 'integer')
        .addColumn('transfer_syntax_uid', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer')
        .addColumn('columns', 'integer')
        .addColumn('frames', 'integer')
        .addColumn('file_path', 'text', (c) => c.notNull())
        .addColumn('file_size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('metadata_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // QIDO-RS matching keys (PS3.18 Table 10.6.1-5).
      await db.schema.createIndex('patient_name_idx').on('patient').column('patient_name').execute();
      await db.schema.createIndex('study_patient_idx').on('study').column('patient_ref').execute();
      await db.schema.createIndex('study_date_idx').on('study').column('study_date').execute();
      await db.schema.createIndex('study_accession_idx').on('study').column('accession_number').execute();
      await db.schema.createIndex('series_study_idx').on('series').column('study_ref').execute();
      await db.schema.createIndex('series_modality_idx').on('series').column('modality').execute();
      await db.schema.createIndex('instance_series_idx').on('instance').column('series_ref').execute();

      await db.schema
        .createTable('app_user')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('token')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('user_ref', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('expires_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('study_uid', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('resource', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('source_address', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.createIndex('audit_at_idx').on('audit').column('at').execute();
      // The audit log is append-only: the database itself refuses updates and deletes.
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION audit_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql`.execute(db);
        await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END`.execute(db);
      }

      await db.schema
        .createTable('clinical_case')
        .addColumn('id', pk, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('patient_ref', 'integer', (c) => c.notNull().references('patient.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('document_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('case_study')
        .addColumn('case_ref', 'integer', (c) => c.notNull().references('clinical_case.id'))
        .addColumn('study_ref', 'integer', (c) => c.notNull().references('study.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_study_pk', ['case_ref', 'study_ref'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['case_study', 'clinical_case', 'audit', 'token', 'app_user', 'instance', 'series', 'study', 'patient']) {
        await db.schema.dropTable(table).execute();
      }
      if (dialect === 'postgres') await sql`DROP FUNCTION IF EXISTS audit_append_only`.execute(db);
    },
  };
}

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    getMigrations: () => Promise.resolve({ '001-archive-accounts-audit-cases': migration001(dialect), '002-dicom-nodes': migration002DicomNodes(dialect), '003-annotations': migration003Annotations(dialect), '004-anatomy': migration004Anatomy(dialect), '005-study-access': migration005StudyAccess(dialect) }),
  };
}
