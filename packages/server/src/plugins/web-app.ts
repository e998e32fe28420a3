import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import { KeyholeError } from '@keyhole/core';

export interface WebAppPluginOptions {
  /** The built web app (Vite's output); default `packages/web/dist` beside this package. */
  readonly distDir?: string;
}

/** Where `npm run build -w @keyhole/web` writes the app, relative to this file. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths that belong to the API, never to the app: an unknown one is a JSON 404, not index.html. */
const API_PREFIXES = ['/api/', '/dicom-web/', '/wado', '/docs', '/healthz', '/setup'];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  // The codecs of the DICOM image loader are WebAssembly: streaming compilation needs this exact type.
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keyhole — the web app is not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The Keyhole web app has not been built</h1>
<p>The archive is running (DICOMweb, the API and its documentation at <a href="/docs">/docs</a> work), but the
workstation's files are missing from <code>packages/web/dist</code>.</p>
<p>Build it once from the repository folder, then reload this page:</p>
<pre style="background:#eee;padding:0.75rem">npm run build -w @keyhole/web</pre>
<p><code>npm start</code> and <code>npm test</code> build it for you.</p>
<p><small>Keyhole supports clinical decisions; it does not replace clinical judgement.</small></p>
</body></html>`;

interface StaticFile {
  readonly bytes: Buffer;
  readonly type: string;
}

/** The file at `urlPath` inside `root`, or undefined (missing, a folder, or a path that leaves root). */
async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = resolve(root, `.${decoded}`);
  // Path traversal (`/../`, encoded or not) never leaves the app folder.
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    return { bytes: await readFile(file), type: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}

/**
 * Serves the workstation (React single-page app, `packages/web`) at `/`: its static files, and
 * `index.html` for every other GET that is not an API path, so that a reload on `/cases/3` opens
 * the app at that screen (SPA fallback). Without a build, a page says how to build it.
 *
 * The files are the app's code, not patient data: `public` access, and no audit entry. Vite's
 * hashed `assets/` are cached for good; `index.html` is revalidated so a new build is picked up.
 */
export const webAppPlugin = fp<WebAppPluginOptions>(async (app, options) => {
  const root = resolve(options.distDir ?? DEFAULT_WEB_DIST);
  app.get('/*', {
    config: { access: 'public' },
    schema: { hide: true, summary: 'The Keyhole web app (static files, single-page-app fallback)', tags: ['web'] },
  }, async (request, reply) => {
    const path = (request.url.split('?')[0] ?? '/') || '/';
    if (API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) {
      throw new KeyholeError('NOT_FOUND', { message: `no route GET ${path}` });
    }
    // The page may use SharedArrayBuffer (cornerstone3D's volume loading) only when cross-origin isolated.
    void reply.header('cross-origin-opener-policy', 'same-origin').header('cross-origin-embedder-policy', 'require-corp');
    const file = path === '/' ? undefined : await readStatic(root, path);
    if (file !== undefined) {
      const immutable = path.startsWith('/assets/');
      return reply.type(file.type).header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').send(file.bytes);
    }
    // A missing file of a known type is a real 404 (a stale asset), not the app; app paths may hold
    // dots (UIDs in /viewer/1.2.840…), so only the extensions the app ships count.
    if (path.startsWith('/assets/') || CONTENT_TYPES[extname(path).toLowerCase()] !== undefined) throw new KeyholeError('NOT_FOUND', { message: `no file ${path} in the web app` });
    const index = await readStatic(root, '/index.html');
    if (index === undefined) return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);
    return reply.type(index.type).header('cache-control', 'no-cache').send(index.bytes);
  });
}, { name: 'keyhole-web-app' });
