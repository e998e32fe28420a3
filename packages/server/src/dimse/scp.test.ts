import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../test-support.ts';
import { objectsDir } from '../store/index.ts';
import { CT_SERIES_UID, CT_STUDY_UID, ctSeriesFiles, hasCtSeries, phantomSeries, type FixtureFile } from '../store/test-fixtures.ts';
import { addDicomNode } from './dicom-nodes.ts';
import { datasetOfPart10 } from './part10.ts';
import { startDimseServer, type DimseServer } from './scp.ts';
import { requireTools, runTool } from './test-support/external-tools.ts';

const tools = requireTools(['echoscu', 'storescu', 'findscu', 'dcmdump', 'dcmodify'], 'DIMSE SCP against DCMTK');
if (!hasCtSeries) console.warn('DIMSE SCP: the real CT series part is skipped, ../shared/data/ct-dicom-series is absent');

function writeFixture(files: readonly FixtureFile[]): { dir: string; byName: Map<string, Uint8Array> } {
  const dir = mkdtempSync(join(tmpdir(), 'keyhole-dimse-'));
  mkdirSync(dir, { recursive: true });
  const byName = new Map<string, Uint8Array>();
  files.forEach((file, index) => {
    const name = `f${String(index).padStart(4, '0')}.dcm`;
    writeFileSync(join(dir, name), file.bytes);
    byName.set(name, file.bytes);
  });
  return { dir, byName };
}

/** The SOP Instance UID a Part 10 file's meta header names (0002,0003). */
function sopOfFile(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const at = text.indexOf('\x02\x00\x03\x00UI');
  const length = bytes[at + 6]! | (bytes[at + 7]! << 8);
  return text.slice(at + 8, at + 8 + length).replace(/\0+$/, '');
}

/** The Pixel Data element (tag, VR, length, fragments) to the end of the file. */
function pixelDataElement(bytes: Uint8Array): Uint8Array {
  const marker = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42]);
  const at = Buffer.from(bytes).lastIndexOf(marker);
  expect(at).toBeGreaterThan(0);
  return bytes.subarray(at);
}

/** dcmdump of the data set only (the meta header names the writer, which differs by design). */
async function datasetDump(path: string): Promise<string> {
  const run = await runTool('dcmdump', ['+L', '+U8', path]);
  // Sequence and item lengths (explicit or undefined) are an encoding choice of the writer, not content.
  return run.stdout
    .slice(run.stdout.indexOf('# Dicom-Data-Set'))
    .split('\n')
    .map((line) => (/ (SQ \(Sequence|na \(Item|na \(ItemDelim|na \(SequenceDelim)/.test(line) ? line.replace(/\s*\(.*$/, '') : line))
    .join('\n');
}

/** A TCP relay to our SCP that drops both connections after `limit` bytes from the caller: a cable pulled mid-association. */
async function cuttingRelay(targetPort: number, limit: number): Promise<{ port: number; close(): Promise<void> }> {
  const server: NetServer = createServer((caller) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    let forwarded = 0;
    upstream.on('data', (chunk: Buffer) => caller.write(chunk));
    upstream.on('error', () => caller.destroy());
    caller.on('error', () => upstream.destroy());
    caller.on('data', (chunk: Buffer) => {
      if (forwarded + chunk.length < limit) {
        forwarded += chunk.length;
        upstream.write(chunk);
        return;
      }
      upstream.write(chunk.subarray(0, limit - forwarded), () => {
        upstream.destroy();
        caller.destroy();
      });
      forwarded = limit;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Every .dcm file under objects/ (the staging folder included). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe.skipIf(!tools.available)('DIMSE SCP with DCMTK as the peer', () => {
  let app: FastifyInstance;
  let dimse: DimseServer;
  const args = (aet: string): string[] => ['-aet', aet, '-aec', 'KEYHOLE', '127.0.0.1', String(dimse.port)];

  beforeAll(async () => {
    app = await testServer();
    await addDicomNode(app.keyhole.db, { name: 'modality', kind: 'local-caller', aeTitle: 'STORESCU', host: '127.0.0.1' });
    dimse = await startDimseServer({ app, port: 0, aeTitle: 'KEYHOLE', allowedCallers: [{ aeTitle: 'CONFIGURED' }] });
  });
  afterAll(async () => {
    await dimse?.close();
    await app?.close();
  });

  it('answers C-ECHO from a configured caller (database and option), and rejects an unknown calling AE title', async () => {
    expect((await runTool('echoscu', args('STORESCU'))).code).toBe(0);
    expect((await runTool('echoscu', args('CONFIGURED'))).code).toBe(0);
    const stranger = await runTool('echoscu', args('STRANGER'));
    expect(stranger.code).not.toBe(0);
    expect(stranger.stdout + stranger.stderr).toMatch(/Calling AE Title Not Recognized/i);
    const wrongCalled = await runTool('echoscu', ['-aet', 'STORESCU', '-aec', 'SOMEONE', '127.0.0.1', String(dimse.port)]);
    expect(wrongCalled.code).not.toBe(0);
    const denied = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'dimse.associate').execute();
    expect(denied.map((row) => [row.user_name, row.outcome])).toContainEqual(['STRANGER', 'denied']);
  });

  it('stores a phantom series pushed by storescu: all instances, once, with the data set bytes as sent', async () => {
    const phantom = phantomSeries(11);
    const { dir, byName } = writeFixture(phantom.files);
    const first = await runTool('storescu', [...args('STORESCU'), '+sd', dir]);
    expect(first.code, first.stderr).toBe(0);
    // Idempotent: the same instances again are stored once.
    const second = await runTool('storescu', [...args('STORESCU'), '+sd', dir]);
    expect(second.code, second.stderr).toBe(0);
    const rows = await app.keyhole.db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select(['instance.sop_instance_uid', 'instance.file_path']).where('series.series_uid', '=', phantom.seriesUid).execute();
    expect(rows).toHaveLength(phantom.files.length);
    for (const sent of byName.values()) {
      const row = rows.find((r) => r.sop_instance_uid === sopOfFile(sent));
      expect(row).toBeDefined();
      const stored = readFileSync(join(objectsDir(app.keyhole.options.dataDir), row!.file_path));
      expect(Buffer.from(datasetOfPart10(stored)).equals(Buffer.from(datasetOfPart10(sent)))).toBe(true);
    }
    const audits = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'dimse.c-store').where('study_uid', '=', phantom.studyUid).execute();
    expect(audits.length).toBe(2 * phantom.files.length);
    expect(new Set(audits.map((a) => a.user_name))).toEqual(new Set(['STORESCU']));
    expect(audits.every((a) => a.patient_id === phantom.patientId && a.outcome === 'success')).toBe(true);
  });

  it.skipIf(!hasCtSeries)('stores the real JPEG 2000 CT series as sent: every attribute and the compressed pixel data equal (storescu proposes JPEG 2000 lossless)', async () => {
    const { dir, byName } = writeFixture(ctSeriesFiles());
    const run = await runTool('storescu', [...args('STORESCU'), '-xv', '+sd', dir]);
    expect(run.code, run.stderr).toBe(0);
    const rows = await app.keyhole.db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select(['instance.sop_instance_uid', 'instance.file_path', 'instance.transfer_syntax_uid']).where('series.series_uid', '=', CT_SERIES_UID).execute();
    expect(rows).toHaveLength(byName.size);
    expect(new Set(rows.map((r) => r.transfer_syntax_uid))).toEqual(new Set(['1.2.840.10008.1.2.4.90']));
    // storescu (DCMTK) re-serialises what it reads (element order, sequence lengths), so the bytes on
    // the wire are DCMTK's, not the fixture's: every attribute (dcmdump of the data set) and the
    // encapsulated JPEG 2000 pixel data must be equal.
    for (const [name, sent] of byName) {
      const row = rows.find((r) => r.sop_instance_uid === sopOfFile(sent))!;
      const storedPath = join(objectsDir(app.keyhole.options.dataDir), row.file_path);
      const stored = readFileSync(storedPath);
      expect(Buffer.from(pixelDataElement(stored)).equals(Buffer.from(pixelDataElement(sent)))).toBe(true);
      expect(await datasetDump(storedPath)).toBe(await datasetDump(join(dir, name)));
    }
    const study = await app.keyhole.db.selectFrom('study').selectAll().where('study_uid', '=', CT_STUDY_UID).executeTakeFirstOrThrow();
    expect(study.instance_count).toBe(byName.size);
  });

  it('a dropped association leaves the finished instances stored whole and nothing of the unfinished one; re-sending completes the series', async () => {
    const phantom = phantomSeries(12);
    const { dir, byName } = writeFixture(phantom.files);
    const total = [...byName.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    const relay = await cuttingRelay(dimse.port, Math.floor(total * 0.55));
    const cut = await runTool('storescu', ['-aet', 'STORESCU', '-aec', 'KEYHOLE', '127.0.0.1', String(relay.port), '+sd', dir]);
    await relay.close();
    expect(cut.code).not.toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a store that was under way when the cable went finishes
    const seriesRows = async () => app.keyhole.db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select(['instance.sop_instance_uid', 'instance.file_path']).where('series.series_uid', '=', phantom.seriesUid).execute();
    const partial = await seriesRows();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(phantom.files.length);
    const objects = objectsDir(app.keyhole.options.dataDir);
    for (const row of partial) {
      const sent = [...byName.values()].find((bytes) => sopOfFile(bytes) === row.sop_instance_uid)!;
      expect(Buffer.from(datasetOfPart10(readFileSync(join(objects, row.file_path)))).equals(Buffer.from(datasetOfPart10(sent)))).toBe(true);
    }
    // No file in the store that the database does not reference (no half-written instance, nothing left in staging).
    const referenced = (await app.keyhole.db.selectFrom('instance').select('file_path').execute()).map((r) => join(objects, r.file_path));
    expect(filesUnder(objects).sort()).toEqual(referenced.sort());
    const again = await runTool('storescu', [...args('STORESCU'), '+sd', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(await seriesRows()).toHaveLength(phantom.files.length);
  });

  it('refuses a malformed instance (no Study Instance UID) with a reason, audited, and stores the rest of the association', async () => {
    const phantom = phantomSeries(13);
    const { dir, byName } = writeFixture(phantom.files);
    const [brokenName] = [...byName.keys()];
    const strip = await runTool('dcmodify', ['-nb', '-ea', '(0020,000D)', join(dir, brokenName!)]);
    expect(strip.code, strip.stderr).toBe(0);
    // -nh: go on after a refused instance (storescu halts at the first one by default).
    const run = await runTool('storescu', ['-v', '-nh', ...args('STORESCU'), '+sd', dir]);
    expect(run.stdout + run.stderr).toMatch(/Store Response \(Error: CannotUnderstand\)/);
    const rows = await app.keyhole.db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select('instance.sop_instance_uid').where('series.series_uid', '=', phantom.seriesUid).execute();
    expect(rows).toHaveLength(phantom.files.length - 1);
    const refused = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'dimse.c-store').where('outcome', '=', 'failed').where('resource', '=', sopOfFile(byName.get(brokenName!)!)).execute();
    expect(refused).toHaveLength(1);
    expect(refused[0]!.detail).toMatch(/Study Instance UID|0020,000D|StudyInstanceUID/i);
  });

  it('answers findscu at STUDY and SERIES level with QIDO-style matching, and audits the queries', async () => {
    const phantom = phantomSeries(11);
    const study = await runTool('findscu', ['-v', '-S', ...args('STORESCU'), '-k', 'QueryRetrieveLevel=STUDY', '-k', `PatientID=${phantom.patientId.slice(0, 3)}*`, '-k', 'StudyInstanceUID', '-k', 'NumberOfStudyRelatedInstances', '-k', 'ModalitiesInStudy']);
    expect(study.code, study.stderr).toBe(0);
    const out = study.stdout + study.stderr;
    expect(out).toContain(phantom.studyUid);
    expect(out).toMatch(new RegExp(`\\(0020,1208\\) IS \\[${phantom.files.length} ?\\]`));
    const series = await runTool('findscu', ['-v', '-S', ...args('STORESCU'), '-k', 'QueryRetrieveLevel=SERIES', '-k', `StudyInstanceUID=${phantom.studyUid}`, '-k', 'SeriesInstanceUID', '-k', 'Modality=MR', '-k', 'NumberOfSeriesRelatedInstances']);
    expect(series.code, series.stderr).toBe(0);
    expect(series.stdout + series.stderr).toContain(phantom.seriesUid);
    const none = await runTool('findscu', ['-v', '-S', ...args('STORESCU'), '-k', 'QueryRetrieveLevel=SERIES', '-k', `StudyInstanceUID=${phantom.studyUid}`, '-k', 'SeriesInstanceUID', '-k', 'Modality=CT']);
    expect(none.stdout + none.stderr).not.toContain(phantom.seriesUid);
    const audits = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'dimse.c-find').execute();
    expect(audits.length).toBeGreaterThanOrEqual(3);
    expect(audits.some((a) => a.study_uid === phantom.studyUid && a.user_name === 'STORESCU')).toBe(true);
  });
});
