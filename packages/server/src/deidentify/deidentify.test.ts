import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testServer, tokenFor } from '../test-support.ts';
import { storeInstances } from '../store/index.ts';
import { phantomSeries } from '../store/test-fixtures.ts';
import { hasTool } from '../audit/tool-check.ts';
import { settleAudit } from '../audit/settle-audit.ts';
import { CONFIDENTIALITY_PROFILE } from './confidentiality-profile.ts';
import { crc32 } from './zip-writer.ts';
import { addDicomNode } from '../dimse/dicom-nodes.ts';

type Dict = Record<string, { vr: string; Value?: unknown[] }>;
interface DcmjsRead {
  data: { DicomMessage: { readFile(buffer: ArrayBuffer): { meta: Dict; dict: Dict; write(): ArrayBuffer } } };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsRead;
const read = (bytes: Uint8Array): { meta: Dict; dict: Dict; write(): ArrayBuffer } => dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
const text = (value: unknown): string => (typeof value === 'object' && value !== null ? String((value as { Alphabetic?: string }).Alphabetic ?? JSON.stringify(value)) : String(value));

/** Entries of a zip written with the stored method (our writer), checking each CRC. */
function unzipStored(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out = new Map<string, Uint8Array>();
  let at = 0;
  while (view.getUint32(at, true) === 0x04034b50) {
    const size = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extra = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 30, at + 30 + nameLength));
    const data = zip.subarray(at + 30 + nameLength + extra, at + 30 + nameLength + extra + size);
    expect(crc32(data)).toBe(view.getUint32(at + 14, true));
    out.set(name, data);
    at += 30 + nameLength + extra + size;
  }
  expect(view.getUint32(at, true)).toBe(0x02014b50); // central directory follows
  return out;
}

/**
 * The phantom (fake name, ID and birth date) with more of what real scanners write: a private
 * block, operator and institution names, other patient IDs, and a reference from each slice to
 * the previous one, so that UID consistency across instances can be checked.
 */
function enrichedPhantom(): { files: Array<{ bytes: Uint8Array; source: string }>; studyUid: string; patientId: string } {
  const phantom = phantomSeries(11);
  let previous: string | undefined;
  const files = phantom.files.map((file) => {
    const message = read(file.bytes);
    message.dict['00290010'] = { vr: 'LO', Value: ['SIEMENS CSA HEADER'] };
    message.dict['00291010'] = { vr: 'LO', Value: ['KH-PHANTOM private copy of the ID'] };
    message.dict['00081070'] = { vr: 'PN', Value: [{ Alphabetic: 'Operator^Olga' }] };
    message.dict['00080080'] = { vr: 'LO', Value: ['Keyhole General Hospital'] };
    message.dict['00101000'] = { vr: 'LO', Value: ['OTHER-ID-42'] };
    message.dict['00081050'] = { vr: 'PN', Value: [{ Alphabetic: 'Surgeon^Sam' }] };
    message.dict['00321032'] = { vr: 'PN', Value: [{ Alphabetic: 'Requesting^Rita' }] };
    message.dict['00400244'] = { vr: 'DA', Value: ['20250101'] };
    if (previous !== undefined) {
      message.dict['00081140'] = { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] }, '00081155': { vr: 'UI', Value: [previous] } }] };
    }
    previous = String(message.dict['00080018']?.Value?.[0]);
    return { bytes: new Uint8Array(message.write()), source: file.source };
  });
  return { files, studyUid: phantom.studyUid, patientId: phantom.patientId };
}

describe('de-identified export of a study (PS3.15 Basic Application Level Confidentiality Profile)', () => {
  let app: FastifyInstance;
  let phantom: ReturnType<typeof enrichedPhantom>;
  let originals: Map<string, Dict>;
  let surgeon: string;
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    phantom = enrichedPhantom();
    const stored = await storeInstances({ archive: { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir }, files: phantom.files });
    expect(stored.failed).toEqual([]);
    originals = new Map(phantom.files.map((f) => { const d = read(f.bytes).dict; return [String(d['00080018']?.Value?.[0]), d]; }));
    surgeon = await tokenFor(app, 'sam', 'surgeon');
  });
  afterAll(async () => app.close());

  const exportStudy = async (body: object): Promise<Map<string, Uint8Array>> => {
    const response = await app.inject({ method: 'POST', url: `/api/studies/${phantom.studyUid}/export`, headers: { authorization: `Bearer ${surgeon}` }, payload: body });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    return unzipStored(response.rawPayload);
  };

  it('needs the export permission: viewers and residents are refused', async () => {
    for (const role of ['viewer', 'resident'] as const) {
      const token = await tokenFor(app, `no-export-${role}`, role);
      expect((await app.inject({ method: 'POST', url: `/api/studies/${phantom.studyUid}/export`, headers: { authorization: `Bearer ${token}` }, payload: {} })).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'POST', url: '/api/studies/1.2.3/export', headers: { authorization: `Bearer ${surgeon}` }, payload: {} })).statusCode).toBe(404);
  });

  it('no attribute of Table E.1-1 with action X, Z or D keeps its identifying value; private tags go; UIDs replaced consistently', async () => {
    const entries = await exportStudy({});
    expect(entries.size).toBe(phantom.files.length);
    const outputs = [...entries.entries()].map(([name, bytes]) => ({ name, bytes, ...read(bytes) }));
    const newSop = new Map<string, string>(); // original SOP → new SOP, learnt from instance numbers
    const byNumber = new Map([...originals.values()].map((d) => [String(d['00200013']?.Value?.[0]), d]));
    for (const out of outputs) {
      const original = byNumber.get(String(out.dict['00200013']?.Value?.[0]));
      expect(original).toBeDefined();
      newSop.set(String(original!['00080018']?.Value?.[0]), String(out.dict['00080018']?.Value?.[0]));
      let checked = 0;
      for (const [tag, element] of Object.entries(original!)) {
        const rule = CONFIDENTIALITY_PROFILE.get(tag.toUpperCase());
        const before = (element.Value ?? []).map(text).join('\\');
        const after = out.dict[tag] ?? out.dict[tag.toUpperCase()];
        if (rule === undefined || before === '') continue;
        checked++;
        const afterText = (after?.Value ?? []).map(text).join('\\');
        if (rule.action === 'X') expect(after, `${rule.keyword} must be removed`).toBeUndefined();
        if (rule.action === 'Z') expect(afterText, `${rule.keyword} must be empty`).toBe('');
        if (rule.action === 'D' || rule.action === 'U') expect(afterText, `${rule.keyword} must be replaced`).not.toBe(before);
        if (rule.action === 'U') expect(afterText).toMatch(/^2\.25\.\d+$/);
      }
      expect(checked).toBeGreaterThan(25);
      expect(Object.keys(out.dict).filter((tag) => Number.parseInt(tag.slice(0, 4), 16) % 2 === 1)).toEqual([]);
      expect(out.dict['00120062']?.Value).toEqual(['YES']);
      expect(String(out.dict['00120063']?.Value?.[0])).toMatch(/PS3\.15/);
      const codes = (out.dict['00120064']?.Value as Dict[]).map((item) => item['00080100']?.Value?.[0]);
      expect(codes).toEqual(['113100']);
      expect(out.dict['00280303']?.Value).toEqual(['REMOVED']);
      expect(out.meta['00020003']?.Value).toEqual(out.dict['00080018']?.Value);
      // Not anywhere in the file, not even in a tag the table does not name.
      const raw = new TextDecoder('latin1').decode(out.bytes);
      for (const secret of [phantom.patientId, 'Phantom 11', '19610101', 'Olga', 'Keyhole General Hospital', 'OTHER-ID-42', 'Surgeon^Sam', 'Rita', phantom.studyUid]) expect(raw).not.toContain(secret);
      // Pixel data untouched.
      expect(out.dict['7FE00010']?.Value?.[0] ?? out.dict['7fe00010']?.Value?.[0]).toEqual(original!['7FE00010']?.Value?.[0] ?? original!['7fe00010']?.Value?.[0]);
    }
    // One new study, series and frame of reference for all; references point at the new UIDs.
    for (const tag of ['0020000D', '0020000E', '00200052']) expect(new Set(outputs.map((o) => String(o.dict[tag]?.Value?.[0]))).size).toBe(1);
    let references = 0;
    for (const out of outputs) {
      const item = (out.dict['00081140']?.Value as Dict[] | undefined)?.[0];
      if (item === undefined) continue;
      const target = String(item['00081155']?.Value?.[0]);
      expect([...newSop.values()]).toContain(target);
      references++;
    }
    expect(references).toBe(phantom.files.length - 1);
    for (const name of entries.keys()) expect(name).toMatch(/^2\.25\.\d+\/2\.25\.\d+\/2\.25\.\d+\.dcm$/);
  });

  it('dates are removed unless retainDates; descriptions only with retainDescriptions; the options are coded', async () => {
    const plain = read([...(await exportStudy({})).values()][0]!).dict;
    expect((plain['00080020']?.Value ?? []).join('')).toBe('');
    expect(plain['00080021']).toBeUndefined();
    expect(plain['00081030']).toBeUndefined();
    expect(plain['0008103E']).toBeUndefined();

    const kept = read([...(await exportStudy({ retainDates: true, retainDescriptions: true, pseudonym: 'TRIAL-007' })).values()][0]!).dict;
    expect(kept['00080020']?.Value).toEqual(['20250101']);
    expect(kept['00080021']?.Value).toEqual(['20250101']);
    expect(kept['00081030']?.Value).toEqual(['Keyhole spine phantom']);
    expect(kept['0008103E']?.Value).toEqual(['T2 TSE SAG']);
    expect((kept['00100030']?.Value ?? []).join('')).toBe(''); // birth date is not a longitudinal date: still Z
    expect(kept['00100020']?.Value).toEqual(['TRIAL-007']);
    expect(kept['00280303']?.Value).toEqual(['UNMODIFIED']);
    expect((kept['00120064']?.Value as Dict[]).map((item) => item['00080100']?.Value?.[0])).toEqual(['113100', '113105', '113106']);
  });

  it('two exports of the same study are not linkable by UID', async () => {
    const a = [...(await exportStudy({})).keys()][0]!.split('/')[0];
    const b = [...(await exportStudy({})).keys()][0]!.split('/')[0];
    expect(a).not.toBe(b);
  });

  it.skipIf(!hasTool('python3'))('the zip is valid for another implementation (Python zipfile)', async () => {
    const response = await app.inject({ method: 'POST', url: `/api/studies/${phantom.studyUid}/export`, headers: { authorization: `Bearer ${surgeon}` }, payload: {} });
    const names = execFileSync('python3', ['-c', 'import sys, io, zipfile; z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())); assert z.testzip() is None; print(len(z.namelist()))'], { input: response.rawPayload }).toString().trim();
    expect(Number(names)).toBe(phantom.files.length);
  });

  it('sends the de-identified study to a configured DICOMweb node with STOW-RS (a second Keyhole server)', async () => {
    const peer = await testServer();
    try {
      await peer.listen({ port: 0, host: '127.0.0.1' });
      const address = peer.server.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      const peerToken = await tokenFor(peer, 'research-inbox', 'resident');
      await addDicomNode(app.keyhole.db, { name: 'research', kind: 'remote-pacs', aeTitle: 'RESEARCH', dicomwebUrl: `http://127.0.0.1:${port}/dicom-web`, dicomwebAuth: `Bearer ${peerToken}` });
      const unknown = await app.inject({ method: 'POST', url: `/api/studies/${phantom.studyUid}/export`, headers: { authorization: `Bearer ${surgeon}` }, payload: { destination: 'nowhere' } });
      expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body.destination' });

      const pushed = await app.inject({ method: 'POST', url: `/api/studies/${phantom.studyUid}/export`, headers: { authorization: `Bearer ${surgeon}` }, payload: { destination: 'research', pseudonym: 'TRIAL-001' } });
      expect(pushed.statusCode, pushed.body).toBe(200);
      const summary = pushed.json() as { studyUid: string; sent: number; refused: number };
      expect(summary).toMatchObject({ destination: 'research', sent: phantom.files.length, refused: 0 });
      const received = await peer.keyhole.db.selectFrom('study').innerJoin('patient', 'patient.id', 'study.patient_ref').select(['study.study_uid as studyUid', 'patient.patient_id as patientId', 'patient.patient_name as patientName', 'patient.birth_date as birthDate', 'study.instance_count as count']).execute();
      expect(received).toEqual([{ studyUid: summary.studyUid, patientId: 'TRIAL-001', patientName: 'TRIAL-001', birthDate: '', count: phantom.files.length }]);
      expect(summary.studyUid).not.toBe(phantom.studyUid);
    } finally {
      await peer.close();
    }
  });

  it('each export is audited with the original patient and study', async () => {
    await settleAudit(app);
    const entries = await app.keyhole.db.selectFrom('audit').selectAll().where('action', '=', 'deidentify.export').execute();
    const ok = entries.filter((e) => e.outcome === 'success');
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(ok.every((e) => e.patient_id === phantom.patientId && e.study_uid === phantom.studyUid && e.user_name === 'sam')).toBe(true);
    // Refusals happen before the route runs, so they carry the route as their action.
    const denied = await app.keyhole.db.selectFrom('audit').selectAll().where('resource', '=', `/api/studies/${phantom.studyUid}/export`).where('outcome', '=', 'denied').execute();
    expect(denied.map((e) => e.user_name).sort()).toEqual(['no-export-resident', 'no-export-viewer']);
  });
});
