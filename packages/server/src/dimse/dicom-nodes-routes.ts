import type { FastifyPluginAsync } from 'fastify';
import { KeyholeError } from '@keyhole/core';
import { addDicomNode, deleteDicomNode, listDicomNodes, nodeView, type DicomNodeKind } from './dicom-nodes.ts';

interface NodeBody {
  name: string;
  kind: DicomNodeKind;
  aeTitle: string;
  host?: string;
  port?: number;
  dicomwebUrl?: string;
  dicomwebAuth?: string;
}

const nodeSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    kind: { type: 'string' },
    aeTitle: { type: 'string' },
    host: { type: 'string' },
    port: { type: ['integer', 'null'] },
    dicomwebUrl: { type: 'string' },
    hasDicomwebAuth: { type: 'boolean' },
    createdAt: { type: 'string' },
  },
} as const;

/**
 * Admin API for the DICOM peers (`GET/POST/DELETE /api/dicom-nodes`): which calling AE titles our
 * SCP accepts, and which remote PACSs we may query. The SCP reads the table on every association,
 * so a change takes effect without a restart.
 */
export const dicomNodesRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/dicom-nodes', { config: { access: 'admin' }, schema: { tags: ['dimse'], summary: 'List DICOM nodes', response: { 200: { type: 'array', items: nodeSchema } } } }, async () => {
    return (await listDicomNodes(app.keyhole.db)).map(nodeView);
  });

  app.post<{ Body: NodeBody }>(
    '/api/dicom-nodes',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['dimse'],
        summary: 'Add a DICOM node (a caller allowed to reach our SCP, or a remote PACS)',
        body: {
          type: 'object',
          required: ['name', 'kind', 'aeTitle'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
            kind: { type: 'string', enum: ['local-caller', 'remote-pacs'] },
            aeTitle: { type: 'string', minLength: 1, maxLength: 16 },
            host: { type: 'string', maxLength: 255 },
            port: { type: 'integer', minimum: 1, maximum: 65535 },
            dicomwebUrl: { type: 'string', maxLength: 2000 },
            dicomwebAuth: { type: 'string', maxLength: 4000 },
          },
        },
        response: { 201: nodeSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const node = await addDicomNode(app.keyhole.db, {
        name: body.name,
        kind: body.kind,
        aeTitle: body.aeTitle,
        ...(body.host !== undefined ? { host: body.host } : {}),
        ...(body.port !== undefined ? { port: body.port } : {}),
        ...(body.dicomwebUrl !== undefined ? { dicomwebUrl: body.dicomwebUrl } : {}),
        ...(body.dicomwebAuth !== undefined ? { dicomwebAuth: body.dicomwebAuth } : {}),
      });
      return reply.status(201).send(nodeView(node));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/dicom-nodes/:name',
    { config: { access: 'admin' }, schema: { tags: ['dimse'], summary: 'Remove a DICOM node', params: { type: 'object', properties: { name: { type: 'string' } } } } },
    async (request, reply) => {
      if (!(await deleteDicomNode(app.keyhole.db, request.params.name))) throw new KeyholeError('NOT_FOUND', { message: `no DICOM node named "${request.params.name}"` });
      return reply.status(204).send();
    },
  );
};
