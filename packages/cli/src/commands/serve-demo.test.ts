import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../test-support.ts';

/**
 * Acceptance (issue 3): the README's start command (`npm ci && npm start`) starts the archive on
 * the embedded default with the phantom as a demo case, clearly marked synthetic. The test runs
 * the root package.json's `start` script itself as a child process (node … serve), on a temporary
 * data folder and free ports, as a user's first start and a restart would.
 */
const startScript = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

interface Started {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  readonly setupLink: string | undefined;
  output(): string;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `npm start -- --data DIR --port 0 --dicom-port -1 …`, without npm in between (signals go straight to the server). */
async function npmStart(dataDir: string, extra: readonly string[] = []): Promise<Started> {
  const [command, ...args] = startScript.split(/\s+/);
  expect(command).toBe('node');
  const child = spawn(process.execPath, [...args, '--data', dataDir, '--port', '0', '--dicom-port', '-1', ...extra], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const httpUrl = await new Promise<string>((resolveUrl, reject) => {
    const check = (): void => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      // The banner's last line: everything (the first-admin link included) has been printed.
      if (match !== null && out.includes('Stop with Ctrl+C.')) resolveUrl(match[1]!);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`the server exited with ${String(code)} before listening:\n${out}`)));
  });
  return { child, httpUrl, setupLink: /(http:\/\/\S+\/setup\?token=\S+)/.exec(out)?.[1], output: () => out };
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((done) => started.child.once('exit', (code) => done(code)));
  started.child.kill('SIGTERM');
  return exited;
}

type Json = Record<string, { Value?: unknown[] }>;
const value = (dataset: Json, tag: string): unknown => dataset[tag]?.Value?.[0];

describe('npm start: the archive with the synthetic demo case', () => {
  it('is the README\'s start command', () => {
    expect(startScript).toMatch(/^node packages\/cli\/bin\/keyhole\.js serve\b/);
    expect(readFileSync(resolve(repoRoot, 'README.md'), 'utf8')).toContain('npm ci && npm start');
  });

  it('first start makes the demo case (marked synthetic, with progress) and prints the first-admin link; a restart adds no copy', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-start-'));
    const first = await npmStart(dataDir);
    const text = first.output();
    expect(text).toContain('Demo case: generating a SYNTHETIC spine phantom');
    // Progress, one line per step without a terminal.
    expect(text).toMatch(/ {2}CT phantom \(\d+%\)\n {2}MR T2 phantom \(\d+%\)\n/);
    expect(text).toMatch(/Demo case 1: "Synthetic demo \(phantom, not a patient\)" — SYNTHETIC phantom data, not a patient, made in [\d.]+ s/);
    expect(text).toMatch(/patient KEYHOLE-DEMO-42, study [\d.]+: CT 170 \+ MR 15 = 185 instances/);
    expect(first.setupLink).toMatch(/\/setup\?token=/);
    expect((await fetch(`${first.httpUrl}/healthz`)).status).toBe(200);

    // Patient data needs a signed-in user: create the first admin with the one-time link.
    expect((await fetch(`${first.httpUrl}/dicom-web/studies`)).status).toBe(401);
    const token = new URL(first.setupLink!).searchParams.get('token');
    const setup = await fetch(`${first.httpUrl}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, name: 'admin', password: 'a long enough password' }) });
    expect(setup.status, await setup.clone().text()).toBe(201);
    const cookie = { cookie: (setup.headers.get('set-cookie') ?? '').split(';')[0]! };

    const checkArchive = async (httpUrl: string): Promise<void> => {
      const studies = (await (await fetch(`${httpUrl}/dicom-web/studies?PatientID=KEYHOLE-DEMO-*&includefield=0008001C`, { headers: cookie })).json()) as Json[];
      expect(studies).toHaveLength(1);
      const study = studies[0]!;
      expect(value(study, '00100010')).toEqual({ Alphabetic: 'SYNTHETIC^PHANTOM' });
      expect(value(study, '0008001C')).toBe('YES');
      expect([value(study, '00201206'), value(study, '00201208')]).toEqual([2, 185]);
      const studyUid = String(value(study, '0020000D'));
      const series = (await (await fetch(`${httpUrl}/dicom-web/studies/${studyUid}/series`, { headers: cookie })).json()) as Json[];
      expect(series.map((s) => [value(s, '00080060'), value(s, '00201209')]).sort()).toEqual([['CT', 170], ['MR', 15]]);
      const cases = (await (await fetch(`${httpUrl}/api/cases`, { headers: cookie })).json()) as Array<Record<string, unknown>>;
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({ patientId: 'KEYHOLE-DEMO-42', title: 'Synthetic demo (phantom, not a patient)', synthetic: true, studies: [{ studyUid, synthetic: true }] });
      expect(await (await fetch(`${httpUrl}/api/studies/${studyUid}`, { headers: cookie })).json()).toMatchObject({ patientName: 'SYNTHETIC^PHANTOM', instanceCount: 185, synthetic: true });
    };
    await checkArchive(first.httpUrl);
    expect(await stop(first)).toBe(0);

    const again = await npmStart(dataDir);
    expect(again.output()).not.toContain('generating');
    expect(again.output()).toMatch(/Demo case 1: .*SYNTHETIC.*already in the archive/);
    expect(again.setupLink).toBeUndefined();
    await checkArchive(again.httpUrl);
    expect(await stop(again)).toBe(0);
  }, 180_000);

  it('--no-demo starts an empty archive (still with the first-admin link)', async () => {
    const started = await npmStart(mkdtempSync(join(tmpdir(), 'keyhole-start-')), ['--no-demo']);
    expect(started.output()).not.toContain('Demo case');
    expect(started.setupLink).toMatch(/\/setup\?token=/);
    expect(await stop(started)).toBe(0);
  }, 60_000);
});
