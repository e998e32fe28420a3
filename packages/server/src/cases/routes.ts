import type { FastifyInstance } from 'fastify';
import { CASE_DOCUMENT_SCHEMA_V1, type CaseDocumentV1 } from './document-schema.ts';
import { studyRoutes } from './study-routes.ts';
import { CASE_STATUSES, CASE_STUDY_ROLES, createCase, getCase, listCases, updateCase, type CaseStudyLink, type ClinicalCase } from './cases.ts';

const studyLinks = {
  type: 'array',
  maxItems: 200,
  items: { type: 'object', required: ['studyUid', 'role'], properties: { studyUid: { type: 'string', pattern: '^[0-9.]{1,64}$' }, role: { enum: [...CASE_STUDY_ROLES] } }, propertyNames: { enum: ['studyUid', 'role'] } },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

/**
 * Cases: a patient's clinical episode with its studies (pre-op, intra-op, follow-up) and a versioned
 * document; and the studies to choose from (study-routes.ts). Cases and studies carry `synthetic`
 * when their images are a phantom (synthetic-studies.ts).
 */
export async function caseRoutes(app: FastifyInstance): Promise<void> {
  app.addSchema(CASE_DOCUMENT_SCHEMA_V1);
  await studyRoutes(app);
  const audited = (request: { audit: { action?: string; patientId?: string; studyUid?: string; detail?: string } }, action: string, found: ClinicalCase): ClinicalCase => {
    request.audit.action = action;
    request.audit.patientId = found.patientId;
    const first = found.studies[0];
    if (first !== undefined) request.audit.studyUid = first.studyUid;
    request.audit.detail = `case ${found.id}`;
    return found;
  };

  app.post('/api/cases', {
    config: { access: 'patient-data:write' },
    schema: {
      summary: 'Open a case for a patient with its studies',
      tags: ['cases'],
      body: {
        type: 'object',
        required: ['patientId', 'title'],
        properties: { patientId: { type: 'string', minLength: 1, maxLength: 64 }, issuer: { type: 'string', maxLength: 64 }, title: { type: 'string', minLength: 1, maxLength: 200 }, studies: studyLinks },
        propertyNames: { enum: ['patientId', 'issuer', 'title', 'studies'] },
      },
    },
  }, async (request, reply) => {
    const body = request.body as { patientId: string; issuer?: string; title: string; studies?: CaseStudyLink[] };
    request.audit.patientId = body.patientId;
    const created = await createCase({ db: app.keyhole.db, patientId: body.patientId, ...(body.issuer !== undefined ? { issuer: body.issuer } : {}), title: body.title, studies: body.studies ?? [] });
    return reply.status(201).send(audited(request, 'case.create', created));
  });

  app.get('/api/cases', {
    config: { access: 'patient-data:read' },
    schema: { summary: 'List cases, optionally of one patient', tags: ['cases'], querystring: { type: 'object', properties: { patientId: { type: 'string' } } } },
  }, async (request) => {
    const { patientId } = request.query as { patientId?: string };
    request.audit.action = 'case.list';
    if (patientId !== undefined) request.audit.patientId = patientId;
    const cases = await listCases(app.keyhole.db, patientId !== undefined ? { patientId } : {});
    request.audit.detail = `${cases.length} cases${patientId === undefined ? ` of patients ${[...new Set(cases.map((c) => c.patientId))].join(', ')}` : ''}`.slice(0, 2000);
    return cases;
  });

  app.get('/api/cases/:id', {
    config: { access: 'patient-data:read' },
    schema: { summary: 'One case', tags: ['cases'], params: idParams },
  }, async (request) => audited(request, 'case.read', await getCase(app.keyhole.db, (request.params as { id: number }).id)));

  app.patch('/api/cases/:id', {
    config: { access: 'patient-data:write' },
    schema: {
      summary: 'Change a case: title, status, studies, or its document (schemaVersion 1)',
      tags: ['cases'],
      params: idParams,
      body: {
        type: 'object',
        minProperties: 1,
        properties: { title: { type: 'string', minLength: 1, maxLength: 200 }, status: { enum: [...CASE_STATUSES] }, studies: studyLinks, document: { $ref: 'keyhole-case-document-v1#' } },
        propertyNames: { enum: ['title', 'status', 'studies', 'document'] },
      },
    },
  }, async (request) => {
    const body = request.body as { title?: string; status?: string; studies?: CaseStudyLink[]; document?: CaseDocumentV1 };
    const updated = await updateCase({ db: app.keyhole.db, id: (request.params as { id: number }).id, ...body });
    return audited(request, 'case.update', updated);
  });
}
