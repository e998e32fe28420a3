import { spawn, spawnSync } from 'node:child_process';

/**
 * External peers for the real-socket tests (DCMTK's echoscu/storescu/findscu, Orthanc). A test
 * that needs one is skipped with a message when it is absent — but in CI (`CI` set) a missing
 * tool is a failure, because CI installs them and must exercise them.
 */
export interface ToolCheck {
  readonly available: boolean;
  readonly missing: readonly string[];
}

export function toolOnPath(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Checks the tools; throws in CI when one is missing, otherwise warns so the skip is visible. */
export function requireTools(names: readonly string[], purpose: string): ToolCheck {
  const missing = names.filter((name) => !toolOnPath(name));
  if (missing.length > 0) {
    const message = `${purpose}: skipped, ${missing.join(', ')} not installed (Debian: dcmtk, orthanc, orthanc-dicomweb)`;
    if (process.env['CI'] !== undefined && process.env['CI'] !== '') throw new Error(`${message} — CI must install them`);
    console.warn(message);
  }
  return { available: missing.length === 0, missing };
}

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool to completion (asynchronously, so our own server in the same process keeps answering). */
export function runTool(command: string, args: readonly string[], timeoutMs = 120_000): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
