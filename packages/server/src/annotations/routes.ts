import type { FastifyInstance } from 'fastify';
import { ANNOTATION_TOOLS, deleteAnnotation, listAnnotations, saveAnnotation, type AnnotationData } from './annotations.ts';

const uid = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 64 } as const;
/** The viewer's annotation ids are UUIDs; any short token of safe characters is accepted. */
const annotationUid = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } as const;
const finite = { type: 'number', minimum: -1e7, maximum: 1e7 } as const;
const point = { type: 'array', items: finite, minItems: 3, maxItems: 3 } as const;

const annotationBody = {
  type: 'object',
  required: ['tool', 'seriesUid', 'points'],
  additionalProperties: false,
  properties: {
    tool: { enum: [...ANNOTATION_TOOLS] },
    seriesUid: uid,
    sopInstanceUid: uid,
    frameOfReferenceUid: uid,
    points: { type: 'array', items: point, minItems: 1, maxItems: 4 },
    viewPlaneNormal: point,
    viewUp: point,
    label: { type: 'string', maxLength: 200 },
    measured: { type: 'object', additionalProperties: false, properties: { lengthMm: { type: 'number' }, angleDeg: { type: 'number' } } },
    caseId: { type: 'integer', minimum: 1 },
  },
} as const;

const storedAnnotation = {
  type: 'object',
  required: ['uid', 'studyUid', 'tool', 'seriesUid', 'points', 'createdBy', 'updatedBy', 'createdAt', 'updatedAt'],
  properties: {
    ...annotationBody.properties,
    uid: { type: 'string' },
    studyUid: { type: 'string' },
    createdBy: { type: 'string' },
    updatedBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const studyParams = { type: 'object', required: ['study'], properties: { study: uid } } as const;
const annotationParams = { type: 'object', required: ['study', 'uid'], properties: { study: uid, uid: annotationUid } } as const;

/**
 * Measurements and annotations drawn in the viewer, kept with the study (and the case they were
 * drawn in), so that they survive a reload and are seen by colleagues. Every read and change is
 * audited with the patient and study like any patient data.
 */
export async function annotationRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/studies/:study/annotations', {
    config: { access: 'patient-data:read' },
    schema: {
      summary: 'Measurements and annotations of a study (optionally those of one case)',
      tags: ['annotations'],
      params: studyParams,
      querystring: { type: 'object', additionalProperties: false, properties: { caseId: { type: 'integer', minimum: 1 } } },
      response: { 200: { type: 'array', items: storedAnnotation } },
    },
  }, async (request) => {
    const { study } = request.params as { study: string };
    const { caseId } = request.query as { caseId?: number };
    request.audit.action = 'annotation.list';
    request.audit.studyUid = study;
    const found = await listAnnotations({ db: app.keyhole.db, studyUid: study, ...(caseId !== undefined ? { caseId } : {}) });
    request.audit.patientId = found.study.patientId;
    request.audit.detail = `${found.annotations.length} annotation(s)${caseId !== undefined ? ` of case ${caseId}` : ''}`;
    return found.annotations;
  });

  app.put('/api/studies/:study/annotations/:uid', {
    config: { access: 'patient-data:write' },
    schema: {
      summary: 'Save a measurement or annotation (creates it, or replaces the one with this id)',
      tags: ['annotations'],
      params: annotationParams,
      body: annotationBody,
      response: { 200: storedAnnotation, 201: storedAnnotation },
    },
  }, async (request, reply) => {
    const params = request.params as { study: string; uid: string };
    request.audit.studyUid = params.study;
    const data = request.body as AnnotationData;
    const saved = await saveAnnotation({ db: app.keyhole.db, studyUid: params.study, uid: params.uid, data, userName: request.principal?.name ?? 'unknown' });
    request.audit.action = saved.created ? 'annotation.create' : 'annotation.update';
    request.audit.patientId = saved.study.patientId;
    request.audit.detail = `${data.tool} ${params.uid}${data.caseId !== undefined ? ` in case ${data.caseId}` : ''}`;
    return reply.status(saved.created ? 201 : 200).send(saved.annotation);
  });

  app.delete('/api/studies/:study/annotations/:uid', {
    config: { access: 'patient-data:write' },
    schema: { summary: 'Delete a measurement or annotation', tags: ['annotations'], params: annotationParams, response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const params = request.params as { study: string; uid: string };
    request.audit.action = 'annotation.delete';
    request.audit.studyUid = params.study;
    const { study } = await deleteAnnotation({ db: app.keyhole.db, studyUid: params.study, uid: params.uid });
    request.audit.patientId = study.patientId;
    request.audit.detail = params.uid;
    return reply.status(204).send();
  });
}
