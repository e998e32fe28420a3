import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const sharedData = resolve(repoRoot, '../shared/data');
export const hasSharedData = existsSync(sharedData);
const bin = resolve(import.meta.dirname, '../bin/keyhole.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `keyhole` command as a user would (a child process), never throwing on a non-zero exit. */
export async function keyhole(args: readonly string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Whether an external tool is installed. Absent: the test is skipped with a message, except in CI, where it must be there. */
export function tool(name: string): boolean {
  let present = false;
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    present = true;
  } catch {
    present = false;
  }
  if (!present && process.env['CI'] !== undefined) throw new Error(`${name} is required in CI (.ci/run installs it) but is not installed`);
  if (!present) console.warn(`skipping tests that need ${name}: not installed (apt-get install it to run them)`);
  return present;
}
