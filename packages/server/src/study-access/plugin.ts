import fp from 'fastify-plugin';
import { KeyholeError } from '@keyhole/core';
import { touchesPatientData, type Permission } from '../auth/roles.ts';
import { assertStudyVisible, setStudyAccess, studyAccessList } from './study-access.ts';

const uid = { type: 'string', pattern: '^[0-9.]{1,64}$' } as const;
const accessList = { type: 'array', items: { type: 'object', required: ['userName', 'grantedBy', 'grantedAt'], properties: { userName: { type: 'string' }, grantedBy: { type: 'string' }, grantedAt: { type: 'string' } } } } as const;

/**
 * Per-study access: the check before every patient-data route that names a study, and the
 * admin's routes to restrict a study to named users (or open it again).
 */
export const studyAccessPlugin = fp(async (app) => {
  const db = app.keyhole.db;
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access as Permission | undefined;
    if (access === undefined || !touchesPatientData(access)) return;
    const params = (request.params ?? {}) as Record<string, unknown>;
    const query = (request.query ?? {}) as Record<string, unknown>;
    for (const study of [params['study'], query['studyUID']]) {
      if (typeof study === 'string' && study !== '') {
        request.audit.studyUid ??= study;
        await assertStudyVisible(db, request.principal, study);
      }
    }
  });

  app.get('/api/studies/:study/access', {
    config: { access: 'admin' },
    schema: { summary: 'Who may see a study: empty when it is open to every role that reads patient data', tags: ['access'], params: { type: 'object', required: ['study'], properties: { study: uid } }, response: { 200: accessList } },
  }, async (request) => {
    const { study } = request.params as { study: string };
    request.audit.action = 'study-access.read';
    request.audit.studyUid = study;
    return studyAccessList(db, study);
  });

  app.put('/api/studies/:study/access', {
    config: { access: 'admin' },
    schema: {
      summary: 'Restrict a study to named users (admins always see it); an empty list opens it again',
      tags: ['access'],
      params: { type: 'object', required: ['study'], properties: { study: uid } },
      body: { type: 'object', required: ['users'], additionalProperties: false, properties: { users: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 1000 } } },
      response: { 200: accessList },
    },
  }, async (request) => {
    const { study } = request.params as { study: string };
    const { users } = request.body as { users: string[] };
    request.audit.action = 'study-access.set';
    request.audit.studyUid = study;
    const known = await db.selectFrom('app_user').select('name').where('name', 'in', users.length > 0 ? users : ['']).execute();
    const unknown = users.filter((user) => !known.some((row) => row.name === user));
    if (unknown.length > 0) throw new KeyholeError('VALIDATION_FAILED', { path: 'users', message: `no account named ${unknown.slice(0, 5).join(', ')}; create the accounts first (keyhole user add)`, details: { unknown } });
    await setStudyAccess(db, study, users, request.principal?.name ?? 'unknown');
    request.audit.detail = users.length === 0 ? 'study opened to every reader' : `restricted to ${users.join(', ')}`;
    return studyAccessList(db, study);
  });
});
