#!/usr/bin/env node
// Runs the server's test suite a second time on PostgreSQL (the scale-out database), so that both
// dialects pass the same suite. Starts a throwaway cluster from Debian's PostgreSQL binaries in a
// temporary folder on a free port, runs `vitest run packages/server` with
// KEYHOLE_TEST_DATABASE_URL pointing at it, then stops and removes it.
// Without PostgreSQL installed it says so and exits 0 — except in CI, where it must run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = '/usr/lib/postgresql';
const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
const bin = version !== undefined ? join(root, version, 'bin') : undefined;
if (bin === undefined || !existsSync(join(bin, 'initdb'))) {
  const message = 'PostgreSQL is not installed (apt-get install postgresql): the server suite ran on SQLite only.';
  if (process.env.CI !== undefined) {
    console.error(`error: ${message} CI must run both dialects.`);
    process.exit(1);
  }
  console.warn(`skipping: ${message}`);
  process.exit(0);
}

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

// initdb refuses to run as root: run the cluster as Debian's postgres user then.
const asRoot = process.getuid?.() === 0;
const run = (command, args) => {
  const full = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(full[0], full[1], { stdio: ['ignore', 'ignore', 'inherit'] });
};

const dir = mkdtempSync(join(tmpdir(), 'keyhole-pg-'));
chmodSync(dir, 0o777);
const data = join(dir, 'data');
const port = await freePort();
let status = 1;
try {
  run(join(bin, 'initdb'), ['-D', data, '-U', 'keyhole', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  run(join(bin, 'pg_ctl'), ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
  console.log(`\nserver suite on PostgreSQL ${version} (127.0.0.1:${port})`);
  const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'packages/server'], {
    stdio: 'inherit',
    env: { ...process.env, KEYHOLE_TEST_DATABASE_URL: `postgres://keyhole@127.0.0.1:${port}/postgres` },
  });
  status = result.status ?? 1;
} finally {
  try {
    run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
