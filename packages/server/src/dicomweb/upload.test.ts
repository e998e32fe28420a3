import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { DEFAULT_LIMITS } from '../config.ts';
import { testServer, tokenFor } from '../test-support.ts';
import { phantomSeries } from '../store/test-fixtures.ts';

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
