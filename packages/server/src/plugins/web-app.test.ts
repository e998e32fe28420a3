import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsPlugin } from './errors.ts';
import { webAppPlugin } from './web-app.ts';

/** The plugin alone behind the error handler (the access and audit hooks are tested with the whole app). */
async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.decorateRequest('audit', null as never);
  app.addHook('onRequest', async (request) => {
    request.audit = {};
  });
  await app.register(errorsPlugin);
  await app.register(webAppPlugin, { distDir });
  return app;
}

describe('web app plugin', () => {
  const dist = mkdtempSync(join(tmpdir(), 'keyhole-web-dist-'));
  let app: FastifyInstance;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Keyhole</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dist, 'assets', 'codec.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]));
    writeFileSync(join(tmpdir(), 'keyhole-web-secret.txt'), 'outside the app folder');
    app = await appServing(dist);
  });
  afterAll(async () => app.close());

  it('serves index.html at / and for any app path (single-page-app fallback), revalidated', async () => {
    for (const url of ['/', '/worklist', '/cases/12', '/viewer/1.2.3?series=4']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with their type, cached for good, and WebAssembly as application/wasm', async () => {
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.headers['cache-control']).toContain('immutable');
    const wasm = await app.inject({ url: '/assets/codec.wasm' });
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.rawPayload.subarray(1, 4).toString()).toBe('asm');
  });

  it('sends the page cross-origin isolated (COOP/COEP), so SharedArrayBuffer is available to the viewer', async () => {
    const response = await app.inject({ url: '/' });
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it('answers a JSON 404 for unknown API paths and missing files, never the app', async () => {
    for (const url of ['/api/nothing', '/dicom-web/nothing', '/assets/missing-123.js']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('never serves a file outside the app folder (path traversal, encoded or not)', async () => {
    for (const url of ['/../keyhole-web-secret.txt', '/%2e%2e/keyhole-web-secret.txt', '/assets/%2e%2e/%2e%2e/keyhole-web-secret.txt']) {
      const response = await app.inject({ url });
      expect(response.body, url).not.toContain('outside the app folder');
    }
  });

  it('says how to build the app when it has not been built (503, not a blank page)', async () => {
    const bare = await appServing(join(dist, 'no-such-build'));
    const response = await bare.inject({ url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build -w @keyhole/web');
    expect(response.body).toContain('does not replace clinical judgement');
    await bare.close();
  });
});
