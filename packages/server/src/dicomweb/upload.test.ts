import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePhantomStudy } from '@keyhole/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { DEFAULT_LIMITS } from '../config.ts';
import { testServer, tokenFor } from '../test-support.ts';
import { phantomSeries } from '../store/test-fixtures.ts';
import { objectsDir } from '../store/index.ts';
import { uploadSpoolDir } from './upload.ts';

function formData(files: Array<{ name: string; bytes: Uint8Array }>): { body: Buffer; contentType: string } {
  const boundary = `form-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(file.bytes), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

type UploadResult = { stored: number; duplicates: number; failed: number; files: Array<{ source: string; status: string; error?: { code: string; message: string } }> };

describe('browser upload: files and zip archives, per-file results', () => {
  let app: FastifyInstance;
  let token: string;
  const phantom = phantomSeries(41);
  beforeAll(async () => {
    app = await testServer({ limits: { ...DEFAULT_LIMITS, maxZipExpandedBytes: 2 * 1024 * 1024 } });
    await app.ready();
    token = await tokenFor(app, 'wanda', 'resident');
  });
  afterAll(async () => app.close());

  const upload = (files: Array<{ name: string; bytes: Uint8Array }>, bearer: string | null = token) => {
    const { body, contentType } = formData(files);
    return app.inject({ method: 'POST', url: '/api/upload', payload: body, headers: { 'content-type': contentType, ...(bearer !== null ? { authorization: `Bearer ${bearer}` } : {}) } });
  };

  it('stores loose files and the files of a zip archive (folders inside, __MACOSX skipped), each reported', async () => {
    const [a, b, ...rest] = phantom.files;
    const zip = zipSync(Object.fromEntries([...rest.map((f, i) => [`study/series/${i}.dcm`, f.bytes]), ['__MACOSX/._0.dcm', new Uint8Array(10)]]) as Record<string, Uint8Array>);
    const response = await upload([{ name: 'a.dcm', bytes: a!.bytes }, { name: 'b.dcm', bytes: b!.bytes }, { name: 'study.zip', bytes: zip }]);
    expect(response.statusCode).toBe(200);
    const result = response.json<UploadResult>();
    expect(result).toMatchObject({ stored: phantom.files.length, duplicates: 0, failed: 0 });
    expect(result.files.filter((f) => f.status === 'stored').map((f) => f.source)).toContain('study.zip!/study/series/0.dcm');
    expect(result.files.find((f) => f.source === 'study.zip!/__MACOSX/._0.dcm')?.status).toBe('skipped');
    const audit = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'upload').execute();
    expect(audit[0]).toMatchObject({ study_uid: phantom.studyUid, outcome: 'success' });
  });

  it('reports duplicates, refuses a non-DICOM file, an unsafe zip path and a zip bomb by name, keeps the rest', async () => {
    const other = phantomSeries(42);
    const evil = zipSync({ '../../etc/evil.dcm': other.files[0]!.bytes, 'ok.dcm': other.files[1]!.bytes });
    const bomb = zipSync({ 'zeros.dcm': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    const response = await upload([
      { name: 'again.dcm', bytes: phantom.files[0]!.bytes },
      { name: 'notes.txt', bytes: new TextEncoder().encode('hello '.repeat(50)) },
      { name: 'evil.zip', bytes: evil },
      { name: 'bomb.zip', bytes: bomb },
    ]);
    expect(response.statusCode).toBe(200);
    const result = response.json<UploadResult>();
    expect(result.stored).toBe(1);
    expect(result.duplicates).toBe(1);
    const byName = new Map(result.files.map((f) => [f.source, f]));
    expect(byName.get('notes.txt')?.error?.code).toBe('DICOM_NOT_DICOM');
    expect(byName.get('evil.zip!/../../etc/evil.dcm')?.error?.code).toBe('ZIP_UNSAFE_PATH');
    expect(byName.get('bomb.zip!/zeros.dcm')?.error?.code).toBe('ZIP_EXPANSION_LIMIT');
    expect(byName.get('evil.zip!/ok.dcm')?.status).toBe('stored');
  });

  it('refuses anonymous (401) and read-only (403) uploads', async () => {
    expect((await upload([{ name: 'a.dcm', bytes: phantom.files[0]!.bytes }], null)).statusCode).toBe(401);
    const viewer = await tokenFor(app, 'vera', 'viewer');
    expect((await upload([{ name: 'a.dcm', bytes: phantom.files[0]!.bytes }], viewer)).statusCode).toBe(403);
  });
});

describe('browser upload streams to disk past a small memory budget', () => {
  let app: FastifyInstance;
  let token: string;
  // CT slices of 200 × 200 (about 80 KB each): every one is larger than the 64 KiB memory budget.
  const ct = generatePhantomStudy({ seed: 43, modality: 'ct', levels: { from: 'L4', to: 'L5' }, grid: { size: [200, 200, 8], spacing: [1, 1, 3] } }).series[0]!;
  const files = ct.files.map((f) => ({ name: f.name, bytes: f.bytes }));
  beforeAll(async () => {
    app = await testServer({ limits: { ...DEFAULT_LIMITS, uploadMemoryBytes: 64 * 1024, maxRequestBytes: 600 * 1024 } });
    await app.ready();
    token = await tokenFor(app, 'sven', 'resident');
  });
  afterAll(async () => app.close());

  const upload = (parts: Array<{ name: string; bytes: Uint8Array }>) => {
    const { body, contentType } = formData(parts);
    return app.inject({ method: 'POST', url: '/api/upload', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
  };
  const storedBytes = async (sopInstanceUid: string): Promise<Buffer> => {
    const row = await app.keyhole.db.selectFrom('instance').select('file_path').where('sop_instance_uid', '=', sopInstanceUid).executeTakeFirstOrThrow();
    return readFileSync(join(objectsDir(app.keyhole.options.dataDir), row.file_path));
  };

  it('stores files and a zip larger than the budget byte for byte, and leaves no spool file behind', async () => {
    expect(files.every((f) => f.bytes.length > 64 * 1024)).toBe(true);
    const zip = zipSync(Object.fromEntries(files.slice(2, 6).map((f) => [`ct/${f.name}`, f.bytes])) as Record<string, Uint8Array>, { level: 0 });
    expect(zip.length).toBeGreaterThan(4 * 64 * 1024);
    const response = await upload([files[0]!, files[1]!, { name: 'ct.zip', bytes: zip }]);
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<UploadResult & { files: Array<{ source: string; status: string; sopInstanceUid?: string }> }>();
    expect(result).toMatchObject({ stored: 6, duplicates: 0, failed: 0 });
    for (const file of result.files) {
      const original = file.source.startsWith('ct.zip!/') ? files.find((f) => `ct.zip!/ct/${f.name}` === file.source) : files.find((f) => f.name === file.source);
      expect(Buffer.from(original!.bytes).equals(await storedBytes(file.sopInstanceUid!)), file.source).toBe(true);
    }
    const spool = uploadSpoolDir(app.keyhole.options.dataDir);
    expect(existsSync(spool) ? readdirSync(spool) : []).toEqual([]);
  });

  it('refuses a file past maxRequestBytes on its own and stores the others; past it as a whole, refuses the upload and stores nothing', async () => {
    const big = new Uint8Array(700 * 1024);
    big.set(files[6]!.bytes);
    const response = await upload([files[6]!, { name: 'huge.dcm', bytes: big }, files[7]!]);
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<UploadResult>();
    expect(result).toMatchObject({ stored: 2, failed: 1 });
    const huge = result.files.find((f) => f.source === 'huge.dcm');
    expect(huge).toMatchObject({ status: 'failed', error: { code: 'REQUEST_TOO_LARGE' } });
    expect(huge?.error?.message).toMatch(/maxRequestBytes/);

    const before = await app.keyhole.db.selectFrom('instance').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    const other = generatePhantomStudy({ seed: 44, modality: 'ct', levels: { from: 'L4', to: 'L5' }, grid: { size: [200, 200, 8], spacing: [1, 1, 3] } }).series[0]!.files;
    const tooMuch = await upload(other.map((f) => ({ name: f.name, bytes: f.bytes })));
    expect(tooMuch.statusCode).toBe(413);
    expect(tooMuch.json()).toMatchObject({ code: 'REQUEST_TOO_LARGE', message: expect.stringMatching(/maxRequestBytes.*nothing was stored/) });
    const after = await app.keyhole.db.selectFrom('instance').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const spool = uploadSpoolDir(app.keyhole.options.dataDir);
    expect(existsSync(spool) ? readdirSync(spool) : []).toEqual([]);
  });
});
