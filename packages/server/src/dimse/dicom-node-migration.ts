import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../db/connect.ts';

/**
 * Migration 002: the DICOM nodes this archive talks to.
 * - `local-caller`: a modality or workstation allowed to open an association with our SCP
 *   (C-ECHO, C-STORE, C-FIND); matched on its calling AE title and, when `host` is set, its address.
 * - `remote-pacs`: a PACS we query and pull from (DIMSE C-FIND/C-MOVE at host:port, and/or
 *   DICOMweb at `dicomweb_url`). A remote PACS is also allowed to call us (it pushes the
 *   instances of a C-MOVE, or sends on its own).
 */
export function migration002DicomNodes(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dicom_node')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ae_title', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('port', 'integer')
        .addColumn('dicomweb_url', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('dicomweb_auth', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dicom_node_ae_idx').on('dicom_node').column('ae_title').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('dicom_node').execute();
    },
  };
}
