import fp from 'fastify-plugin';
import { touchesPatientData } from '../auth/roles.ts';
import { appendAudit } from '../audit/audit-log.ts';

/**
 * Every request to a patient-data route, allowed or refused, leaves one audit entry: who, what,
 * which patient/study (routes fill `request.audit`), when, from where, and the outcome.
 *
 * Written in `onSend`, i.e. BEFORE the response leaves: a client never holds patient data whose
 * access is not yet in the log, and a failure to write the entry fails the request (500) instead of
 * losing the record.
 */
export const auditPlugin = fp(async (app) => {
  app.decorateRequest('audit', null as never);
  app.addHook('onRequest', async (request) => {
    request.audit = {};
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || !touchesPatientData(access)) return payload;
    const status = reply.statusCode;
    const outcome = request.audit.outcome ?? (status === 401 || status === 403 ? 'denied' : status >= 400 ? 'failed' : 'success');
    await appendAudit(app.keyhole.db, {
      userName: request.principal?.name ?? 'anonymous',
      role: request.principal?.role ?? '',
      action: request.audit.action ?? `${request.method} ${request.routeOptions.url ?? request.url}`,
      outcome,
      ...(request.audit.patientId !== undefined ? { patientId: request.audit.patientId } : {}),
      ...(request.audit.studyUid !== undefined ? { studyUid: request.audit.studyUid } : {}),
      resource: request.url,
      sourceAddress: request.ip,
      detail: request.audit.detail ?? `HTTP ${status}`,
    });
    return payload;
  });
});
