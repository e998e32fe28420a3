/**
 * Finding stored instances for retrieve requests (WADO-RS, WADO-URI): by study, series or
 * instance UID, in series then instance-number order; 404 NOT_FOUND when nothing matches.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import type { Database } from '../db/schema.ts';

export interface InstanceRow {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly patientId: string;
  readonly filePath: string;
  readonly sha256: string;
  readonly frames: number | null;
  readonly metadataJson: string;
}

export interface FindInstancesOptions {
  readonly db: Kysely<Database>;
  readonly study: string;
  readonly series?: string | undefined;
  readonly instance?: string | undefined;
}

export async function findInstances(options: FindInstancesOptions): Promise<InstanceRow[]> {
  let q = options.db
    .selectFrom('instance')
    .innerJoin('series', 'series.id', 'instance.series_ref')
    .innerJoin('study', 'study.id', 'series.study_ref')
    .innerJoin('patient', 'patient.id', 'study.patient_ref')
    .select(['study.study_uid', 'series.series_uid', 'instance.sop_instance_uid', 'instance.sop_class_uid', 'instance.transfer_syntax_uid', 'patient.patient_id', 'instance.file_path', 'instance.sha256', 'instance.frames', 'instance.metadata_json'])
    .where('study.study_uid', '=', options.study);
  if (options.series !== undefined) q = q.where('series.series_uid', '=', options.series);
  if (options.instance !== undefined) q = q.where('instance.sop_instance_uid', '=', options.instance);
  const rows = await q.orderBy('series.id').orderBy('instance.instance_number').orderBy('instance.id').execute();
  if (rows.length === 0) {
    const what = options.instance !== undefined ? `instance ${options.instance}` : options.series !== undefined ? `series ${options.series}` : `study ${options.study}`;
    throw new KeyholeError('NOT_FOUND', { message: `no ${what} in this archive` });
  }
  return rows.map((r) => ({ studyUid: r.study_uid, seriesUid: r.series_uid, sopInstanceUid: r.sop_instance_uid, sopClassUid: r.sop_class_uid, transferSyntaxUid: r.transfer_syntax_uid, patientId: r.patient_id, filePath: r.file_path, sha256: r.sha256, frames: r.frames, metadataJson: r.metadata_json }));
}

/** Records the patient and study a retrieve touched, for the audit entry. */
export function auditRetrieve(request: FastifyRequest, action: string, rows: InstanceRow[]): void {
  request.audit.action = action;
  const first = rows[0];
  if (first !== undefined) {
    request.audit.patientId = first.patientId;
    request.audit.studyUid = first.studyUid;
  }
  request.audit.detail = `${rows.length} instance(s)`;
}
