/**
 * WADO-RS (PS3.18 §10.4): retrieve studies, series and instances (multipart/related;
 * type="application/dicom"), their metadata (DICOM JSON), frames (decoded, uncompressed, explicit
 * VR little endian byte order), bulk data, and rendered images (PNG, JPEG).
 *
 * Transfer syntax of retrieved instances: files are sent as stored (what `transfer-syntax=*` asks
 * for). PS3.18 §8.7.3.5.2 makes explicit VR little endian the default when no transfer-syntax is
 * named; transcoding is not implemented, so a request naming a specific syntax other than the
 * stored one is answered 406 NOT_ACCEPTABLE, and one naming none gets the stored syntax, stated
 * in each part's Content-Type (as Orthanc and dcm4chee do by default for compressed studies).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { decodeFrame, KeyholeError, parseDicom, type DicomInstance, type FrameCodecRegistry } from '@keyhole/core';
import { createNodeCodecRegistry } from '@keyhole/io';
import { readStoredInstance, type DicomJsonDataset } from '../store/index.ts';
import { readDcmjsDict, type DcmjsDict } from '../store/dcmjs-reader.ts';
import { parseAccept } from './accept.ts';
import { absoluteBulkDataUris, baseUrl, DICOM_JSON, dicomJsonArraySchema } from './dicom-json-response.ts';
import { auditRetrieve, findInstances, type InstanceRow } from './lookup.ts';
import { multipartResponse } from './multipart.ts';
import { parseWindow, renderFrame, type RenderedType } from './render.ts';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const uid = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 64 } as const;
const paramsSchema = (names: string[], extra: Record<string, unknown> = {}) => ({ type: 'object', properties: { ...Object.fromEntries(names.map((n) => [n, uid])), ...extra }, required: [...names, ...Object.keys(extra)] });
const framesParam = { frames: { type: 'string', pattern: '^[0-9]+(,[0-9]+)*$', maxLength: 2000 } };
const renderedQuery = { type: 'object', properties: { window: { type: 'string', maxLength: 100 }, quality: { type: 'integer', minimum: 1, maximum: 100 } }, additionalProperties: true } as const;

type Params = { study: string; series?: string; instance?: string; frames?: string; '*'?: string };
type Req = FastifyRequest<{ Params: Params; Querystring: { window?: string; quality?: number } }>;

export const wadoPlugin: FastifyPluginAsync = async (app) => {
  const archive = { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir };
  let codecs: Promise<FrameCodecRegistry> | undefined;
  const codecRegistry = () => (codecs ??= createNodeCodecRegistry());
  const find = (p: Params) => findInstances({ db: app.keyhole.db, study: p.study, series: p.series, instance: p.instance });
  const read = (row: InstanceRow) => readStoredInstance(archive, { filePath: row.filePath, sha256: row.sha256 });
  const config = { access: 'patient-data:read' as const };
  const tags = ['DICOMweb'];

  // --- instances -------------------------------------------------------------------------------
  async function retrieve(request: Req, reply: FastifyReply, action: string) {
    const rows = await find(request.params);
    auditRetrieve(request, action, rows);
    const wanted = dicomTransferSyntax(request.headers.accept);
    const stored = new Set(rows.map((r) => r.transferSyntaxUid));
    if (wanted !== '*' && wanted !== undefined && (stored.size !== 1 || !stored.has(wanted))) {
      throw new KeyholeError('NOT_ACCEPTABLE', { message: `the instances are stored as ${[...stored].join(', ')} and are not transcoded; ask for transfer-syntax=* or one of those` });
    }
    async function* parts() {
      for (const row of rows) yield { body: await read(row), headers: { 'Content-Type': `application/dicom; transfer-syntax=${row.transferSyntaxUid}`, 'Content-Location': `${baseUrl(request)}/dicom-web/studies/${row.studyUid}/series/${row.seriesUid}/instances/${row.sopInstanceUid}` } };
    }
    const multipart = multipartResponse('application/dicom', parts());
    return reply.type(multipart.contentType).send(multipart.stream);
  }
  app.get('/dicom-web/studies/:study', { config, schema: { tags, summary: 'WADO-RS: retrieve a study', params: paramsSchema(['study']) } }, (r, reply) => retrieve(r as Req, reply, 'wado.study'));
  app.get('/dicom-web/studies/:study/series/:series', { config, schema: { tags, summary: 'WADO-RS: retrieve a series', params: paramsSchema(['study', 'series']) } }, (r, reply) => retrieve(r as Req, reply, 'wado.series'));
  app.get('/dicom-web/studies/:study/series/:series/instances/:instance', { config, schema: { tags, summary: 'WADO-RS: retrieve an instance', params: paramsSchema(['study', 'series', 'instance']) } }, (r, reply) => retrieve(r as Req, reply, 'wado.instance'));

  // --- metadata --------------------------------------------------------------------------------
  async function metadata(request: Req, reply: FastifyReply, action: string) {
    const rows = await find(request.params);
    auditRetrieve(request, action, rows);
    const base = baseUrl(request);
    return reply.type(DICOM_JSON).send(rows.map((row) => absoluteBulkDataUris(JSON.parse(row.metadataJson) as DicomJsonDataset, base)));
  }
  const metadataSchema = (names: string[], summary: string) => ({ tags, summary, params: paramsSchema(names), response: { 200: dicomJsonArraySchema } });
  app.get('/dicom-web/studies/:study/metadata', { config, schema: metadataSchema(['study'], 'WADO-RS: metadata of a study') }, (r, reply) => metadata(r as Req, reply, 'wado.metadata'));
  app.get('/dicom-web/studies/:study/series/:series/metadata', { config, schema: metadataSchema(['study', 'series'], 'WADO-RS: metadata of a series') }, (r, reply) => metadata(r as Req, reply, 'wado.metadata'));
  app.get('/dicom-web/studies/:study/series/:series/instances/:instance/metadata', { config, schema: metadataSchema(['study', 'series', 'instance'], 'WADO-RS: metadata of an instance') }, (r, reply) => metadata(r as Req, reply, 'wado.metadata'));

  // --- frames ----------------------------------------------------------------------------------
  async function loadInstance(request: Req, action: string): Promise<{ row: InstanceRow; instance: DicomInstance }> {
    const rows = await find(request.params);
    auditRetrieve(request, action, rows);
    const row = rows[0]!;
    return { row, instance: parseDicom({ bytes: await read(row), source: row.sopInstanceUid }) };
  }
  function frameNumbers(instance: DicomInstance, list: string | undefined): number[] {
    const count = instance.pixelData?.format.numberOfFrames ?? 0;
    if (instance.pixelData === undefined) throw new KeyholeError('DICOM_MISSING_PIXEL_DATA', { file: instance.sopInstanceUid, message: 'the instance has no pixel data, so no frames' });
    const numbers = (list ?? '1').split(',').map(Number);
    for (const n of numbers) if (!Number.isInteger(n) || n < 1 || n > count) throw new KeyholeError('NOT_FOUND', { message: `frame ${n} does not exist: the instance has ${count} frame(s), numbered from 1` });
    return numbers;
  }
  app.get('/dicom-web/studies/:study/series/:series/instances/:instance/frames/:frames', { config, schema: { tags, summary: 'WADO-RS: decoded frames (application/octet-stream, explicit VR little endian)', params: paramsSchema(['study', 'series', 'instance'], framesParam) } }, async (r, reply) => {
    const request = r as Req;
    const accepted = parseAccept(request.headers.accept);
    const ok = accepted.some((a) => {
      const type = a.mediaType === 'multipart/related' ? (a.params['type'] ?? 'application/octet-stream').toLowerCase() : a.mediaType;
      const syntax = a.params['transfer-syntax'];
      return (type === 'application/octet-stream' || type === '*/*' || a.mediaType === '*/*') && (syntax === undefined || syntax === '*' || syntax === EXPLICIT_VR_LITTLE_ENDIAN);
    });
    if (!ok) throw new KeyholeError('NOT_ACCEPTABLE', { message: `frames are served decoded as multipart/related; type="application/octet-stream"; transfer-syntax=${EXPLICIT_VR_LITTLE_ENDIAN}; the Accept header asked for ${request.headers.accept ?? ''}` });
    const { row, instance } = await loadInstance(request, 'wado.frames');
    const numbers = frameNumbers(instance, request.params.frames);
    const registry = await codecRegistry();
    const decoded: Uint8Array[] = [];
    for (const n of numbers) {
      const frame = await decodeFrame({ instance, frame: n - 1, codecs: registry });
      decoded.push(new Uint8Array(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength));
    }
    const base = `${baseUrl(request)}/dicom-web/studies/${row.studyUid}/series/${row.seriesUid}/instances/${row.sopInstanceUid}/frames`;
    async function* parts() {
      for (let i = 0; i < decoded.length; i++) yield { body: decoded[i]!, headers: { 'Content-Location': `${base}/${numbers[i]}` } };
    }
    const multipart = multipartResponse('application/octet-stream', parts(), `; transfer-syntax=${EXPLICIT_VR_LITTLE_ENDIAN}`);
    return reply.type(multipart.contentType).send(multipart.stream);
  });

  // --- bulk data -------------------------------------------------------------------------------
  app.get('/dicom-web/studies/:study/series/:series/instances/:instance/bulk/*', { config, schema: { tags, summary: 'WADO-RS: bulk data of one attribute (BulkDataURI from the metadata)', params: { type: 'object', properties: { study: uid, series: uid, instance: uid, '*': { type: 'string', pattern: '^[0-9A-Fa-f]{8}(/[0-9]+/[0-9A-Fa-f]{8})*$' } }, required: ['study', 'series', 'instance', '*'] } } }, async (r, reply) => {
    const request = r as Req;
    const path = (request.params['*'] ?? '').toUpperCase();
    const rows = await find(request.params);
    auditRetrieve(request, 'wado.bulkdata', rows);
    const row = rows[0]!;
    const bytes = await read(row);
    let parts: Uint8Array[];
    if (path === '7FE00010') {
      // Pixel Data as stored: native frames, or the compressed frames of an encapsulated syntax.
      const instance = parseDicom({ bytes, source: row.sopInstanceUid });
      const pixels = instance.pixelData;
      if (pixels === undefined) throw new KeyholeError('NOT_FOUND', { message: 'the instance has no pixel data' });
      parts = Array.from({ length: pixels.format.numberOfFrames }, (_, i) => pixels.frame(i));
    } else {
      const value = bulkValue(readDcmjsDict(bytes).dict, path.split('/'));
      if (value === undefined) throw new KeyholeError('NOT_FOUND', { message: `the instance has no binary value at ${path}` });
      parts = [value];
    }
    async function* generate() {
      for (const body of parts) yield { body };
    }
    const multipart = multipartResponse('application/octet-stream', generate(), `; transfer-syntax=${row.transferSyntaxUid}`);
    return reply.type(multipart.contentType).send(multipart.stream);
  });

  // --- rendered --------------------------------------------------------------------------------
  async function rendered(request: Req, reply: FastifyReply, action: string) {
    const type = renderedType(request.headers.accept);
    const window = parseWindow(request.query.window);
    const { instance } = await loadInstance(request, action);
    const [frame = 1] = frameNumbers(instance, request.params.frames);
    const image = await renderFrame({ instance, frame: frame - 1, codecs: await codecRegistry(), type, ...(window !== undefined ? { window } : {}), ...(request.query.quality !== undefined ? { quality: request.query.quality } : {}) });
    return reply.type(image.type).send(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength));
  }
  app.get('/dicom-web/studies/:study/series/:series/instances/:instance/rendered', { config, schema: { tags, summary: 'WADO-RS: rendered instance (first frame), image/jpeg or image/png', params: paramsSchema(['study', 'series', 'instance']), querystring: renderedQuery } }, (r, reply) => rendered(r as Req, reply, 'wado.rendered'));
  app.get('/dicom-web/studies/:study/series/:series/instances/:instance/frames/:frames/rendered', { config, schema: { tags, summary: 'WADO-RS: rendered frame, image/jpeg or image/png', params: paramsSchema(['study', 'series', 'instance'], framesParam), querystring: renderedQuery } }, (r, reply) => rendered(r as Req, reply, 'wado.rendered'));
};

/** The transfer syntax an Accept header asks for application/dicom parts: undefined when it names none. */
function dicomTransferSyntax(header: string | undefined): string | undefined {
  for (const a of parseAccept(header)) {
    const type = a.mediaType === 'multipart/related' ? (a.params['type'] ?? 'application/dicom') : a.mediaType;
    if (type === 'application/dicom' || type === '*/*') return a.params['transfer-syntax'];
  }
  return undefined;
}

/** image/jpeg unless the client prefers PNG (PS3.18 §8.7.4: JPEG is the default rendered type). */
export function renderedType(header: string | undefined): RenderedType {
  for (const a of parseAccept(header)) {
    if (a.mediaType === 'image/png') return 'image/png';
    if (a.mediaType === 'image/jpeg' || a.mediaType === 'image/*' || a.mediaType === '*/*') return 'image/jpeg';
  }
  throw new KeyholeError('NOT_ACCEPTABLE', { message: `rendered images are image/jpeg or image/png; the Accept header asked for ${header ?? ''}` });
}

/** The binary value at a tag path like `00091010` or `00540016/0/00181072` in dcmjs's dict. */
function bulkValue(dict: DcmjsDict, path: string[]): Uint8Array | undefined {
  const [tag, index, ...rest] = path;
  if (tag === undefined) return undefined;
  const element = dict[tag] ?? dict[tag.toLowerCase()];
  if (element === undefined) return undefined;
  if (index !== undefined) {
    const item = element.Value?.[Number(index)] as DcmjsDict | undefined;
    return item === undefined ? undefined : bulkValue(item, rest);
  }
  const value = element.Value?.[0];
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}
