/**
 * STOW-RS (PS3.18 §10.5): `POST /dicom-web/studies` and `POST /dicom-web/studies/{study}`,
 * body multipart/related; type="application/dicom", one Part 10 instance per part.
 *
 * Response (PS3.18 §10.5.3, Table 10.5.3-1), DICOM JSON:
 * - ReferencedSOPSequence (0008,1199): stored instances (duplicates too: they are in the archive);
 * - FailedSOPSequence (0008,1198): refused instances with FailureReason (0008,1197) and, for people,
 *   the reason in words (also sent as Warning headers, PS3.18 §8.3.5.1);
 * - HTTP 200 all stored, 202 some stored and some failed, 409 none stored.
 * Instances of another study than the one in the URL are refused (FailureReason 0xA900: the data
 * set does not match what the request targets), the rest stored.
 *
 * The body is parsed as it streams in; each instance is checked and staged (store-instances.ts) as
 * soon as its part is complete, so memory holds one instance at a time, whatever the study size.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { KeyholeError, parseDicom, Tag } from '@keyhole/core';
import { storeInstances, type InstanceRef, type StoreFailure } from '../store/index.ts';
import { baseUrl, DICOM_JSON, el, warning } from './dicom-json-response.ts';
import { contentTypeParameters, parseMultipartStream } from './multipart.ts';
import type { DicomJsonDataset } from '../store/index.ts';

/** Failure reasons (PS3.18 §10.5.3 / PS3.4 Annex GG status codes). */
const FAILURE = { processing: 0x0110, outOfResources: 0xa700, doesNotMatch: 0xa900, cannotUnderstand: 0xc000 } as const;

export const stowPlugin: FastifyPluginAsync = async (app) => {
  const handler = async (request: FastifyRequest<{ Params: { study?: string } }>, reply: import('fastify').FastifyReply) => {
    request.audit.action = 'stow';
    const targetStudy = request.params.study;
    if (targetStudy !== undefined) request.audit.studyUid = targetStudy;
    const mismatched: StoreFailure[] = [];
    const parts = dicomParts(request, app.keyhole.options.limits.maxRequestBytes, app.keyhole.instanceChecks.allocate);
    // Instances of another study than the URL names are set aside here, before they are staged.
    async function* toStore(): AsyncGenerator<{ bytes: Uint8Array; source: string; handOver?: boolean }> {
      for await (const file of parts) {
        if (targetStudy !== undefined) {
          let study: string | undefined;
          try {
            study = parseDicom(file).dataset.string(Tag.StudyInstanceUID);
          } catch {
            study = targetStudy; // storeInstances reports the parse failure with its reason
          }
          if (study !== targetStudy) {
            mismatched.push({ source: file.source, error: new KeyholeError('VALIDATION_FAILED', { file: file.source, message: `the instance belongs to study ${study ?? '(none)'}, not to ${targetStudy} named in the URL` }) });
            continue;
          }
        }
        yield file;
      }
    }
    const result = await storeInstances({ archive: { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir }, files: toStore(), checks: app.keyhole.instanceChecks, limits: { maxInstancesPerRequest: app.keyhole.options.limits.maxInstancesPerRequest } });
    const failed = [...result.failed, ...mismatched];
    const referenced = [...result.stored, ...result.duplicates];
    const base = baseUrl(request);
    const first = referenced[0];
    if (first !== undefined) {
      request.audit.patientId = first.patientId;
      request.audit.studyUid = targetStudy ?? first.studyUid;
    }
    request.audit.detail = `${result.stored.length} stored, ${result.duplicates.length} already present, ${failed.length} refused`;
    if (failed.length > 0 && referenced.length > 0) request.audit.outcome = 'partial';
    const body: DicomJsonDataset = {};
    const studyForUrl = targetStudy ?? (new Set(referenced.map((r) => r.studyUid)).size === 1 ? first?.studyUid : undefined);
    if (studyForUrl !== undefined) body['00081190'] = el.str('UR', `${base}/dicom-web/studies/${studyForUrl}`);
    if (failed.length > 0) body['00081198'] = el.seq(failed.map((f) => failedItem(f)));
    if (referenced.length > 0) body['00081199'] = el.seq(referenced.map((r) => referencedItem(r, base)));
    for (const failure of failed.slice(0, 20)) void reply.header('Warning', warning(failure.error.message));
    const status = failed.length === 0 ? 200 : referenced.length > 0 ? 202 : 409;
    return reply.status(status).type(DICOM_JSON).send(body);
  };
  const response = { type: 'object', additionalProperties: true, description: 'DICOM JSON: RetrieveURL, FailedSOPSequence, ReferencedSOPSequence' } as const;
  const schema = { tags: ['DICOMweb'], summary: 'STOW-RS: store instances (multipart/related; type="application/dicom")', consumes: ['multipart/related'], response: { 200: response, 202: response, 409: response } };
  app.post('/dicom-web/studies', { config: { access: 'patient-data:write' }, schema }, handler);
  app.post<{ Params: { study: string } }>('/dicom-web/studies/:study', { config: { access: 'patient-data:write' }, schema: { ...schema, params: { type: 'object', properties: { study: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 64 } }, required: ['study'] } } }, handler);
};

/** The request's parts as they arrive (see multipart.ts parseMultipartStream), checked for type. */
async function* dicomParts(request: FastifyRequest, maxBytes: number, allocate: (size: number) => Uint8Array): AsyncGenerator<{ bytes: Uint8Array; source: string; handOver?: boolean }> {
  const header = request.headers['content-type'] ?? '';
  const { mediaType, params } = contentTypeParameters(header);
  if (mediaType !== 'multipart/related') {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'headers.content-type', message: `STOW-RS takes multipart/related; type="application/dicom", not ${mediaType || 'no content type'}` });
  }
  const type = (params['type'] ?? 'application/dicom').toLowerCase();
  if (type !== 'application/dicom') {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'headers.content-type', message: `only type="application/dicom" parts are accepted (got type="${type}"); the JSON + bulk data form of STOW-RS is not supported` });
  }
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new KeyholeError('REQUEST_TOO_LARGE', { message: `the request body (${declared} bytes) is larger than the configured limit of ${maxBytes} bytes (maxRequestBytes)`, details: { limit: maxBytes } });
  }
  const body = request.body as AsyncIterable<Uint8Array> | undefined;
  if (body === undefined || body === null || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'body', message: 'the request has no body' });
  }
  let index = 0;
  for await (const part of parseMultipartStream(body, { boundary: params['boundary'] ?? '', maxBytes, allocate })) {
    index++;
    const partType = contentTypeParameters(part.headers['content-type'] ?? 'application/dicom').mediaType;
    const source = `part ${index}${part.headers['content-location'] !== undefined ? ` (${part.headers['content-location']})` : ''}`;
    if (partType !== 'application/dicom' && partType !== '') yield { bytes: new Uint8Array(0), source: `${source} of type ${partType}` };
    // The part's buffer came from the check pool's allocator and is read by nothing else after this.
    else yield { bytes: part.body, source, handOver: true };
  }
}

function failedItem(failure: StoreFailure): DicomJsonDataset {
  const code = failure.error.code;
  const reason = code === 'VALIDATION_FAILED' ? FAILURE.doesNotMatch : code === 'INTERNAL' ? FAILURE.outOfResources : code.startsWith('DICOM_') ? FAILURE.cannotUnderstand : FAILURE.processing;
  return {
    '00081150': el.str('UI', undefined),
    '00081155': el.str('UI', failure.sopInstanceUid),
    '00081197': el.num('US', reason),
    // Error Comment (0000,0902): the reason in words, as DIMSE responses carry it.
    '00000902': el.str('LO', failure.error.message.slice(0, 64)),
  };
}

function referencedItem(ref: InstanceRef, base: string): DicomJsonDataset {
  return {
    '00081150': el.str('UI', ref.sopClassUid),
    '00081155': el.str('UI', ref.sopInstanceUid),
    '00081190': el.str('UR', `${base}/dicom-web/studies/${ref.studyUid}/series/${ref.seriesUid}/instances/${ref.sopInstanceUid}`),
  };
}
