/**
 * Test support for the DICOM reading tests: where the shared real data lives, and which
 * external reference tools (DCMTK, GDCM, OpenJPH, Debian's python3 with pydicom) are here.
 *
 * Rule: a test that needs a tool skips with the reason in its title when the tool is absent on
 * a developer's machine, but FAILS when the environment variable CI is set, because CI installs
 * them (.ci/run) and must exercise them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** The repository root (this file is packages/io/src/codecs/test-support/). */
export const repoRoot = resolve(import.meta.dirname, '../../../../..');

/** `<repo>/../shared/data`: real data, never copied into the repository. */
export const sharedDataDir = resolve(repoRoot, '../shared/data');

export interface Gate {
  readonly ok: boolean;
  /** Appended to a describe title: empty when ok, else "(skipped: …)". */
  readonly note: string;
}

/** Shared data gate: skip with a clear message when the folder is absent. */
export function sharedData(relative: string): Gate & { readonly path: string } {
  const path = join(sharedDataDir, relative);
  const ok = existsSync(path);
  return { ok, path, note: ok ? '' : `(skipped: ${path} is absent; CI provides ../shared/data beside the repository)` };
}

function onPath(command: string): boolean {
  if (command.includes('/')) return isExecutable(command);
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir.length > 0 && isExecutable(join(dir, command)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A python3 that can import pydicom and numpy: the one on PATH (a pyenv shim may lack them),
 * else Debian's /usr/bin/python3 (python3-pydicom), which is what CI installs.
 */
export function pythonWithPydicom(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    if (!onPath(candidate)) continue;
    const probe = spawnSync(candidate, ['-c', 'import pydicom, numpy'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** Gate on external commands ("python3+pydicom" means pythonWithPydicom()). Throws under CI when one is missing. */
export function tools(commands: readonly string[]): Gate {
  const missing = commands.filter((command) => (command === 'python3+pydicom' ? pythonWithPydicom() === undefined : !onPath(command)));
  if (missing.length === 0) return { ok: true, note: '' };
  const reason = `${missing.join(', ')} not installed (Debian: dcmtk, libgdcm-tools, openjph-tools, python3-pydicom)`;
  if (process.env['CI'] !== undefined && process.env['CI'] !== '') {
    throw new Error(`CI must run the tool-based tests, but ${reason}`);
  }
  return { ok: false, note: `(skipped: ${reason})` };
}

/** Runs a tool, throwing with its stderr when it fails. */
export function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || String(error)}`);
  }
}

/** A fresh folder under os.tmpdir(), with a function that removes it. */
export function tempFolder(prefix: string): { readonly path: string; readonly remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `keyhole-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
