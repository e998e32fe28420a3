import fp from 'fastify-plugin';
import { isKeyholeError, KeyholeError } from '@keyhole/core';

/**
 * Every error leaves the server as `{ code, title, message, hint, path? }` with the catalogue's HTTP
 * status. Fastify's own validation errors become VALIDATION_FAILED naming the field's path.
 */
export const errorsPlugin = fp(async (app) => {
  app.setErrorHandler((error, request, reply) => {
    let keyhole: KeyholeError;
    const e = error as { validation?: Array<{ instancePath?: string; message?: string }>; validationContext?: string; statusCode?: number; message: string; code?: string };
    if (isKeyholeError(error)) keyhole = error;
    else if (e.validation !== undefined) {
      const first = e.validation[0];
      const path = `${e.validationContext ?? 'body'}${(first?.instancePath ?? '').replace(/\//g, '.')}`;
      keyhole = new KeyholeError('VALIDATION_FAILED', { path, message: first?.message ?? e.message });
    } else if (e.statusCode === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      keyhole = new KeyholeError('REQUEST_TOO_LARGE', { message: 'the request body is larger than the configured limit (maxRequestBytes)' });
    } else if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      keyhole = new KeyholeError('INVALID_ARGUMENT', { message: e.message });
    } else {
      request.log.error(error);
      keyhole = new KeyholeError('INTERNAL', { message: 'the server failed while handling the request', cause: error });
    }
    if (request.audit.outcome === undefined) request.audit.outcome = keyhole.status === 401 || keyhole.status === 403 ? 'denied' : 'failed';
    void reply.status(keyhole.status).send(keyhole.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(new KeyholeError('NOT_FOUND', { message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` }).toJSON());
  });
});
