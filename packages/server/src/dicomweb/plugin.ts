/**
 * DICOMweb (PS3.18) and browser upload, one Fastify plugin per concern, registered together so
 * that the multipart/related body parser they need is scoped to them.
 */
import type { FastifyPluginAsync } from 'fastify';
import { qidoPlugin } from './qido.ts';
import { stowPlugin } from './stow.ts';
import { wadoPlugin } from './wado.ts';
import { wadoUriPlugin } from './wado-uri.ts';
import { uploadPlugin } from './upload.ts';

export const dicomwebPlugin: FastifyPluginAsync = async (app) => {
  // STOW-RS bodies are handed over as the raw stream: stow.ts parses them part by part and
  // enforces maxRequestBytes itself (413 REQUEST_TOO_LARGE).
  app.addContentTypeParser(/^multipart\/related/i, (_request, payload, done) => done(null, payload));
  await app.register(stowPlugin);
  await app.register(qidoPlugin);
  await app.register(wadoPlugin);
  await app.register(wadoUriPlugin);
  await app.register(uploadPlugin);
};
