/**
 * `POST /api/upload?assignMissingUids=true`: files whose identifying UIDs are missing are refused
 * by default and stored with deterministic identifiers only when asked; the result and the audit
 * entry say what was assigned; a second import of the same files finds them as duplicates.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from '../test-support.ts';
import { CT_SERIES_DIR, hasCtSeries, phantomSeries } from '../store/test-fixtures.ts';

type Dict = Record<string, { vr: string; Value?: unknown[] }>;
const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: { DicomMessage: { readFile(b: ArrayBuffer): { dict: Dict; write(): ArrayBuffer } } } };

/** The file with Study, Series, SOP Instance, SOP Class UIDs and Patient ID emptied. */
function blanked(bytes: Uint8Array): Uint8Array {
  const message = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  for (const tag of ['0020000D', '0020000E', '00080018', '00080016', '00100020']) message.dict[tag] = { vr: message.dict[tag]?.vr ?? 'UI', Value: [] };
  return new Uint8Array(message.write());
}

function formData(files: Array<{ name: string; bytes: Uint8Array }>): { body: Buffer; contentType: string } {
  const boundary = `form-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const file of files) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(file.bytes), Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

type UploadResult = { stored: number; duplicates: number; failed: number; files: Array<{ source: string; status: string; studyUid?: string; seriesUid?: string; sopInstanceUid?: string; assigned?: Record<string, string>; error?: { code: string; message: string } }> };

describe('browser upload with assignMissingUids', () => {
  let app: FastifyInstance;
  let token: string;
  const phantom = phantomSeries(43);
  const files = phantom.files.map((f, i) => ({ name: `slice-${i}.dcm`, bytes: blanked(f.bytes) }));
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    token = await tokenFor(app, 'rita', 'resident');
  });
  afterAll(async () => app.close());

  const upload = async (sent: Array<{ name: string; bytes: Uint8Array }>, query = ''): Promise<UploadResult> => {
    const { body, contentType } = formData(sent);
    const response = await app.inject({ method: 'POST', url: `/api/upload${query}`, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<UploadResult>();
  };

  it('refuses files with missing UIDs by default, each with the reason, and stores nothing', async () => {
    const result = await upload(files);
    expect(result).toMatchObject({ stored: 0, failed: files.length });
    expect(new Set(result.files.map((f) => f.error?.code))).toEqual(new Set(['DICOM_MISSING_ATTRIBUTE']));
  });

  it('with assignMissingUids: stores them in one new study and series, lists what was assigned, and audits it', async () => {
    const result = await upload(files, '?assignMissingUids=true');
    expect(result).toMatchObject({ stored: files.length, failed: 0 });
    const studies = new Set(result.files.map((f) => f.studyUid));
    expect(studies.size).toBe(1);
    expect(new Set(result.files.map((f) => f.seriesUid)).size).toBe(1);
    for (const file of result.files) {
      expect(Object.keys(file.assigned ?? {}).sort()).toEqual(['PatientID', 'SOPClassUID', 'SOPInstanceUID', 'SeriesInstanceUID', 'StudyInstanceUID']);
      expect(file.assigned?.['SOPInstanceUID']).toBe(file.sopInstanceUid);
    }
    const [study] = [...studies];
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'upload').where('study_uid', '=', study!).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toContain(`identifiers assigned by Keyhole to ${files.length} file(s)`);
    expect(audit[0]!.detail).toContain(study);
    // What the archive serves carries the note: Original Attributes Sequence, modifying system Keyhole.
    const metadata = await app.inject({ method: 'GET', url: `/dicom-web/studies/${study}/metadata`, headers: { authorization: `Bearer ${token}`, accept: 'application/dicom+json' } });
    const first = metadata.json<Array<Record<string, { Value?: Array<Record<string, { Value?: unknown[] }>> }>>>()[0]!;
    expect(first['04000561']?.Value?.[0]?.['04000563']?.Value).toEqual(['Keyhole']);
  });

  it('is idempotent: the same files again are duplicates with the same UIDs; complete files are untouched', async () => {
    const again = await upload(files, '?assignMissingUids=true');
    expect(again).toMatchObject({ stored: 0, duplicates: files.length, failed: 0 });
    const other = phantomSeries(44);
    const complete = await upload([{ name: 'complete.dcm', bytes: other.files[0]!.bytes }], '?assignMissingUids=true');
    expect(complete.files[0]).toMatchObject({ status: 'stored', studyUid: other.studyUid, seriesUid: other.seriesUid });
    expect(complete.files[0]!.assigned).toBeUndefined();
  });

  it.skipIf(!hasCtSeries)('imports the real CT series (../shared/data/ct-dicom-series, blank UIDs) as one study and series of 20 slices', async () => {
    const names = readdirSync(CT_SERIES_DIR).sort();
    const sent = names.map((name) => ({ name, bytes: readFileSync(join(CT_SERIES_DIR, name)) }));
    const result = await upload(sent, '?assignMissingUids=true');
    expect(result).toMatchObject({ stored: names.length, failed: 0 });
    expect(new Set(result.files.map((f) => f.seriesUid)).size).toBe(1);
    expect(new Set(result.files.map((f) => f.assigned?.['SOPClassUID']))).toEqual(new Set(['1.2.840.10008.5.1.4.1.1.2']));
  });
});
