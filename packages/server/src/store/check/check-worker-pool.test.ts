import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ArchiveDatabase } from '../../db/connect.ts';
import { freshTestDatabase } from '../../test-support.ts';
import { storeInstances, type Archive, type StoreFile } from '../index.ts';
import { phantomSeries } from '../test-fixtures.ts';
import { inlineInstanceChecks, startInstanceCheckWorkers, type InstanceChecks } from './check-worker-pool.ts';

async function freshArchive(): Promise<{ archive: Archive; database: ArchiveDatabase }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-intake-'));
  const databaseUrl = await freshTestDatabase();
  const database = await openDatabase({ dataDir, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
  return { archive: { db: database.db, dataDir }, database };
}

/** The instance's bytes in a buffer of its own from the pool's allocator, as STOW-RS hands them over. */
function handedOver(checks: InstanceChecks, file: StoreFile): StoreFile {
  const bytes = checks.allocate(file.bytes.byteLength);
  bytes.set(file.bytes);
  return { bytes, source: file.source, handOver: true };
}

describe('instance intake on worker threads: the same archive as on the calling thread', () => {
  let workers: InstanceChecks;
  const opened: ArchiveDatabase[] = [];
  beforeAll(() => {
    workers = startInstanceCheckWorkers({ workers: 2 });
  });
  afterAll(async () => {
    await workers.close();
    await Promise.all(opened.map((database) => database.close()));
  });
  const archiveFor = async (): Promise<Archive> => {
    const { archive, database } = await freshArchive();
    opened.push(database);
    return archive;
  };

  it('stores a series with identical rows, metadata and files, and takes handed-over buffers instead of copying them', async () => {
    const phantom = phantomSeries(21);
    const [onThread, onWorkers] = [await archiveFor(), await archiveFor()];
    const inline = await storeInstances({ archive: onThread, files: phantom.files, checks: inlineInstanceChecks });
    const files = phantom.files.map((file) => handedOver(workers, file));
    const viaWorkers = await storeInstances({ archive: onWorkers, files, checks: workers });
    expect(workers.size).toBe(2);
    expect(viaWorkers.failed).toEqual([]);
    expect(viaWorkers.stored.map((r) => r.sopInstanceUid).sort()).toEqual(inline.stored.map((r) => r.sopInstanceUid).sort());
    // Handed over: the buffers now belong to the workers (transferred, so detached here).
    expect(files.every((file) => file.bytes.byteLength === 0)).toBe(true);
    const rows = async (archive: Archive) => (await archive.db.selectFrom('instance').select(['sop_instance_uid', 'metadata_json', 'sha256', 'file_size', 'file_path', 'transfer_syntax_uid', 'rows', 'columns', 'instance_number']).orderBy('sop_instance_uid').execute());
    expect(await rows(onWorkers)).toEqual(await rows(onThread));
    const stored = (await rows(onWorkers))[0]!;
    const bytes = readFileSync(join(onWorkers.dataDir, 'objects', stored.file_path));
    expect(phantom.files.some((file) => Buffer.from(file.bytes).equals(bytes))).toBe(true);
  });

  it('refuses bad instances with the same codes, messages and SOP Instance UIDs as on the calling thread', async () => {
    const other = phantomSeries(22);
    const notDicom = { bytes: new TextEncoder().encode('this is not a DICOM file at all, just some text'.repeat(5)), source: 'notes.txt' };
    const truncated = { bytes: other.files[1]!.bytes.slice(0, 400), source: 'truncated.dcm' };
    const batch = [other.files[0]!, notDicom, truncated, other.files[2]!];
    const inline = await storeInstances({ archive: await archiveFor(), files: batch, checks: inlineInstanceChecks });
    const viaWorkers = await storeInstances({ archive: await archiveFor(), files: batch.map((file) => handedOver(workers, file)), checks: workers });
    const summary = (result: typeof inline) => result.failed.map((f) => ({ source: f.source, code: f.error.code, message: f.error.message, file: f.error.file, sop: f.sopInstanceUid }));
    expect(summary(viaWorkers)).toEqual(summary(inline));
    expect(viaWorkers.failed).toHaveLength(2);
    expect(viaWorkers.stored).toHaveLength(2);
  });

  it('copies bytes it may not take: a view into a larger buffer stays whole for its owner', async () => {
    const phantom = phantomSeries(23);
    const file = phantom.files[0]!;
    const larger = new Uint8Array(file.bytes.byteLength + 100);
    larger.set(file.bytes, 50);
    const view = larger.subarray(50, 50 + file.bytes.byteLength);
    const result = await storeInstances({ archive: await archiveFor(), files: [{ bytes: view, source: 'view.dcm', handOver: true }], checks: workers });
    expect(result.stored).toHaveLength(1);
    expect(larger.byteLength).toBe(file.bytes.byteLength + 100);
    expect(Buffer.from(view).equals(Buffer.from(file.bytes))).toBe(true);
  });

  it('after close, instances are taken on the calling thread', async () => {
    const pool = startInstanceCheckWorkers({ workers: 1 });
    await pool.close();
    const phantom = phantomSeries(24);
    const result = await storeInstances({ archive: await archiveFor(), files: phantom.files, checks: pool });
    expect(result.stored).toHaveLength(phantom.files.length);
  });
});
