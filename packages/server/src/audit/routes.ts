import type { FastifyInstance, FastifyRequest } from 'fastify';
import { appendAudit } from './audit-log.ts';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, queryAudit, type AuditQuery } from './query.ts';
import { atnaDocument } from './atna.ts';

const filters = {
  user: { type: 'string' },
  patient: { type: 'string' },
  study: { type: 'string' },
  action: { type: 'string', description: 'exact action, or a prefix ending in * (qido.*)' },
  outcome: { type: 'string', enum: ['success', 'denied', 'failed', 'partial'] },
  from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'ISO-8601 date or instant, inclusive' },
  to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'ISO-8601 date (whole day) or instant, inclusive' },
  limit: { type: 'integer', minimum: 1, maximum: AUDIT_MAX_LIMIT, default: AUDIT_DEFAULT_LIMIT },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, at: { type: 'string' }, userName: { type: 'string' }, role: { type: 'string' }, action: { type: 'string' }, outcome: { type: 'string' },
    patientId: { type: 'string' }, studyUid: { type: 'string' }, resource: { type: 'string' }, sourceAddress: { type: 'string' }, detail: { type: 'string' },
  },
} as const;

/** `GET /api/audit` (JSON) and `GET /api/audit/export?format=atna` (DICOM audit messages), admins only; reading the log is itself audited. */
export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const recordUse = (request: FastifyRequest, action: string, query: AuditQuery, count: number): Promise<void> =>
    appendAudit(app.keyhole.db, {
      userName: request.principal?.name ?? 'anonymous',
      role: request.principal?.role ?? '',
      action,
      outcome: 'success',
      ...(query.patient !== undefined ? { patientId: query.patient } : {}),
      ...(query.study !== undefined ? { studyUid: query.study } : {}),
      resource: request.url,
      sourceAddress: request.ip,
      detail: `${count} entries`,
    });

  app.get('/api/audit', {
    config: { access: 'admin' },
    schema: {
      summary: 'Audit log entries, oldest first, with filters',
      tags: ['audit'],
      querystring: { type: 'object', additionalProperties: false, properties: filters },
      response: { 200: { type: 'object', required: ['total', 'entries'], properties: { total: { type: 'integer' }, entries: { type: 'array', items: entrySchema } } } },
    },
  }, async (request) => {
    const query = request.query as AuditQuery;
    const result = await queryAudit(app.keyhole.db, query);
    await recordUse(request, 'audit.query', query, result.entries.length);
    return result;
  });

  app.get('/api/audit/export', {
    config: { access: 'admin' },
    schema: {
      summary: 'Audit log as DICOM audit messages (PS3.15 A.5, IHE ATNA) in XML',
      tags: ['audit'],
      querystring: { type: 'object', additionalProperties: false, required: ['format'], properties: { ...filters, limit: { ...filters.limit, default: AUDIT_MAX_LIMIT }, format: { type: 'string', enum: ['atna'] } } },
    },
  }, async (request, reply) => {
    const { format: _format, ...query } = request.query as AuditQuery & { format: 'atna' };
    const result = await queryAudit(app.keyhole.db, query);
    await recordUse(request, 'audit.export', query, result.entries.length);
    return reply
      .type('application/xml; charset=utf-8')
      .header('content-disposition', 'attachment; filename="keyhole-audit-atna.xml"')
      .header('x-total-count', String(result.total))
      .send(atnaDocument(result.entries, { auditSourceId: app.keyhole.options.aeTitle }));
  });
}
