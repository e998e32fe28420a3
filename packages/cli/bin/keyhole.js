#!/usr/bin/env node
// Runs the TypeScript sources with no build step after `npm ci`. Two ways, same code:
// - the sources bundled once by esbuild into node_modules/.cache/keyhole/ and rebuilt when they
//   change (precompiled.js): starts in ~0.1 s instead of ~0.5–1 s under tsx, which matters for
//   `keyhole convert` on a large series (docs/benchmarks.md);
// - tsx's loader, when the bundle cannot be used or KEYHOLE_TSX=1 is set.
// Stack traces point at the .ts files people read either way (linked source maps / tsx).
import { fileURLToPath } from 'node:url';
import { importPrecompiled } from './precompiled.js';

// `keyhole info … | head`: the reader went away; stop quietly as other Unix tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// Before the import, so that the bundle's source maps are read as it loads.
process.setSourceMapsEnabled(true);
let loaded = await importPrecompiled(entry);
if (loaded === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  loaded = await import('../src/main.ts');
}
process.exitCode = await loaded.main(process.argv.slice(2));
