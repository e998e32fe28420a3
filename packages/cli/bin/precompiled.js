// Start-up without a TypeScript loader at run time: the CLI's TypeScript sources (and those of
// @keyhole/core and @keyhole/io they import) bundled by esbuild into node_modules/.cache/keyhole/,
// once, and rebuilt whenever one of the bundled source files changes.
//
// Why: `node --import tsx` costs about 0.5–1 s before the first line of Keyhole runs (the loader
// thread, then one cross-thread resolve + load round trip per module, ~150 modules), which is
// most of what `keyhole convert` of a 512×512×300 CT takes in total, and more than the whole of
// dcm2niix's run (docs/benchmarks.md). The bundle starts in ~0.1 s.
//
// Nothing is downloaded and no build step is needed: esbuild is the copy that tsx itself depends on,
// installed by `npm ci`. Whenever this path cannot be used (esbuild missing, cache not writable,
// build or import failing) the caller falls back to tsx, as before. KEYHOLE_TSX=1 forces tsx.
//
// Freshness: the manifest lists every bundled input with its mtime and size (esbuild's metafile);
// any change, addition to an import list (which changes the importing file) or deletion rebuilds.
// Concurrency: each build goes to its own folder and the manifest is replaced atomically, so
// processes started together (tests) never see half a bundle.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const FORMAT_VERSION = 2;
const WORKER_NAME = 'load-slices-worker';
const WORKER_ENTRY = resolve(dirname(new URL(import.meta.url).pathname), '../../io/src/volume-load/load-slices-worker.ts');
const CHECK_WORKER_NAME = 'store-check-worker';
const CHECK_WORKER_ENTRY = resolve(dirname(new URL(import.meta.url).pathname), '../../server/src/store/check/check-worker.ts');
const ANATOMY_WORKER_NAME = 'anatomy-worker';
const ANATOMY_WORKER_ENTRY = resolve(dirname(new URL(import.meta.url).pathname), '../../server/src/anatomy/anatomy-worker.ts');
/** Marks esbuild's inner resolve of a workspace package, so that the plugin does not see it again. */
const INNER = Symbol('keyhole-inner-resolve');
/** Build folders no manifest points at are removed after this long (a running process may still load lazy chunks from one). */
const STALE_BUILD_MS = 60 * 60 * 1000;

/**
 * Imports `entry` (an absolute path to a .ts module) from its cached bundle, building it first when
 * missing or stale. Returns undefined when the bundle cannot be used; the caller then uses tsx.
 */
export async function importPrecompiled(entry) {
  if (process.env.KEYHOLE_TSX === '1') return undefined;
  let built;
  try {
    built = await ensureBundle(entry);
  } catch {
    return undefined;
  }
  if (built === undefined) return undefined;
  try {
    return await import(pathToFileURL(built).href);
  } catch (error) {
    // A bundle that links badly (a dependency missing beside the cache) must not break the CLI;
    // an error thrown by Keyhole's own code while loading is a real error and is rethrown.
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_REQUIRE_ESM') return undefined;
    throw error;
  }
}

/** Path of an up-to-date bundle of `entry`, building it when needed. */
export async function ensureBundle(entry) {
  const tsxRequire = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  const esbuildVersion = tsxRequire('esbuild/package.json').version;
  const cacheRoot = join(dirname(dirname(tsxRequire.resolve('esbuild/package.json'))), '.cache', 'keyhole');
  const name = basename(entry).replace(/\.ts$/, '');
  const manifestPath = join(cacheRoot, `${name}-${hashText(entry)}.json`);
  const key = `${FORMAT_VERSION} ${process.version} esbuild ${esbuildVersion} ${fileStamp(new URL(import.meta.url).pathname)}`;
  const fresh = readFreshManifest(manifestPath, key);
  if (fresh !== undefined) return fresh;

  const esbuild = tsxRequire('esbuild');
  mkdirSync(cacheRoot, { recursive: true });
  const outdir = join(cacheRoot, `${name}-${process.pid}-${Date.now().toString(36)}`);
  const result = await esbuild.build({
    // The worker threads of @keyhole/io's loadVolumeInThreads, of the server's instance checks and
    // of its anatomy runs are bundled beside the entry...
    entryPoints: { [name]: entry, [WORKER_NAME]: WORKER_ENTRY, [CHECK_WORKER_NAME]: CHECK_WORKER_ENTRY, [ANATOMY_WORKER_NAME]: ANATOMY_WORKER_ENTRY },
    // ...and are told where they are (import.meta.url names the .ts source in a bundle: see sourceLocations).
    define: { __KEYHOLE_SLICES_WORKER__: JSON.stringify(join(outdir, `${WORKER_NAME}.js`)), __KEYHOLE_STORE_CHECK_WORKER__: JSON.stringify(join(outdir, `${CHECK_WORKER_NAME}.js`)), __KEYHOLE_ANATOMY_WORKER__: JSON.stringify(join(outdir, `${ANATOMY_WORKER_NAME}.js`)) },
    outdir,
    bundle: true,
    // Keeps the CLI's lazy `await import('./commands/x.ts')` lazy: one chunk per command.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    sourcemap: 'linked',
    // The .ts files are on disk beside; leaving their text out of the maps keeps start-up parsing small.
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [npmPackagesStayExternal(), ownModulesArePure(), sourceLocations()],
  });
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(input);
    inputs[path] = fileStamp(path);
  }
  const output = join(outdir, `${name}.js`);
  if (!existsSync(output)) throw new Error(`esbuild wrote no ${output}`);
  const temporary = `${manifestPath}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ key, entry, output, inputs }));
  renameSync(temporary, manifestPath);
  removeStaleBuilds(cacheRoot);
  return output;
}

function readFreshManifest(manifestPath, key) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.key !== key || !existsSync(manifest.output)) return undefined;
  for (const [path, stamp] of Object.entries(manifest.inputs)) {
    if (fileStamp(path) !== stamp) return undefined;
  }
  return manifest.output;
}

function fileStamp(path) {
  try {
    const info = statSync(path);
    return `${info.mtimeMs}:${info.size}`;
  } catch {
    return 'missing';
  }
}

/**
 * npm packages are not bundled: they are imported at run time from node_modules (the cache lives
 * inside it, so Node finds them), exactly as under tsx. Only Keyhole's own workspaces are bundled.
 */
function npmPackagesStayExternal() {
  return {
    name: 'keyhole-npm-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === INNER) return undefined;
        if (!args.path.startsWith('@keyhole/')) {
          // An npm package stays external, but pinned to the file Node would load FROM THE IMPORTING
          // SOURCE: the bundle lives in node_modules/.cache/, where a bare name would only see the
          // root node_modules and miss a package installed under one workspace (a version npm
          // could not hoist). Node built-ins and anything esbuild cannot place stay bare.
          const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: INNER });
          if (found.errors.length > 0 || found.external || !found.path.startsWith('/')) return { path: args.path, external: true };
          return { path: pathToFileURL(found.path).href, external: true };
        }
        // A workspace package: resolved as usual (its package.json "exports"), and pure (see below).
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: INNER });
        return found.errors.length > 0 ? { errors: found.errors } : { path: found.path, sideEffects: false };
      });
    },
  };
}

/**
 * Keyhole's modules do nothing when imported (core's rule: no module-global state; no module is
 * imported for its side effects), so a module none of whose exports is used can be left out. This
 * is what keeps dcmjs (used only to write DICOM, ~0.1 s to load) out of `keyhole convert`.
 */
function ownModulesArePure() {
  return {
    name: 'keyhole-pure-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) => (args.importer.endsWith('.ts') ? { path: resolve(args.resolveDir, args.path), sideEffects: false } : undefined));
    },
  };
}

/**
 * import.meta.url / dirname / filename keep meaning the source file, as under tsx: codecs are
 * found with createRequire(import.meta.url) from packages/io, the bench finds its files by folder.
 */
function sourceLocations() {
  return {
    name: 'keyhole-source-locations',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const contents = text
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents, loader: 'ts' };
      });
    },
  };
}

function removeStaleBuilds(cacheRoot) {
  const live = new Set();
  for (const file of readdirSync(cacheRoot)) {
    if (!file.endsWith('.json')) continue;
    try {
      const manifest = JSON.parse(readFileSync(join(cacheRoot, file), 'utf8'));
      // An entry that no longer exists (a test's temporary sources): its manifest and build go.
      if (!existsSync(manifest.entry)) rmSync(join(cacheRoot, file), { force: true });
      else live.add(dirname(manifest.output));
    } catch {
      // A manifest being replaced right now: skip it.
    }
  }
  for (const entry of readdirSync(cacheRoot, { withFileTypes: true })) {
    const path = join(cacheRoot, entry.name);
    if (!entry.isDirectory() || live.has(path)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/** A short stable name for an entry path (FNV-1a), so that two entries named main.ts do not share a manifest. */
function hashText(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
