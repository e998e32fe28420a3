import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { nowIso } from '../db/connect.ts';

export interface AuditEntry {
  readonly userName: string;
  readonly role: string;
  /** What was done, e.g. `qido.studies`, `wado.instance`, `stow`, `sign-in`, `dimse.c-store`. */
  readonly action: string;
  /** `success`, `denied`, `failed` or `partial`. */
  readonly outcome: 'success' | 'denied' | 'failed' | 'partial';
  readonly patientId?: string;
  readonly studyUid?: string;
  /** The URL or object concerned. */
  readonly resource?: string;
  readonly sourceAddress?: string;
  readonly detail?: string;
}

/** Appends one entry; the table refuses updates and deletes (see migrations). */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      at: nowIso(),
      user_name: entry.userName,
      role: entry.role,
      action: entry.action,
      outcome: entry.outcome,
      patient_id: entry.patientId ?? '',
      study_uid: entry.studyUid ?? '',
      resource: entry.resource ?? '',
      source_address: entry.sourceAddress ?? '',
      detail: entry.detail ?? '',
    })
    .execute();
}
