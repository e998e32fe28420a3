import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { KeyholeError } from '@keyhole/core';
import { readStoredInstance } from '../store/index.ts';
import { findDicomNode } from '../dimse/dicom-nodes.ts';
import { deidentifyInstance, type DeidentifyInstanceResult, type DeidentifyOptions } from './deidentify-dataset.ts';
import { stowBatch } from './stow-push.ts';
import { UidMap } from './uid-map.ts';
import { ZipWriter } from './zip-writer.ts';

/**
 * `POST /api/studies/{study}/export`: the study de-identified (PS3.15 Basic Profile, options to keep
 * dates or descriptions) as a zip streamed to the client, one instance at a time so memory stays
 * flat. Entries are `<new study UID>/<new series UID>/<new SOP instance UID>.dcm`. With
 * `destination` (the name of a configured remote node with a DICOMweb URL, see /api/dicom-nodes —
 * never a free URL, so an exporting user cannot make the server post to arbitrary hosts) the
 * instances are sent there with STOW-RS instead, and the answer is a JSON summary. Audited as
 * `deidentify.export` with the original patient and study.
 */
const STOW_BATCH = 25;

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
          destination: { type: 'string', minLength: 1, description: 'name of a configured remote node (DICOMweb) to send the de-identified study to, instead of a zip' },
        },
        propertyNames: { enum: ['retainDates', 'retainDescriptions', 'pseudonym', 'destination'] },
      },
    },
  }, async (request, reply) => {
    const { study } = request.params as { study: string };
    const body = (request.body ?? {}) as { retainDates?: boolean; retainDescriptions?: boolean; pseudonym?: string; destination?: string };
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
    async function* deidentified(): AsyncGenerator<DeidentifyInstanceResult> {
      for (const instance of instances) {
        const original = await readStoredInstance(archive, instance);
        yield deidentifyInstance(original, options, uids, instance.sopInstanceUid);
      }
    }

    if (body.destination !== undefined) {
      const node = await findDicomNode(db, body.destination);
      if (node === undefined || node.kind !== 'remote-pacs' || node.dicomweb_url === '') {
        throw new KeyholeError('VALIDATION_FAILED', { path: 'body.destination', message: `no remote node "${body.destination}" with a DICOMweb URL (configure it in /api/dicom-nodes)` });
      }
      const endpoint = { baseUrl: node.dicomweb_url, ...(node.dicomweb_auth !== '' ? { auth: node.dicomweb_auth } : {}) };
      let batch: Uint8Array[] = [];
      let sent = 0;
      let refused = 0;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const result = await stowBatch(endpoint, batch);
        sent += result.sent;
        refused += result.refused;
        batch = [];
      };
      for await (const result of deidentified()) {
        batch.push(result.bytes);
        if (batch.length >= STOW_BATCH) await flush();
      }
      await flush();
      request.audit.detail += `, sent to ${node.name} (${refused} refused)`;
      if (refused > 0) request.audit.outcome = 'partial';
      return reply.status(refused > 0 ? 202 : 200).send({ destination: node.name, studyUid: uids.map(study), sent, refused });
    }

    const zip = new ZipWriter();
    async function* zipped(): AsyncGenerator<Uint8Array> {
      for await (const result of deidentified()) {
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
