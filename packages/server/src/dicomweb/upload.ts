/**
 * Browser upload: `POST /api/upload`, multipart/form-data (@fastify/multipart) carrying DICOM files
 * and zip archives (a folder picked in the browser arrives as many files).
 *
 * Streaming: each part is spooled as it arrives (upload-spool.ts): in memory while the request's
 * budget (`uploadMemoryBytes`) lasts, then to a temporary file in the data folder; the instances
 * are read back one at a time while storeInstances stores them, so memory holds the budget plus
 * one instance (a zip archive is read whole when its turn comes, one archive at a time).
 *
 * Limits (ServerOptions.limits), each named in its error: a file larger than `maxRequestBytes`
 * is refused on its own (a `failed` result; the rest of the upload is stored); the request as a
 * whole past `maxRequestBytes`, or past `maxInstancesPerRequest` files, is refused with 413 and
 * nothing stored. Zip archives are read with @keyhole/io's safe zip helpers under
 * `maxZipExpandedBytes`, `maxZipRatio` and `maxInstancesPerRequest` entries: unsafe paths, bombs and
 * damaged archives are refused with the archive's name.
 *
 * Every file gets a result line (stored, duplicate, failed with the reason, or skipped); the
 * instances go through storeInstances in one batch, so a malformed file is refused alone and
 * nothing already accepted is lost.
 *
 * Progress: the browser measures upload progress itself (XMLHttpRequest upload events); the
 * per-file results come back in the response.
 *
 * `?assignMissingUids=true` (only when the user asks for it, never by default): files whose
 * identifying UIDs are missing are given deterministic ones before they are stored
 * (store/repair/assign-missing-uids.ts); each such file's result lists what was assigned, and the
 * audit entry names the repair and how many files it touched. Files with complete UIDs are stored
 * byte for byte as sent.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { asKeyholeError, KeyholeError } from '@keyhole/core';
import { extractZipEntry, isZip, listZipEntries, unsafePathReason, type InputLimits } from '@keyhole/io';
import { storeInstances, type StoreFile } from '../store/index.ts';
import { assignMissingUids, type AssignableAttribute } from '../store/repair/index.ts';
import { spoolPart, type SpoolBudget, type SpooledPart } from './upload-spool.ts';

export interface UploadFileResult {
  readonly source: string;
  readonly status: 'stored' | 'duplicate' | 'failed' | 'skipped';
  readonly sopInstanceUid?: string;
  readonly studyUid?: string;
  readonly seriesUid?: string;
  readonly error?: Record<string, unknown>;
  /** The identifiers Keyhole assigned to this file (assignMissingUids), by keyword. */
  readonly assigned?: Readonly<Partial<Record<AssignableAttribute, string>>>;
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
    files: { type: 'array', items: { type: 'object', properties: { source: { type: 'string' }, status: { type: 'string' }, sopInstanceUid: { type: 'string' }, studyUid: { type: 'string' }, seriesUid: { type: 'string' }, error: { type: 'object', additionalProperties: true }, assigned: { type: 'object', additionalProperties: { type: 'string' } } }, required: ['source', 'status'] } },
  },
  required: ['stored', 'duplicates', 'failed', 'files'],
} as const;

const querySchema = {
  type: 'object',
  properties: { assignMissingUids: { type: 'boolean', default: false, description: 'Give files whose Study/Series/SOP Instance/SOP Class UIDs are missing deterministic 2.25 UIDs (and a Patient ID when blank), recorded in the file and the audit log' } },
  additionalProperties: false,
} as const;

/** The spool folder of the uploads in progress, under the data folder. */
export function uploadSpoolDir(dataDir: string): string {
  return join(dataDir, 'upload-spool');
}

interface ReceivedPart {
  readonly source: string;
  readonly kind: 'dicom' | 'zip';
  readonly spooled: SpooledPart;
}

export const uploadPlugin: FastifyPluginAsync = async (app) => {
  const limits = app.keyhole.options.limits;
  const dataDir = app.keyhole.options.dataDir;
  // Spool files left by a crash: nobody will read them again.
  await rm(uploadSpoolDir(dataDir), { recursive: true, force: true });
  // One file is read back whole to be stored (parse, checksum): at most maxRequestBytes and under 2 GiB (one Buffer).
  const maxFileBytes = Math.min(limits.maxRequestBytes, 2 ** 31 - 1);
  // throwFileSizeLimit off: a file past the limit is refused on its own (its part is drained, `truncated` set), not the whole upload.
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fileSize: maxFileBytes, files: limits.maxInstancesPerRequest, fields: 100 } });
  app.post('/api/upload', { config: { access: 'patient-data:write' }, schema: { tags: ['Upload'], summary: 'Upload DICOM files and zip archives from the browser (multipart/form-data); large uploads stream to disk', consumes: ['multipart/form-data'], querystring: querySchema, response: { 200: resultSchema } } }, async (request) => {
    request.audit.action = 'upload';
    const repair = (request.query as { assignMissingUids?: boolean }).assignMissingUids === true;
    /** Source → identifiers assigned to it (only with assignMissingUids). */
    const assignedBySource = new Map<string, Partial<Record<AssignableAttribute, string>>>();
    if (!request.isMultipart()) throw new KeyholeError('VALIDATION_FAILED', { path: 'headers.content-type', message: 'send the files as multipart/form-data' });
    const spoolDir = join(uploadSpoolDir(dataDir), randomBytes(8).toString('hex'));
    const budget: SpoolBudget = { remainingBytes: limits.uploadMemoryBytes };
    const parts: ReceivedPart[] = [];
    const results: UploadFileResult[] = [];
    try {
      let received = 0;
      let index = 0;
      try {
        for await (const part of request.files()) {
          const source = part.filename || part.fieldname;
          const spooled = await spoolPart(part.file, { dir: spoolDir, name: `${index++}.part`, budget });
          if (part.file.truncated) {
            await spooled.dispose();
            results.push({ source, status: 'failed', error: new KeyholeError('REQUEST_TOO_LARGE', { file: source, message: `the file is larger than the limit of ${maxFileBytes} bytes for one file (maxRequestBytes, at most 2 GiB); the other files are stored` }).toJSON() });
            continue;
          }
          received += spooled.size;
          if (received > limits.maxRequestBytes) throw new KeyholeError('REQUEST_TOO_LARGE', { message: `the upload is larger than the configured limit of ${limits.maxRequestBytes} bytes (maxRequestBytes); nothing was stored` });
          if (isZip(spooled.head)) parts.push({ source, kind: 'zip', spooled });
          else if (isSkippedName(source)) {
            await spooled.dispose();
            results.push({ source, status: 'skipped' });
          } else parts.push({ source, kind: 'dicom', spooled });
        }
      } catch (error) {
        const e = error as { code?: string };
        if (e.code === 'FST_FILES_LIMIT') throw new KeyholeError('REQUEST_TOO_LARGE', { message: `more than ${limits.maxInstancesPerRequest} files in one upload (maxInstancesPerRequest); nothing was stored` });
        throw error;
      }
      if (parts.length === 0 && results.length === 0) throw new KeyholeError('EMPTY_INPUT', { message: 'the upload holds no files' });
      const stored = await storeInstances({ archive: { db: app.keyhole.db, dataDir }, files: repair ? withMissingUidsAssigned(instancesOf(parts, results, limits), assignedBySource) : instancesOf(parts, results, limits), checks: app.keyhole.instanceChecks, limits: { maxInstancesPerRequest: limits.maxInstancesPerRequest } });
      const withAssigned = (source: string): { assigned?: Partial<Record<AssignableAttribute, string>> } => {
        const assigned = assignedBySource.get(source);
        return assigned !== undefined ? { assigned } : {};
      };
      for (const ref of stored.stored) {
        const source = stored.sources.get(ref.sopInstanceUid) ?? ref.sopInstanceUid;
        results.push({ source, status: 'stored', sopInstanceUid: ref.sopInstanceUid, studyUid: ref.studyUid, seriesUid: ref.seriesUid, ...withAssigned(source) });
      }
      for (const ref of stored.duplicates) {
        const source = stored.sources.get(ref.sopInstanceUid) ?? ref.sopInstanceUid;
        results.push({ source, status: 'duplicate', sopInstanceUid: ref.sopInstanceUid, studyUid: ref.studyUid, seriesUid: ref.seriesUid, ...withAssigned(source) });
      }
      for (const failure of stored.failed) results.push({ source: failure.source, status: 'failed', ...(failure.sopInstanceUid !== undefined ? { sopInstanceUid: failure.sopInstanceUid } : {}), error: failure.error.toJSON() });
      const first = stored.stored[0] ?? stored.duplicates[0];
      if (first !== undefined) {
        request.audit.patientId = first.patientId;
        request.audit.studyUid = first.studyUid;
      }
      const failed = results.filter((r) => r.status === 'failed').length;
      request.audit.detail = `${stored.stored.length} stored, ${stored.duplicates.length} already present, ${failed} refused`;
      if (repair) request.audit.detail += `; assignMissingUids requested: ${repairNote(assignedBySource)}`;
      if (failed > 0) request.audit.outcome = stored.stored.length + stored.duplicates.length > 0 ? 'partial' : 'failed';
      return { stored: stored.stored.length, duplicates: stored.duplicates.length, failed, files: results };
    } finally {
      await Promise.all(parts.map((p) => p.spooled.dispose()));
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
};

/** The audit entry's words for what the repair did: how many files, which attributes, which study. */
function repairNote(assigned: ReadonlyMap<string, Partial<Record<AssignableAttribute, string>>>): string {
  if (assigned.size === 0) return 'no file lacked identifiers, none changed';
  const attributes = [...new Set([...assigned.values()].flatMap((a) => Object.keys(a)))].sort();
  const studies = [...new Set([...assigned.values()].map((a) => a.StudyInstanceUID).filter((u) => u !== undefined))];
  return `identifiers assigned by Keyhole to ${assigned.size} file(s) whose identifying UIDs were missing (${attributes.join(', ')})${studies.length > 0 ? `; new study UID(s) ${studies.join(', ')}` : ''}`;
}

/**
 * The instances with missing identifying UIDs given deterministic ones (store/repair); complete
 * files and unreadable ones pass as they are (the store refuses the latter with the reason).
 */
async function* withMissingUidsAssigned(files: AsyncIterable<StoreFile>, assigned: Map<string, Partial<Record<AssignableAttribute, string>>>): AsyncGenerator<StoreFile> {
  for await (const file of files) {
    const result = assignMissingUids({ bytes: file.bytes, source: file.source });
    if (!result.repaired) {
      yield file;
      continue;
    }
    assigned.set(file.source, result.assigned);
    yield { bytes: result.bytes, source: file.source };
  }
}

/**
 * The instances of the received parts, read back one at a time as storeInstances asks for them:
 * loose files as they are, zip archives entry by entry (refused entries go to `results`).
 */
async function* instancesOf(parts: readonly ReceivedPart[], results: UploadFileResult[], limits: { maxZipExpandedBytes: number; maxInstancesPerRequest: number; maxZipRatio: number }): AsyncGenerator<StoreFile> {
  const zipLimits: InputLimits = { maxTotalBytes: limits.maxZipExpandedBytes, maxEntries: limits.maxInstancesPerRequest, maxExpansionRatio: limits.maxZipRatio, concurrency: 1 };
  const budget = { totalBytes: 0 };
  for (const part of parts) {
    const bytes = await part.spooled.read();
    await part.spooled.dispose();
    if (part.kind === 'dicom') {
      yield { bytes, source: part.source };
      continue;
    }
    let entries;
    try {
      entries = listZipEntries(bytes, part.source, zipLimits);
    } catch (error) {
      results.push({ source: part.source, status: 'failed', error: asKeyholeError(error, 'ZIP_INVALID', part.source).toJSON() });
      continue;
    }
    let produced = 0;
    for (const entry of entries) {
      if (entry.name.endsWith('/')) continue;
      const source = `${part.source}!/${entry.name}`;
      const unsafe = unsafePathReason(entry.name);
      if (unsafe !== undefined) {
        results.push({ source, status: 'failed', error: new KeyholeError('ZIP_UNSAFE_PATH', { file: source, message: `entry refused: ${unsafe}` }).toJSON() });
        continue;
      }
      if (isSkippedName(entry.name)) {
        results.push({ source, status: 'skipped' });
        continue;
      }
      let content: Uint8Array;
      try {
        content = extractZipEntry({ bytes, entry, source, limits: zipLimits, budget, archiveProduced: produced, archiveSize: bytes.length });
      } catch (error) {
        const problem = asKeyholeError(error, 'ZIP_INVALID', source);
        results.push({ source, status: 'failed', error: problem.toJSON() });
        // An archive past its expansion limit is not read further (a possible zip bomb).
        if (problem.code === 'ZIP_EXPANSION_LIMIT') break;
        continue;
      }
      produced += content.length;
      yield { bytes: content, source };
    }
  }
}
