import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';

/** `GET /healthz`: the process is up and the database answers (for load balancers and tests). */
export const healthPlugin: FastifyPluginAsync = async (app) => {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: {
      summary: 'Liveness and database check',
      tags: ['system'],
      response: { 200: { type: 'object', required: ['status', 'database'], properties: { status: { type: 'string' }, database: { type: 'string' }, version: { type: 'string' } } } },
    },
  }, async () => {
    await sql`select 1`.execute(app.keyhole.db);
    return { status: 'ok', database: app.keyhole.database.dialect, version: '0.1.0' };
  });
};
