/**
 * Conformance with the reference JavaScript DICOMweb client (`dicomweb-client`, the client under
 * OHIF) as the peer, against a real listening server with a bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { api } from 'dicomweb-client';
import { parseDicom } from '@keyhole/core';
import { testServer, tokenFor } from '../test-support.ts';
import { phantomSeries } from '../store/test-fixtures.ts';
import { FetchXMLHttpRequest } from './xhr-shim.ts';

type Json = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

describe('dicomweb-client against a listening Keyhole server', () => {
  let app: FastifyInstance;
  let client: api.DICOMwebClient;
  const phantom = phantomSeries(51);
  const sops = phantom.files.map((f) => parseDicom({ bytes: f.bytes, source: f.source }).sopInstanceUid);
  const previous = (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
  beforeAll(async () => {
    (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = FetchXMLHttpRequest;
    app = await testServer();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const token = await tokenFor(app, 'rita', 'radiologist');
    client = new api.DICOMwebClient({ url: `${address}/dicom-web`, headers: { Authorization: `Bearer ${token}` }, singlepart: false } as never);
  });
  afterAll(async () => {
    (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = previous;
    await app.close();
  });

  it('STOW: storeInstances stores the series', async () => {
    const datasets = phantom.files.map((f) => f.bytes.buffer.slice(f.bytes.byteOffset, f.bytes.byteOffset + f.bytes.byteLength) as ArrayBuffer);
    const response = (await client.storeInstances({ datasets })) as unknown as Json | string;
    const body = typeof response === 'string' ? (JSON.parse(response) as Json) : response;
    expect(body['00081199']?.Value).toHaveLength(phantom.files.length);
  });

  it('QIDO: studies, series and instances with the right counts', async () => {
    const studies = (await client.searchForStudies({ queryParams: { PatientID: phantom.patientId } })) as Json[];
    expect(studies).toHaveLength(1);
    expect(studies[0]!['00201208']?.Value).toEqual([phantom.files.length]);
    const series = (await client.searchForSeries({ studyInstanceUID: phantom.studyUid })) as Json[];
    expect(series.map((s) => s['0020000E']?.Value?.[0])).toEqual([phantom.seriesUid]);
    const instances = (await client.searchForInstances({ studyInstanceUID: phantom.studyUid, seriesInstanceUID: phantom.seriesUid })) as Json[];
    expect(instances.map((i) => i['00080018']?.Value?.[0]).sort()).toEqual([...sops].sort());
  });

  // dicomweb-client's generated typings mark optional options (mediaTypes, request) as required and
  // frameNumbers as a string; the casts below pass what its documentation and code accept.
  it('WADO: instance bytes, series metadata, frames, rendered and bulk data', async () => {
    const sop = sops[0]!;
    const ids = { studyInstanceUID: phantom.studyUid, seriesInstanceUID: phantom.seriesUid, sopInstanceUID: sop };
    const instance = (await client.retrieveInstance(ids as never)) as ArrayBuffer | ArrayBuffer[];
    const bytes = new Uint8Array(Array.isArray(instance) ? instance[0]! : instance);
    expect(Buffer.from(bytes).equals(Buffer.from(phantom.files[0]!.bytes))).toBe(true);
    const metadata = (await client.retrieveSeriesMetadata({ studyInstanceUID: phantom.studyUid, seriesInstanceUID: phantom.seriesUid } as never)) as Json[];
    expect(metadata).toHaveLength(phantom.files.length);
    const frames = (await client.retrieveInstanceFrames({ ...ids, frameNumbers: [1] } as never)) as ArrayBuffer[];
    expect(frames).toHaveLength(1);
    expect(frames[0]!.byteLength).toBe(64 * 64 * 2);
    const rendered = (await client.retrieveInstanceRendered({ ...ids, mediaTypes: [{ mediaType: 'image/png' }] })) as ArrayBuffer | ArrayBuffer[];
    const png = new Uint8Array(Array.isArray(rendered) ? rendered[0]! : rendered);
    expect(Buffer.from(png.subarray(1, 4)).toString('latin1')).toBe('PNG');
    const own = metadata.find((m) => m['00080018']?.Value?.[0] === sop)!;
    const bulk = (await client.retrieveBulkData({ BulkDataURI: own['7FE00010']!.BulkDataURI! } as never)) as ArrayBuffer[];
    expect(bulk[0]!.byteLength).toBe(64 * 64 * 2);
  });
});
