import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { decodeFrame, parseDicom } from '@keyhole/core';
import { createNodeCodecRegistry } from '@keyhole/io';
import { testServer, tokenFor } from '../test-support.ts';
import { CT_SERIES_DIR, CT_SERIES_UID, CT_STUDY_UID, ctSeriesFiles, hasCtSeries, phantomSeries, type FixtureFile } from '../store/test-fixtures.ts';
import { multipartParts, stowBody } from './test-support.ts';

type Json = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

const sopOf = (file: FixtureFile) => parseDicom({ bytes: file.bytes, source: file.source }).sopInstanceUid;

describe('WADO-RS and WADO-URI through inject()', () => {
  let app: FastifyInstance;
  let reader: string;
  const phantom = phantomSeries(31);
  const ct = hasCtSeries ? ctSeriesFiles() : [];
  const auth = () => ({ authorization: `Bearer ${reader}` });
  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    const writer = await tokenFor(app, 'wanda', 'resident');
    reader = await tokenFor(app, 'vera', 'viewer');
    for (const files of [phantom.files, ct]) {
      if (files.length === 0) continue;
      const { body, contentType } = stowBody(files);
      const response = await app.inject({ method: 'POST', url: '/dicom-web/studies', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${writer}` } });
      expect(response.statusCode).toBe(200);
    }
  });
  afterAll(async () => app.close());

  it('retrieves a study as multipart/related application/dicom, byte for byte the files sent', async () => {
    const response = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}`, headers: { ...auth(), accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } });
    expect(response.statusCode).toBe(200);
    const contentType = String(response.headers['content-type']);
    expect(contentType).toMatch(/^multipart\/related; type="application\/dicom"/);
    const parts = multipartParts(contentType, response.rawPayload);
    expect(parts).toHaveLength(phantom.files.length);
    const sent = new Map(phantom.files.map((f) => [sopOf(f), Buffer.from(f.bytes)]));
    for (const part of parts) {
      const sop = parseDicom({ bytes: part.body, source: 'part' }).sopInstanceUid;
      expect(Buffer.from(part.body).equals(sent.get(sop)!)).toBe(true);
    }
  });

  it.skipIf(!hasCtSeries)('the real CT series comes back with the pixel data and UIDs of the originals', async () => {
    const response = await app.inject({ url: `/dicom-web/studies/${CT_STUDY_UID}/series/${CT_SERIES_UID}`, headers: auth() });
    const parts = multipartParts(String(response.headers['content-type']), response.rawPayload);
    expect(parts).toHaveLength(ct.length);
    const sent = new Map(ct.map((f) => [sopOf(f), f]));
    for (const part of parts) {
      const back = parseDicom({ bytes: part.body, source: 'part' });
      // Compared with the file in ../shared/data itself, not with the fixture (which filled in blanked UIDs).
      const original = parseDicom({ bytes: readFileSync(join(CT_SERIES_DIR, sent.get(back.sopInstanceUid)!.source)), source: 'original' });
      expect(back.pixelData!.encapsulated).toBe(original.pixelData!.encapsulated);
      expect(Buffer.from(back.pixelData!.frame(0)).equals(Buffer.from(original.pixelData!.frame(0)))).toBe(true);
      expect(back.dataset.string('x0020000e')).toBe(CT_SERIES_UID);
    }
  });

  it('asking for a transfer syntax the instances are not stored in is 406', async () => {
    const response = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}`, headers: { ...auth(), accept: 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.50' } });
    expect(response.statusCode).toBe(406);
    expect(response.json()).toMatchObject({ code: 'NOT_ACCEPTABLE' });
  });

  it('metadata at study, series and instance level: DICOM JSON with absolute BulkDataURIs that resolve', async () => {
    const study = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}/metadata`, headers: auth() });
    expect(study.statusCode).toBe(200);
    expect(study.headers['content-type']).toMatch(/application\/dicom\+json/);
    const items = study.json<Json[]>();
    expect(items).toHaveLength(phantom.files.length);
    const sop = String(items[0]!['00080018']?.Value?.[0]);
    const series = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/metadata`, headers: auth() });
    expect(series.json<Json[]>()).toHaveLength(phantom.files.length);
    const instance = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances/${sop}/metadata`, headers: auth() });
    const [meta] = instance.json<Json[]>();
    const uri = meta!['7FE00010']!.BulkDataURI!;
    expect(uri).toMatch(/^http:\/\/[^/]+\/dicom-web\/studies\/.*\/bulk\/7FE00010$/);
    const bulk = await app.inject({ url: new URL(uri).pathname, headers: auth() });
    expect(bulk.statusCode).toBe(200);
    const [pixels] = multipartParts(String(bulk.headers['content-type']), bulk.rawPayload);
    const original = parseDicom({ bytes: phantom.files.find((f) => sopOf(f) === sop)!.bytes, source: 'o' });
    expect(Buffer.from(pixels!.body).equals(Buffer.from(original.pixelData!.frame(0)))).toBe(true);
  });

  it('frames: decoded stored values, explicit VR little endian, one part per frame asked for', async () => {
    const file = phantom.files[2]!;
    const sop = sopOf(file);
    const response = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances/${sop}/frames/1`, headers: { ...auth(), accept: 'multipart/related; type="application/octet-stream"' } });
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/transfer-syntax=1\.2\.840\.10008\.1\.2\.1/);
    const [part] = multipartParts(String(response.headers['content-type']), response.rawPayload);
    const expected = await decodeFrame({ instance: parseDicom({ bytes: file.bytes, source: 'o' }), frame: 0, codecs: await createNodeCodecRegistry() });
    expect(Buffer.from(part!.body).equals(Buffer.from(expected.pixels.buffer, expected.pixels.byteOffset, expected.pixels.byteLength))).toBe(true);
    const missing = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances/${sop}/frames/2`, headers: auth() });
    expect(missing.statusCode).toBe(404);
    const compressed = await app.inject({ url: `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances/${sop}/frames/1`, headers: { ...auth(), accept: 'multipart/related; type="image/jls"' } });
    expect(compressed.statusCode).toBe(406);
  });

  it('rendered: PNG and JPEG of the right size; the window parameter changes the image', async () => {
    const sop = sopOf(phantom.files[3]!);
    const url = `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances/${sop}/rendered`;
    const png = await app.inject({ url, headers: { ...auth(), accept: 'image/png' } });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const decoded = decodePng(png.rawPayload);
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([64, 64, 1]);
    const narrow = decodePng((await app.inject({ url: `${url}?window=100,10,linear`, headers: { ...auth(), accept: 'image/png' } })).rawPayload);
    expect(Buffer.from(narrow.data as Uint8Array).equals(Buffer.from(decoded.data as Uint8Array))).toBe(false);
    const jpg = await app.inject({ url: `${url.replace('/rendered', '/frames/1/rendered')}`, headers: auth() });
    expect(jpg.headers['content-type']).toBe('image/jpeg');
    const image = jpeg.decode(jpg.rawPayload, { useTArray: true });
    expect([image.width, image.height]).toEqual([64, 64]);
    expect((await app.inject({ url: `${url}?window=abc`, headers: auth() })).statusCode).toBe(400);
  });

  it('WADO-URI: application/dicom gives the stored file; image/png and the default JPEG render', async () => {
    const file = phantom.files[1]!;
    const sop = sopOf(file);
    const base = `/wado?requestType=WADO&studyUID=${phantom.studyUid}&seriesUID=${phantom.seriesUid}&objectUID=${sop}`;
    const dicom = await app.inject({ url: `${base}&contentType=application/dicom`, headers: auth() });
    expect(dicom.statusCode).toBe(200);
    expect(Buffer.from(dicom.rawPayload).equals(Buffer.from(file.bytes))).toBe(true);
    const png = await app.inject({ url: `${base}&contentType=image/png&windowCenter=500&windowWidth=1000`, headers: auth() });
    expect(decodePng(png.rawPayload).width).toBe(64);
    const jpg = await app.inject({ url: base, headers: auth() });
    expect(jpg.headers['content-type']).toBe('image/jpeg');
    expect((await app.inject({ url: `${base.replace(sop, '1.2.3')}&contentType=application/dicom`, headers: auth() })).statusCode).toBe(404);
  });

  it('every retrieve refuses anonymous requests (401; every role may read, so no 403 here) and each access is audited', async () => {
    const sop = sopOf(phantom.files[0]!);
    const urls = [
      `/dicom-web/studies/${phantom.studyUid}`,
      `/dicom-web/studies/${phantom.studyUid}/metadata`,
      `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances/${sop}/frames/1`,
      `/dicom-web/studies/${phantom.studyUid}/series/${phantom.seriesUid}/instances/${sop}/rendered`,
      `/wado?requestType=WADO&studyUID=${phantom.studyUid}&seriesUID=${phantom.seriesUid}&objectUID=${sop}`,
    ];
    for (const url of urls) expect((await app.inject({ url })).statusCode, url).toBe(401);
    const entries = await app.keyhole.db.selectFrom('audit').selectAll().where('user_name', '=', 'vera').where('outcome', '=', 'success').execute();
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ['wado.study', 'wado.series', 'wado.metadata', 'wado.frames', 'wado.rendered', 'wado.bulkdata', 'wado-uri']) {
      if (action === 'wado.series' && !hasCtSeries) continue;
      expect(actions.has(action), action).toBe(true);
    }
    expect(entries.find((e) => e.action === 'wado.study')).toMatchObject({ study_uid: phantom.studyUid, patient_id: phantom.patientId });
  });
});
