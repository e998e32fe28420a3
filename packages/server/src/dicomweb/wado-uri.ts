/**
 * WADO-URI (PS3.18 §9): `GET /wado?requestType=WADO&studyUID=…&seriesUID=…&objectUID=…`
 * with `contentType` application/dicom (the stored Part 10 file) or image/jpeg (the default for
 * images, §9.1.2.1) / image/png, plus `frameNumber`, `windowCenter`, `windowWidth` for images.
 */
import type { FastifyPluginAsync } from 'fastify';
import { KeyholeError, parseDicom } from '@keyhole/core';
import { createNodeCodecRegistry } from '@keyhole/io';
import type { FrameCodecRegistry } from '@keyhole/core';
import { readStoredInstance } from '../store/index.ts';
import { auditRetrieve, findInstances } from './lookup.ts';
import { renderFrame } from './render.ts';

const uid = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 64 } as const;

interface WadoUriQuery {
  requestType: 'WADO';
  studyUID: string;
  seriesUID: string;
  objectUID: string;
  contentType?: string;
  frameNumber?: number;
  windowCenter?: number;
  windowWidth?: number;
}

export const wadoUriPlugin: FastifyPluginAsync = async (app) => {
  let codecs: Promise<FrameCodecRegistry> | undefined;
  app.get<{ Querystring: WadoUriQuery }>('/wado', {
    config: { access: 'patient-data:read' },
    schema: {
      tags: ['DICOMweb'],
      summary: 'WADO-URI: one instance as application/dicom, image/jpeg or image/png',
      querystring: {
        type: 'object',
        properties: { requestType: { type: 'string', enum: ['WADO'] }, studyUID: uid, seriesUID: uid, objectUID: uid, contentType: { type: 'string', maxLength: 200 }, frameNumber: { type: 'integer', minimum: 1 }, windowCenter: { type: 'number' }, windowWidth: { type: 'number', exclusiveMinimum: 0 } },
        required: ['requestType', 'studyUID', 'seriesUID', 'objectUID'],
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const rows = await findInstances({ db: app.keyhole.db, study: q.studyUID, series: q.seriesUID, instance: q.objectUID });
    auditRetrieve(request, 'wado-uri', rows);
    const row = rows[0]!;
    const bytes = await readStoredInstance({ db: app.keyhole.db, dataDir: app.keyhole.options.dataDir }, { filePath: row.filePath, sha256: row.sha256 });
    // contentType may list several types in order of preference (§9.1.2.1.3).
    const types = (q.contentType ?? 'image/jpeg').split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
    const type = types.find((t) => t === 'application/dicom' || t === 'image/jpeg' || t === 'image/png' || t === '*/*');
    if (type === undefined) throw new KeyholeError('NOT_ACCEPTABLE', { message: `contentType ${q.contentType ?? ''} is not available; use application/dicom, image/jpeg or image/png` });
    if (type === 'application/dicom') return reply.type('application/dicom').header('Content-Disposition', `attachment; filename="${row.sopInstanceUid}.dcm"`).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const instance = parseDicom({ bytes, source: row.sopInstanceUid });
    const frames = instance.pixelData?.format.numberOfFrames ?? 0;
    const frame = q.frameNumber ?? 1;
    if (frame > frames) throw new KeyholeError('NOT_FOUND', { message: `frame ${frame} does not exist: the instance has ${frames} frame(s)` });
    const window = q.windowCenter !== undefined && q.windowWidth !== undefined ? { center: q.windowCenter, width: q.windowWidth } : undefined;
    const image = await renderFrame({ instance, frame: frame - 1, codecs: await (codecs ??= createNodeCodecRegistry()), type: type === 'image/png' ? 'image/png' : 'image/jpeg', ...(window !== undefined ? { window } : {}) });
    return reply.type(image.type).send(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength));
  });
};
