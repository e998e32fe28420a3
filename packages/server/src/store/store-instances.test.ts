import { mkdtempSync, existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDicom } from '@keyhole/core';
import { openDatabase, type ArchiveDatabase } from '../db/connect.ts';
import { freshTestDatabase } from '../test-support.ts';
import { objectsDir, readStoredInstance, recoverStore, storeInstances, type Archive } from './index.ts';
import { CT_SERIES_UID, CT_STUDY_UID, ctSeriesFiles, hasCtSeries, phantomSeries } from './test-fixtures.ts';

async function freshArchive(): Promise<{ archive: Archive; database: ArchiveDatabase }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-store-'));
  const databaseUrl = await freshTestDatabase();
  const database = await openDatabase({ dataDir, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
  return { archive: { db: database.db, dataDir }, database };
}

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('storeInstances: atomic, idempotent, one by one', () => {
  let archive: Archive;
  let database: ArchiveDatabase;
  const phantom = phantomSeries();
  beforeAll(async () => ({ archive, database } = await freshArchive()));
  afterAll(async () => database.close());

  it('stores a phantom series: rows, counts, files with their checksums, DICOM JSON metadata', async () => {
    const result = await storeInstances({ archive, files: phantom.files });
    expect(result.failed).toEqual([]);
    expect(result.duplicates).toEqual([]);
    expect(result.stored).toHaveLength(phantom.files.length);
    expect(result.stored[0]).toMatchObject({ studyUid: phantom.studyUid, seriesUid: phantom.seriesUid, patientId: phantom.patientId });
    const study = await archive.db.selectFrom('study').selectAll().where('study_uid', '=', phantom.studyUid).executeTakeFirstOrThrow();
    expect(study).toMatchObject({ series_count: 1, instance_count: phantom.files.length, modalities: 'MR' });
    const rows = await archive.db.selectFrom('instance').selectAll().execute();
    expect(rows).toHaveLength(phantom.files.length);
    for (const row of rows) {
      expect(row.file_path).toBe(`${phantom.studyUid}/${phantom.seriesUid}/${row.sop_instance_uid}.dcm`);
      const original = phantom.files.find((f) => parseDicom({ bytes: f.bytes, source: f.source }).sopInstanceUid === row.sop_instance_uid);
      expect(original).toBeDefined();
      const bytes = await readStoredInstance(archive, { filePath: row.file_path, sha256: row.sha256 });
      expect(Buffer.from(bytes).equals(Buffer.from(original!.bytes))).toBe(true);
      const metadata = JSON.parse(row.metadata_json) as Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;
      expect(metadata['0020000D']).toEqual({ vr: 'UI', Value: [phantom.studyUid] });
      expect(metadata['00280010']).toEqual({ vr: 'US', Value: [64] });
      expect(metadata['7FE00010']?.BulkDataURI).toMatch(/\/bulk\/7FE00010$/);
      // PN as an object with Alphabetic (PS3.18 F.2.2).
      expect(metadata['00100010']?.Value?.[0]).toHaveProperty('Alphabetic');
    }
    expect(filesUnder(join(objectsDir(archive.dataDir), '.staging'))).toEqual([]);
  });

  it('stores the same SOP Instance UIDs once: a second send reports duplicates and writes nothing', async () => {
    const before = filesUnder(objectsDir(archive.dataDir)).length;
    const twice = [...phantom.files, phantom.files[0]!];
    const result = await storeInstances({ archive, files: twice });
    expect(result.stored).toEqual([]);
    expect(result.duplicates).toHaveLength(twice.length);
    expect(filesUnder(objectsDir(archive.dataDir))).toHaveLength(before);
    const count = await archive.db.selectFrom('instance').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(phantom.files.length);
  });

  it('refuses malformed instances one by one with a reason and stores the rest', async () => {
    const other = phantomSeries(8);
    const notDicom = { bytes: new TextEncoder().encode('this is not a DICOM file at all, just some text'.repeat(5)), source: 'notes.txt' };
    const truncated = { bytes: other.files[1]!.bytes.slice(0, 400), source: 'truncated.dcm' };
    const result = await storeInstances({ archive, files: [other.files[0]!, notDicom, truncated, other.files[2]!] });
    expect(result.stored.map((r) => r.sopInstanceUid)).toHaveLength(2);
    expect(result.failed.map((f) => [f.source, f.error.code])).toEqual([
      ['notes.txt', 'DICOM_NOT_DICOM'],
      ['truncated.dcm', expect.stringMatching(/DICOM_(TRUNCATED|MALFORMED)/)],
    ]);
    expect(result.failed[0]!.error.message).toContain('notes.txt');
  });

  it('refuses an instance whose UIDs are missing or not valid DICOM UIDs (no path tricks)', async () => {
    if (!hasCtSeries) return;
    const { readFileSync: read } = await import('node:fs');
    const { CT_SERIES_DIR } = await import('./test-fixtures.ts');
    const name = readdirSync(CT_SERIES_DIR)[0]!;
    const blank = { bytes: new Uint8Array(read(join(CT_SERIES_DIR, name))), source: name };
    const result = await storeInstances({ archive, files: [blank] });
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.error.code).toBe('DICOM_MISSING_ATTRIBUTE');
    expect(result.failed[0]!.error.message).toMatch(/Study Instance UID|SOP Class UID/);
  });

  it('two concurrent batches carrying the same instances store each once', async () => {
    const shared = phantomSeries(10);
    const [a, b] = await Promise.all([storeInstances({ archive, files: shared.files }), storeInstances({ archive, files: [...shared.files].reverse() })]);
    expect(a.stored.length + b.stored.length).toBe(shared.files.length);
    expect(a.duplicates.length + b.duplicates.length).toBe(shared.files.length);
    const rows = await archive.db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select('instance.file_path').where('series.series_uid', '=', shared.seriesUid).execute();
    expect(rows).toHaveLength(shared.files.length);
    const series = await archive.db.selectFrom('series').select('instance_count').where('series_uid', '=', shared.seriesUid).executeTakeFirstOrThrow();
    expect(series.instance_count).toBe(shared.files.length);
  });

  it('refuses a batch over maxInstancesPerRequest with a clear 413', async () => {
    await expect(storeInstances({ archive, files: phantom.files, limits: { maxInstancesPerRequest: 2 } })).rejects.toMatchObject({ code: 'REQUEST_TOO_LARGE', status: 413, message: expect.stringMatching(/limit of 2/) });
  });

  it('WADO-side read refuses a file changed on disk (checksum)', async () => {
    const row = await archive.db.selectFrom('instance').selectAll().executeTakeFirstOrThrow();
    const path = join(objectsDir(archive.dataDir), row.file_path);
    const original = readFileSync(path);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1]! + 1) & 0xff;
    writeFileSync(path, damaged);
    await expect(readStoredInstance(archive, { filePath: row.file_path, sha256: row.sha256 })).rejects.toMatchObject({ message: expect.stringMatching(/checksum/) });
    writeFileSync(path, original);
  });
});

describe('recoverStore: a crash between the move and the commit leaves no orphan', () => {
  it('deletes staging files and moved-but-uncommitted files, keeps committed instances', async () => {
    const { archive, database } = await freshArchive();
    const phantom = phantomSeries(9);
    await storeInstances({ archive, files: phantom.files.slice(0, 2) });
    // What a crash leaves: a staged file, and a file already renamed to its final path with no row.
    const root = objectsDir(archive.dataDir);
    mkdirSync(join(root, '.staging'), { recursive: true });
    writeFileSync(join(root, '.staging', '1.2.3.abc.partial'), phantom.files[2]!.bytes);
    mkdirSync(join(root, phantom.studyUid, phantom.seriesUid), { recursive: true });
    writeFileSync(join(root, phantom.studyUid, phantom.seriesUid, '1.2.3.4.dcm'), phantom.files[3]!.bytes);
    mkdirSync(join(root, '9.9', '9.9.1'), { recursive: true });
    writeFileSync(join(root, '9.9', '9.9.1', '9.9.1.1.dcm'), phantom.files[3]!.bytes);

    const result = await recoverStore(archive);
    expect(result.stagingFilesRemoved).toBe(1);
    expect(result.orphansRemoved.sort()).toEqual([`${phantom.studyUid}/${phantom.seriesUid}/1.2.3.4.dcm`, '9.9/9.9.1/9.9.1.1.dcm'].sort());
    expect(existsSync(join(root, '9.9'))).toBe(false);
    const rows = await archive.db.selectFrom('instance').select(['file_path']).execute();
    const remaining = filesUnder(root).map((f) => f.slice(root.length + 1)).sort();
    expect(remaining).toEqual(rows.map((r) => r.file_path).sort());
    // Re-sending after the "restart" stores the missing ones exactly once.
    const again = await storeInstances({ archive, files: phantom.files });
    expect(again.stored).toHaveLength(phantom.files.length - 2);
    expect(again.duplicates).toHaveLength(2);
    await database.close();
  });
});

describe.skipIf(!hasCtSeries)('storeInstances: the real CT series (needs ../shared/data/ct-dicom-series)', () => {
  it('stores all 20 slices with their UIDs filled in, pixel data byte for byte', async () => {
    const { archive, database } = await freshArchive();
    const files = ctSeriesFiles();
    const result = await storeInstances({ archive, files });
    expect(result.failed).toEqual([]);
    expect(result.stored).toHaveLength(files.length);
    const series = await archive.db.selectFrom('series').selectAll().where('series_uid', '=', CT_SERIES_UID).executeTakeFirstOrThrow();
    expect(series).toMatchObject({ instance_count: files.length, modality: 'CT' });
    const study = await archive.db.selectFrom('study').selectAll().where('study_uid', '=', CT_STUDY_UID).executeTakeFirstOrThrow();
    expect(study.instance_count).toBe(files.length);
    await database.close();
  });
});
