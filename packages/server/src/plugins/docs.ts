import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI description of every route (from their JSON schemas), served at /docs. */
export const docsPlugin = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Keyhole archive API',
        version: '0.1.0',
        description: 'DICOMweb (QIDO-RS, WADO-RS, STOW-RS, WADO-URI), accounts, cases and audit. Keyhole supports clinical decisions; it does not replace clinical judgement.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'keyhole_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
});
