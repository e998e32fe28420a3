/**
 * The spine anatomy of a series over HTTP (issue 5): start a run, follow it, read the model, and
 * confirm the level numbering. A run's label map is stored as a DICOM SEG in the same study, so
 * the workstation overlays it with the structure names like any segmentation.
 *
 * The numbering is confirmed by a person with `patient-data:confirm` (surgeons, radiologists,
 * admins): an unverified count (for example lumbar-only coverage with a transitional vertebra)
 * must be confirmed before planning uses it [clinical reference §9]. Only the proposed numbering can
 * be confirmed here; a different one comes as a corrected label map (import), never as a silent edit.
 */
import type { FastifyInstance } from 'fastify';
import { KeyholeError, type FrameCodecRegistry } from '@keyhole/core';
import { createNodeCodecRegistry } from '@keyhole/io';
import { findInstances } from '../dicomweb/lookup.ts';
import { beginAnatomy, findAnatomy, frameOfReferenceOf, markInterruptedRuns, toStatus, updateAnatomy } from './anatomy-records.ts';
import { runAnatomy } from './run-anatomy.ts';

const uid = { type: 'string', pattern: '^[0-9.]{1,64}$' } as const;
const params = { type: 'object', required: ['study', 'series'], properties: { study: uid, series: uid } } as const;
const status = {
  type: 'object',
  required: ['studyUid', 'seriesUid', 'state', 'progress', 'stage', 'message', 'requestedBy', 'updatedAt'],
  properties: {
    studyUid: { type: 'string' },
    seriesUid: { type: 'string' },
    state: { type: 'string', enum: ['running', 'done', 'no-spine', 'failed', 'interrupted'] },
    progress: { type: 'number' },
    stage: { type: 'string' },
    message: { type: 'string' },
    levelCount: { type: 'object', additionalProperties: true },
    model: { type: 'object', additionalProperties: true, description: 'SpineModel: landmarks in LPS mm' },
    segSeriesUid: { type: 'string' },
    requestedBy: { type: 'string' },
    frameOfReferenceUid: { type: 'string', description: 'the landmarks (LPS mm) apply to every series in this frame of reference' },
    confirmation: { type: 'object', properties: { by: { type: 'string' }, at: { type: 'string' }, labels: { type: 'array', items: { type: 'string' } } } },
    updatedAt: { type: 'string' },
  },
} as const;

export async function anatomyRoutes(app: FastifyInstance): Promise<void> {
  const db = app.keyhole.db;
  const archive = { db, dataDir: app.keyhole.options.dataDir };
  let codecs: Promise<FrameCodecRegistry> | undefined;
  const running = new Map<string, Promise<void>>();
  const stop = new AbortController();
  await markInterruptedRuns(db);
  app.addHook('onClose', async () => {
    stop.abort();
    await Promise.all(running.values());
  });

  app.post('/api/studies/:study/series/:series/anatomy', {
    config: { access: 'patient-data:write' },
    schema: { summary: 'Start the spine anatomy of a CT series (vertebrae, discs, level count); 202 with its status, then poll GET', tags: ['anatomy'], params, response: { 202: status } },
  }, async (request, reply) => {
    const { study, series } = request.params as { study: string; series: string };
    request.audit.action = 'anatomy.start';
    request.audit.studyUid = study;
    const rows = await findInstances({ db, study, series });
    const patientId = rows[0]?.patientId ?? '';
    request.audit.patientId = patientId;
    if (!running.has(series)) {
      const principal = request.principal;
      await beginAnatomy(db, { studyUid: study, seriesUid: series, patientId }, principal?.name ?? 'unknown');
      const job = runAnatomy({
        archive,
        studyUid: study,
        seriesUid: series,
        patientId,
        codecs: () => (codecs ??= createNodeCodecRegistry()),
        requestedBy: { userName: principal?.name ?? 'unknown', role: principal?.role ?? '' },
        signal: stop.signal,
      }).finally(() => running.delete(series));
      running.set(series, job);
      request.audit.detail = `series ${series}: run started`;
    } else request.audit.detail = `series ${series}: a run is already going`;
    const row = await findAnatomy(db, series);
    return reply.status(202).send(toStatus(row!));
  });

  app.get('/api/studies/:study/series/:series/anatomy', {
    config: { access: 'patient-data:read' },
    schema: { summary: 'The spine anatomy of a series: state, progress, level count with confidence and cues, model, SEG series, confirmation', tags: ['anatomy'], params, response: { 200: status } },
  }, async (request) => {
    const { study, series } = request.params as { study: string; series: string };
    request.audit.action = 'anatomy.read';
    request.audit.studyUid = study;
    const row = await findAnatomy(db, series);
    if (row === undefined || row.study_uid !== study) throw new KeyholeError('NOT_FOUND', { message: `no anatomy has been computed for series ${series} of study ${study}; start one with POST on this address` });
    request.audit.patientId = row.patient_id;
    return toStatus(row, await frameOfReferenceOf(db, series));
  });

  app.get('/api/studies/:study/anatomy', {
    config: { access: 'patient-data:read' },
    schema: { summary: "The anatomy runs of a study's series", tags: ['anatomy'], params: { type: 'object', required: ['study'], properties: { study: uid } }, response: { 200: { type: 'array', items: status } } },
  }, async (request) => {
    const { study } = request.params as { study: string };
    request.audit.action = 'anatomy.list';
    request.audit.studyUid = study;
    const rows = await db.selectFrom('anatomy_model').selectAll().where('study_uid', '=', study).orderBy('id').execute();
    if (rows[0] !== undefined) request.audit.patientId = rows[0].patient_id;
    return Promise.all(rows.map(async (row) => toStatus(row, await frameOfReferenceOf(db, row.series_uid))));
  });

  app.post('/api/studies/:study/series/:series/anatomy/confirm', {
    config: { access: 'patient-data:confirm' },
    schema: {
      summary: 'Confirm the proposed level numbering (surgeons, radiologists); planning needs it when the count is not verified',
      tags: ['anatomy'],
      params,
      body: { type: 'object', required: ['labels'], additionalProperties: false, properties: { labels: { type: 'array', items: { type: 'string', maxLength: 16 }, minItems: 1, maxItems: 40, description: 'the numbering being confirmed, cranial first: must be the one proposed' } } },
      response: { 200: status },
    },
  }, async (request) => {
    const { study, series } = request.params as { study: string; series: string };
    const { labels } = request.body as { labels: string[] };
    request.audit.action = 'anatomy.confirm';
    request.audit.studyUid = study;
    const row = await findAnatomy(db, series);
    if (row === undefined || row.study_uid !== study) throw new KeyholeError('NOT_FOUND', { message: `no anatomy has been computed for series ${series} of study ${study}` });
    request.audit.patientId = row.patient_id;
    if (row.state !== 'done' || row.model_json === null) {
      throw new KeyholeError('ANATOMY_NOT_READY', { path: 'state', message: `the anatomy of series ${series} is ${row.state}${row.message !== '' ? ` (${row.message})` : ''}; only a finished run's numbering can be confirmed` });
    }
    const proposed = (JSON.parse(row.model_json) as { levelCount: { labels: string[] } }).levelCount.labels;
    if (labels.length !== proposed.length || labels.some((label, i) => label !== proposed[i])) {
      throw new KeyholeError('ANATOMY_NOT_READY', { path: 'labels', message: `the numbering sent (${labels.join(' ')}) is not the one proposed (${proposed.join(' ')}); confirm the proposed one, or import a corrected label map`, details: { proposed } });
    }
    const by = `${request.principal?.name ?? 'unknown'} (${request.principal?.role ?? ''})`;
    await updateAnatomy(db, series, { confirmed_by: by, confirmed_at: new Date().toISOString() });
    request.audit.detail = `numbering ${labels.join(' ')} confirmed by ${by}`;
    return toStatus((await findAnatomy(db, series))!);
  });
}
