import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generatePhantomStudy, readNifti } from '@keyhole/core';
import { stowBody } from '../dicomweb/test-support.ts';
import { testServer, tokenFor } from '../test-support.ts';
import { derivedDir } from './series-volumes.ts';

describe('derived volumes, cached per series', () => {
  let app: FastifyInstance;
  let reader: string;
  let writer: string;
  const study = generatePhantomStudy({ seed: 12, modality: 'ct', levels: { from: 'L4', to: 'L5' }, grid: { size: [48, 40, 12], spacing: [2, 2, 3] } });
  const series = study.series[0]!;
  const studyUid = study.truthJson.studyInstanceUid;
  const base = `/api/studies/${studyUid}/series/${series.seriesInstanceUid}/volumes`;
  const stow = async (files: ReadonlyArray<{ bytes: Uint8Array; name: string }>): Promise<void> => {
    const { body, contentType } = stowBody(files.map((f) => ({ bytes: f.bytes, source: f.name })));
    const response = await app.inject({ method: 'POST', url: '/dicom-web/studies', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${writer}` } });
    expect(response.statusCode).toBe(200);
  };

  beforeAll(async () => {
    app = await testServer();
    await app.ready();
    writer = await tokenFor(app, 'wanda', 'resident');
    reader = await tokenFor(app, 'vera', 'viewer');
    // All slices but the last first: the cache must notice the series growing.
    await stow(series.files.slice(0, -1));
  });
  afterAll(async () => app.close());

  it('describes the volume in LPS, serves it as NIfTI with the phantom voxels, caches it, and rebuilds when the series changes', async () => {
    const auth = { authorization: `Bearer ${reader}` };
    const partial = await app.inject({ url: base, headers: auth });
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json()).toMatchObject({ instances: 11, cached: false, volumes: [{ index: 0, size: [48, 40, 11], dataType: 'int16' }] });

    await stow(series.files.slice(-1));
    const first = await app.inject({ url: base, headers: auth });
    const manifest = first.json() as { fingerprint: string; cached: boolean; volumes: Array<{ size: number[]; spacing: number[]; origin: number[]; direction: number[] }> };
    expect(manifest.cached).toBe(false);
    expect(manifest.volumes[0]?.size).toEqual([48, 40, 12]);
    expect(manifest.volumes[0]?.spacing.map((v) => Number(v.toFixed(4)))).toEqual([...series.volume.spacing]);
    manifest.volumes[0]?.origin.forEach((v, i) => expect(v).toBeCloseTo(series.volume.origin[i]!, 3));
    manifest.volumes[0]?.direction.forEach((v, i) => expect(v).toBeCloseTo(series.volume.direction[i]!, 5));
    // One cache entry per series: the older fingerprint is gone.
    expect(readdirSync(join(derivedDir(app.keyhole.options.dataDir), series.seriesInstanceUid))).toEqual([manifest.fingerprint]);

    const again = await app.inject({ url: base, headers: auth });
    expect(again.json()).toMatchObject({ fingerprint: manifest.fingerprint, cached: true });

    const nifti = await app.inject({ url: `${base}/0`, headers: auth });
    expect(nifti.statusCode).toBe(200);
    expect(nifti.headers['content-type']).toBe('application/octet-stream');
    const [volume] = readNifti({ bytes: new Uint8Array(nifti.rawPayload), source: 'response.nii' }).volumes;
    expect(volume?.size).toEqual([48, 40, 12]);
    expect(Array.from(volume!.data)).toEqual(Array.from(series.volume.data));
    volume!.origin.forEach((v, i) => expect(v).toBeCloseTo(series.volume.origin[i]!, 3));
  });

  it('refuses what is not there, with the reason', async () => {
    const auth = { authorization: `Bearer ${reader}` };
    const missingIndex = await app.inject({ url: `${base}/3`, headers: auth });
    expect(missingIndex.statusCode).toBe(404);
    expect(missingIndex.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(String(missingIndex.json().message)).toMatch(/has 1 volume\(s\)/);
    const unknown = await app.inject({ url: `/api/studies/${studyUid}/series/1.2.3.4/volumes`, headers: auth });
    expect(unknown.statusCode).toBe(404);
    expect(existsSync(join(derivedDir(app.keyhole.options.dataDir), '1.2.3.4'))).toBe(false);
  });
});
