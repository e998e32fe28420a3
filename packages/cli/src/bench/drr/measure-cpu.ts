import { spawn } from 'node:child_process';

export interface CpuMeasurement {
  /** Wall-clock seconds of the whole process. */
  readonly wallSeconds: number;
  /** User + system CPU seconds of the whole process, all threads (GNU time %U + %S). */
  readonly cpuSeconds: number;
  /** Peak resident memory, MiB. */
  readonly peakMiB: number;
  readonly stdout: string;
  readonly exitCode: number;
}

/**
 * Runs a command under GNU time, as ../measure-process.ts does, and also keeps its CPU time: on a
 * shared machine whose load average exceeds its cores, wall time mostly measures the others, while
 * CPU time still says how much work each tool did.
 */
export function measureWithCpu(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CpuMeasurement> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '__TIME__ %e %U %S %M', command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (match === null) {
        reject(new Error(`could not measure ${command}: ${stderr.slice(-500)}`));
        return;
      }
      resolve({ wallSeconds: Number(match[1]), cpuSeconds: Number(match[2]) + Number(match[3]), peakMiB: Number(match[4]) / 1024, stdout: stdout + stderr.replace(/__TIME__.*\n?/, ''), exitCode: code ?? -1 });
    });
  });
}
