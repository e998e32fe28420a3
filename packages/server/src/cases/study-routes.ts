import type { FastifyInstance } from 'fastify';
import { getStudy, listStudies } from './studies.ts';

const studySummary = {
  type: 'object',
  required: ['studyUid', 'patientId', 'issuer', 'patientName', 'studyDate', 'description', 'modalities', 'seriesCount', 'instanceCount', 'synthetic'],
  properties: {
    studyUid: { type: 'string' },
    patientId: { type: 'string' },
    issuer: { type: 'string' },
    patientName: { type: 'string' },
    studyDate: { type: 'string' },
    description: { type: 'string' },
    modalities: { type: 'string' },
    seriesCount: { type: 'integer' },
    instanceCount: { type: 'integer' },
    synthetic: { type: 'boolean', description: 'Synthetic Data (0008,001C) = YES in its images: a phantom, not a patient' },
  },
} as const;

/**
 * Studies as plain JSON for choosing them into cases, each with its `synthetic` flag
 * (QIDO-RS stays the DICOM view of the same rows).
 */
export async function studyRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/studies', {
    config: { access: 'patient-data:read' },
    schema: {
      summary: 'List studies (optionally of one patient), each marked synthetic or not',
      tags: ['cases'],
      querystring: { type: 'object', properties: { patientId: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, offset: { type: 'integer', minimum: 0, default: 0 } } },
      response: { 200: { type: 'array', items: studySummary } },
    },
  }, async (request) => {
    const { patientId, limit, offset } = request.query as { patientId?: string; limit: number; offset: number };
    request.audit.action = 'study.list';
    if (patientId !== undefined) request.audit.patientId = patientId;
    const studies = await listStudies(app.keyhole.db, { limit, offset, ...(patientId !== undefined ? { patientId } : {}) });
    request.audit.detail = `${studies.length} studies${patientId === undefined ? ` of patients ${[...new Set(studies.map((s) => s.patientId))].join(', ')}` : ''}`.slice(0, 2000);
    return studies;
  });

  app.get('/api/studies/:study', {
    config: { access: 'patient-data:read' },
    schema: {
      summary: 'One study, marked synthetic or not',
      tags: ['cases'],
      params: { type: 'object', required: ['study'], properties: { study: { type: 'string', pattern: '^[0-9.]{1,64}$' } } },
      response: { 200: studySummary },
    },
  }, async (request) => {
    const { study } = request.params as { study: string };
    request.audit.action = 'study.read';
    request.audit.studyUid = study;
    const found = await getStudy(app.keyhole.db, study);
    request.audit.patientId = found.patientId;
    return found;
  });
}
