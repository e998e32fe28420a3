/**
 * Browser upload: `POST /api/upload`, multipart/form-data (@fastify/multipart) carrying DICOM files
 * and zip archives (a folder picked in the browser arrives as many files). Zip archives are read
 * with @keyhole/io's safe zip helpers under the server's limits (maxZipExpandedBytes, maxZipRatio,
 * maxInstancesPerRequest entries): unsafe paths, bombs and damaged archives are refused with the
 * archive's name. Every file gets a result line (stored, duplicate, failed with the reason, or
 * skipped); the instances go through storeInstances in one batch.
 *
 * Progress: the browser measures upload progress itself (XMLHttpRequest upload events); the
 * per-file results come back in the response.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { asKeyholeError, KeyholeError } from '@keyhole/core';
import { extractZipEntry, isZip, listZipEntries, unsafePathReason, type InputLimits } from '@keyhole/io';
import { storeInstances } from '../store/index.ts';

export interface UploadFileResult {
  readonly source: string;
  readonly status: 'stored' | 'duplicate' | 'failed' | 'skipped';
  readonly sopInstanceUid?: string;
  readonly studyUid?: string;
  readonly seriesUid?: string;
  readonly error?: Record<string, unknown>;
}

/** Names a zip or a folder carries that are not images (macOS resource forks, indexes). */
function isSkippedName(name: string): boolean {
  const base = name.split('/').pop() ?? name;
  return name.startsWith('__MACOSX/') || base.startsWith('.') || base.toUpperCase() === 'DICOMDIR' || base === 'Thumbs.db';
}

const resultSchema = {
  type: 'object',
  properties: {
    stored: { type: 'integer' },
    duplicates: { type: 'integer' },
    failed: { type: 'integer' },
    files: { type: 'array', items: { type: 'object', properties: { source: { type: 'string' }, status: { type: 'string' }, sopInstanceUid: { type: 'string' }, studyUid: { type: 'string' }, seriesUid: { type: 'string' }, error: { type: 'object', additionalProperties: true } }, required: ['source', 'status'] } },
  },
  required: ['stored', 'duplicates', 'failed', 'files'],
} as const;

export const uploadPlugin: FastifyPluginAsync = async (app) => {
  const limits = app.keyhole.options.limits;
  await app.register(multipart, { limits: { fileSize: Math.min(limits.maxRequestBytes, 2 ** 31 - 1), files: limits.maxInstancesPerRequest, fields: 100 } });
  app.post('/api/upload', { config: { access: 'patient-data:write' }, schema: { tags: ['Upload'], summary: 'Upload DICOM files and zip archives from the browser (multipart/form-data)', consumes: ['multipart/form-data'], response: { 200: resultSchema } } }, async (request) => {
    request.audit.action = 'upload';
    if (!request.isMultipart()) throw new KeyholeError('VALIDATION_FAILED', { path: 'headers.content-type', message: 'send the files as multipart/form-data' });
    const zipLimits: InputLimits = { maxTotalBytes: limits.maxZipExpandedBytes, maxEntries: limits.maxInstancesPerRequest, maxExpansionRatio: limits.maxZipRatio, concurrency: 1 };
    const budget = { totalBytes: 0 };
    const files: Array<{ bytes: Uint8Array; source: string }> = [];
    const results: UploadFileResult[] = [];
    let received = 0;
    for await (const part of request.files()) {
      const name = part.filename || part.fieldname;
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        const e = error as { code?: string };
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new KeyholeError('REQUEST_TOO_LARGE', { file: name, message: `the file is larger than the configured limit of ${limits.maxRequestBytes} bytes (maxRequestBytes)` });
        if (e.code === 'FST_FILES_LIMIT') throw new KeyholeError('REQUEST_TOO_LARGE', { message: `more than ${limits.maxInstancesPerRequest} files in one upload (maxInstancesPerRequest)` });
        throw error;
      }
      received += bytes.length;
      if (received > limits.maxRequestBytes) throw new KeyholeError('REQUEST_TOO_LARGE', { message: `the upload is larger than the configured limit of ${limits.maxRequestBytes} bytes (maxRequestBytes)` });
      if (!isZip(bytes)) {
        if (isSkippedName(name)) results.push({ source: name, status: 'skipped' });
        else files.push({ bytes, source: name });
        continue;
      }
      let entries;
      try {
        entries = listZipEntries(bytes, name, zipLimits);
      } catch (error) {
        results.push({ source: name, status: 'failed', error: asKeyholeError(error, 'ZIP_INVALID', name).toJSON() });
        continue;
      }
      let produced = 0;
      for (const entry of entries) {
        if (entry.name.endsWith('/')) continue;
        const source = `${name}!/${entry.name}`;
        const unsafe = unsafePathReason(entry.name);
        if (unsafe !== undefined) {
          results.push({ source, status: 'failed', error: new KeyholeError('ZIP_UNSAFE_PATH', { file: source, message: `entry refused: ${unsafe}` }).toJSON() });
          continue;
        }
        if (isSkippedName(entry.name)) {
          results.push({ source, status: 'skipped' });
          continue;
        }
        try {
          const content = extractZipEntry({ bytes, entry, source, limits: zipLimits, budget, archiveProduced: produced, archiveSize: bytes.length });
          produced += content.length;
          files.push({ bytes: content, source });
        } catch (error) {
          const problem = asKeyholeError(error, 'ZIP_INVALID', source);
          results.push({ source, status: 'failed', error: problem.toJSON() });
          // An archive past its expansion limit is not read further (a possible zip bomb).
          if (problem.code === 'ZIP_EXPANSION_LIMIT') break;
        }
      }
    }
    if (files.length === 0 && results.length === 0) throw new KeyholeError('EMPTY_INPUT', { message: 'the upload holds no files' });
    const stored = await storeInstances({ archive: { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir }, files, limits: { maxInstancesPerRequest: limits.maxInstancesPerRequest } });
    for (const ref of stored.stored) results.push({ source: stored.sources.get(ref.sopInstanceUid) ?? ref.sopInstanceUid, status: 'stored', sopInstanceUid: ref.sopInstanceUid, studyUid: ref.studyUid, seriesUid: ref.seriesUid });
    for (const ref of stored.duplicates) results.push({ source: stored.sources.get(ref.sopInstanceUid) ?? ref.sopInstanceUid, status: 'duplicate', sopInstanceUid: ref.sopInstanceUid, studyUid: ref.studyUid, seriesUid: ref.seriesUid });
    for (const failure of stored.failed) results.push({ source: failure.source, status: 'failed', ...(failure.sopInstanceUid !== undefined ? { sopInstanceUid: failure.sopInstanceUid } : {}), error: failure.error.toJSON() });
    const first = stored.stored[0] ?? stored.duplicates[0];
    if (first !== undefined) {
      request.audit.patientId = first.patientId;
      request.audit.studyUid = first.studyUid;
    }
    const failed = results.filter((r) => r.status === 'failed').length;
    request.audit.detail = `${stored.stored.length} stored, ${stored.duplicates.length} already present, ${failed} refused`;
    if (failed > 0) request.audit.outcome = stored.stored.length + stored.duplicates.length > 0 ? 'partial' : 'failed';
    return { stored: stored.stored.length, duplicates: stored.duplicates.length, failed, files: results };
  });
};
