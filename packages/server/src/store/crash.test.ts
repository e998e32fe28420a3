/**
 * Fault test (issue 3 acceptance): kill the server process (SIGKILL) while a 300-instance STOW is
 * being stored, restart on the same data folder and database, re-send → exactly one copy of each
 * instance, no orphan files, and never a partial study visible.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePhantomStudy } from '@keyhole/core';
import { buildApp } from '../app.ts';
import { serverOptions } from '../config.ts';
import { freshTestDatabase, tokenFor } from '../test-support.ts';
import { stowBody } from '../dicomweb/test-support.ts';
import { objectsDir } from './archive.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(folder.length + 1));
}

describe('crash during a 300-instance STOW', () => {
  it('restart finds the archive consistent; re-sending stores each instance exactly once', { timeout: 120_000 }, async () => {
    const study = generatePhantomStudy({ seed: 71, modality: 'ct', levels: { from: 'L4', to: 'L5' }, grid: { size: [32, 32, 300], spacing: [4, 4, 0.2] } });
    const files = study.series.flatMap((s) => s.files).slice(0, 300).map((f) => ({ bytes: f.bytes }));
    expect(files).toHaveLength(300);
    const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-crash-'));
    const databaseUrl = await freshTestDatabase();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'packages/server/src/store/crash-child.fixture.ts')], {
      cwd: repoRoot,
      env: { ...process.env, KEYHOLE_CRASH_DATA_DIR: dataDir, ...(databaseUrl !== undefined ? { KEYHOLE_CRASH_DATABASE_URL: databaseUrl } : {}) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const { address, token } = await new Promise<{ address: string; token: string }>((done, fail) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const line = buffered.split('\n')[0];
        if (buffered.includes('\n') && line !== undefined) done(JSON.parse(line) as { address: string; token: string });
      });
      child.on('exit', (code) => fail(new Error(`the server process exited (${code}) before listening`)));
    });
    const { body, contentType } = stowBody(files);
    const sending = fetch(`${address}/dicom-web/studies`, { method: 'POST', body, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } }).then((r) => r.status, () => 'connection lost');
    // Kill as soon as the store has begun writing (files in staging or already moved).
    const staging = join(objectsDir(dataDir), '.staging');
    const started = Date.now();
    while (filesUnder(objectsDir(dataDir)).length < 20 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    await exited;
    const outcome = await sending;
    const leftOnDisk = filesUnder(objectsDir(dataDir)).length;

    // Restart in this process on the same data folder and database (recoverStore runs in buildApp).
    const app = await buildApp({ options: serverOptions({ dataDir, ...(databaseUrl !== undefined ? { databaseUrl } : {}) }) });
    try {
      const count = async () => Number((await app.keyhole.db.selectFrom('instance').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      // All or nothing: one transaction per request.
      expect([0, 300]).toContain(before);
      if (before === 0) expect(outcome).toBe('connection lost');
      const rows = await app.keyhole.db.selectFrom('instance').select('file_path').execute();
      expect(filesUnder(objectsDir(app.keyhole.options.dataDir)).sort()).toEqual(rows.map((r) => r.file_path).sort());
      expect(filesUnder(staging)).toEqual([]);
      const token2 = await tokenFor(app, 'after-restart', 'resident');
      const again = await app.inject({ method: 'POST', url: '/dicom-web/studies', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${token2}` } });
      expect(again.statusCode).toBe(200);
      expect(await count()).toBe(300);
      expect(filesUnder(objectsDir(dataDir))).toHaveLength(300);
      const studyRow = await app.keyhole.db.selectFrom('study').selectAll().executeTakeFirstOrThrow();
      expect(studyRow.instance_count).toBe(300);
      console.info(`crash test: killed with ${leftOnDisk} file(s) on disk; after restart ${before} instance(s) visible; re-send stored the rest once`);
    } finally {
      await app.close();
    }
  });
});
