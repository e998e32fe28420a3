import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { KeyholeError } from '@keyhole/core';
import { readStoredInstance } from '../store/index.ts';
import { deidentifyInstance, type DeidentifyOptions } from './deidentify-dataset.ts';
import { UidMap } from './uid-map.ts';
import { ZipWriter } from './zip-writer.ts';

/**
 * `POST /api/studies/{study}/export`: the study de-identified (PS3.15 Basic Profile, options to keep
 * dates or descriptions) as a zip streamed to the client, one instance at a time so memory stays
 * flat. Entries are `<new study UID>/<new series UID>/<new SOP instance UID>.dcm`. Audited as
 * `deidentify.export` with the original patient and study.
 */
export async function deidentifyRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/studies/:study/export', {
    config: { access: 'patient-data:export' },
    schema: {
      summary: 'De-identified copy of a study (DICOM PS3.15 Basic Application Level Confidentiality Profile) as a zip',
      tags: ['export'],
      params: { type: 'object', required: ['study'], properties: { study: { type: 'string', pattern: '^[0-9.]{1,64}$' } } },
      body: {
        type: ['object', 'null'],
        properties: {
          retainDates: { type: 'boolean', default: false, description: 'Retain Longitudinal Temporal Information with Full Dates Option (113106)' },
          retainDescriptions: { type: 'boolean', default: false, description: 'keep study, series and protocol descriptions (113105)' },
          pseudonym: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Patient Name and ID in the output, e.g. a study code' },
        },
        propertyNames: { enum: ['retainDates', 'retainDescriptions', 'pseudonym'] },
      },
    },
  }, async (request, reply) => {
    const { study } = request.params as { study: string };
    const body = (request.body ?? {}) as { retainDates?: boolean; retainDescriptions?: boolean; pseudonym?: string };
    const options: DeidentifyOptions = { retainDates: body.retainDates === true, retainDescriptions: body.retainDescriptions === true, ...(body.pseudonym !== undefined ? { pseudonym: body.pseudonym } : {}) };
    request.audit.action = 'deidentify.export';
    request.audit.studyUid = study;
    const db = app.keyhole.db;
    const found = await db.selectFrom('study').innerJoin('patient', 'patient.id', 'study.patient_ref').select(['study.id as id', 'patient.patient_id as patientId']).where('study.study_uid', '=', study).executeTakeFirst();
    if (found === undefined) throw new KeyholeError('NOT_FOUND', { path: 'study', message: `no study ${study} in the archive` });
    request.audit.patientId = found.patientId;
    const instances = await db
      .selectFrom('instance')
      .innerJoin('series', 'series.id', 'instance.series_ref')
      .select(['instance.file_path as filePath', 'instance.sha256 as sha256', 'instance.sop_instance_uid as sopInstanceUid'])
      .where('series.study_ref', '=', found.id)
      .orderBy('series.series_uid')
      .orderBy('instance.instance_number')
      .orderBy('instance.sop_instance_uid')
      .execute();
    if (instances.length === 0) throw new KeyholeError('NOT_FOUND', { path: 'study', message: `study ${study} holds no instances` });
    request.audit.detail = `${instances.length} instances, ${options.retainDates ? 'dates kept' : 'dates removed'}, ${options.retainDescriptions ? 'descriptions kept' : 'descriptions removed'}`;

    const archive = { db, dataDir: app.keyhole.options.dataDir };
    const uids = new UidMap();
    const zip = new ZipWriter();
    async function* zipped(): AsyncGenerator<Uint8Array> {
      for (const instance of instances) {
        const original = await readStoredInstance(archive, instance);
        const result = deidentifyInstance(original, options, uids, instance.sopInstanceUid);
        yield* zip.entry(`${result.studyUid}/${result.seriesUid}/${result.sopInstanceUid}.dcm`, result.bytes);
      }
      yield zip.finish();
    }
    const stream = Readable.from(zipped(), { objectMode: false });
    stream.on('error', (error) => request.log.error({ err: error }, 'de-identified export failed mid-stream'));
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="deidentified-${uids.map(study)}.zip"`)
      .send(stream);
  });
}
