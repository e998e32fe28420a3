import { spawn } from 'node:child_process';

export interface ProcessMeasurement {
  /** Wall-clock seconds of the whole process, start-up included. */
  readonly wallSeconds: number;
  /** Peak resident memory of the process, MiB (GNU time's %M). */
  readonly peakMiB: number;
  readonly stdout: string;
  readonly exitCode: number;
}

/**
 * Runs a command under GNU time so that Keyhole (a Node process) and its peers (dcm2niix, a C++
 * process) are measured the same way: wall time and peak RSS of the whole process.
 */
export function measureProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessMeasurement> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '__TIME__ %e %M', command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /__TIME__ ([\d.]+) (\d+)/.exec(stderr);
      if (match === null) {
        reject(new Error(`could not measure ${command}: ${stderr.slice(-500)}`));
        return;
      }
      resolve({ wallSeconds: Number(match[1]), peakMiB: Number(match[2]) / 1024, stdout, exitCode: code ?? -1 });
    });
  });
}
