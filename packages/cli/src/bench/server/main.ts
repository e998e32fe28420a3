/**
 * Settings of the server benchmark from the environment, for run-bench.ts:
 * BENCH_RUNS (rounds, default 5), BENCH_SERVER_KINDS (sqlite,postgres), BENCH_STOW_BATCH
 * (instances per STOW-RS request, default 25), BENCH_STOW_CONCURRENCY (requests in flight, default 2).
 */
import { runServerBench, type DatabaseKind, type ServerBenchResult } from './run-server-bench.ts';

export function serverBenchFromEnv(repoRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<ServerBenchResult> {
  const kinds = (env['BENCH_SERVER_KINDS'] ?? 'sqlite,postgres').split(',').map((k) => k.trim()).filter((k): k is DatabaseKind => k === 'sqlite' || k === 'postgres');
  const positive = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${env[name]}`);
    return value;
  };
  return runServerBench({
    repoRoot,
    runs: positive('BENCH_RUNS', 5),
    kinds,
    stow: { batchSize: positive('BENCH_STOW_BATCH', 25), concurrency: positive('BENCH_STOW_CONCURRENCY', 2) },
    log: (line) => console.log(line),
  });
}
