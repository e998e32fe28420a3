import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, serverOptions } from '@keyhole/server';

const bin = resolve(import.meta.dirname, '../../bin/keyhole.js');

/** Runs `keyhole` with the given standard input (a pipe), as a script would. */
function keyholeWithInput(args: readonly string[], input: string | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

describe('keyhole user / token on a data folder (no server)', () => {
  it('adds users from a piped password, lists them, and prints a bearer token the server accepts', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'keyhole-cli-users-')), 'archive');
    const added = await keyholeWithInput(['user', 'add', 'ada', '--role', 'admin', '--password-stdin', '--data', data], 'a long enough secret\n');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/created user ada \(admin\)/);
    expect(added.stdout + added.stderr).not.toContain('a long enough secret');

    const short = await keyholeWithInput(['user', 'add', 'bob', '--role', 'viewer', '--password-stdin', '--data', data], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/VALIDATION_FAILED.*at least 12 characters/);
    const empty = await keyholeWithInput(['user', 'add', 'bob', '--role', 'viewer', '--password-stdin', '--data', data], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/standard input is empty/);
    const badRole = await keyholeWithInput(['user', 'add', 'bob', '--role', 'god', '--data', data], undefined);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/unknown role "god"/);
    expect((await keyholeWithInput(['user', 'add', 'scripts', '--role', 'viewer', '--data', data], undefined)).code).toBe(0);

    const list = await keyholeWithInput(['user', 'list', '--data', data, '--json'], undefined);
    expect(list.code, list.stderr).toBe(0);
    const users = (JSON.parse(list.stdout) as { users: Array<{ name: string; role: string; hasPassword: boolean }> }).users;
    expect(users.map((u) => `${u.name}:${u.role}:${u.hasPassword}`)).toEqual(['ada:admin:true', 'scripts:viewer:false']);

    const token = await keyholeWithInput(['token', 'create', 'scripts', '--data', data, '--label', 'ci'], undefined);
    expect(token.code, token.stderr).toBe(0);
    const secret = token.stdout.trim();
    expect(secret).toMatch(/^[\w-]{43}$/);
    const unknown = await keyholeWithInput(['token', 'create', 'nobody', '--data', data], undefined);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no user named "nobody"/);

    const app = await buildApp({ options: serverOptions({ dataDir: data }) });
    try {
      const me = await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${secret}` } });
      expect(me.json()).toMatchObject({ name: 'scripts', role: 'viewer', via: 'bearer' });
      const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { name: 'ada', password: 'a long enough secret' } });
      expect(signIn.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('refuses a data folder without an archive for list and token', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'keyhole-cli-empty-'));
    const list = await keyholeWithInput(['user', 'list', '--data', empty], undefined);
    expect(list.code).toBe(3);
    expect(list.stderr).toMatch(/holds no Keyhole archive/);
  }, 30_000);
});
