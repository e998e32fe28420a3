/**
 * Worker threads for loadVolumeInThreads, started before they are needed.
 *
 * A worker thread costs some 50–100 ms of CPU to start (a V8 isolate, Node's bootstrap, the
 * bundle's modules). Started inside loadVolumeInThreads, that cost lands on the critical path of
 * an uncompressed series, whose whole fill takes ~0.15 s on one core: the second core did not pay
 * for itself (docs/benchmarks.md). Started when a command begins — while the calling thread reads
 * and catalogues the headers — the start-up runs in parallel and the workers are ready when the
 * planes are filled. `keyhole convert` and the benchmark do this; other callers may let
 * loadVolumeInThreads start a pool of its own.
 *
 * Idle workers are unreferenced (they never keep the process alive) and referenced while a load
 * runs on them. A worker that fails to start or dies rejects its current load with an Error (not a
 * KeyholeError); loadVolumeInThreads then does its slices in the calling thread.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { keyholeErrorFromParts } from '@keyhole/core';
import type { SliceWorkerData, SliceWorkerMessage, SliceWorkerRequest } from './slice-job.ts';

export interface SliceWorkerPoolOptions {
  /** Threads in all, the calling one included (so `threads − 1` workers); default KEYHOLE_THREADS, else the machine's available parallelism, at most 8. */
  readonly threads?: number;
}

export interface SliceWorkerPool {
  /** Number of worker threads (0 when one thread in all was asked for). */
  readonly size: number;
  /** Sends one load to every worker; one promise per worker, settled when it has finished claiming slices. */
  run(data: SliceWorkerData, progress: (slices: number) => void): Array<Promise<void>>;
  /** Stops every worker. */
  close(): Promise<void>;
}

export function defaultThreadCount(): number {
  const fromEnvironment = Number(process.env['KEYHOLE_THREADS']);
  return Number.isFinite(fromEnvironment) && fromEnvironment >= 1 ? Math.floor(fromEnvironment) : Math.min(8, availableParallelism());
}

export function startSliceWorkers(options: SliceWorkerPoolOptions = {}): SliceWorkerPool {
  const threads = Math.max(1, Math.floor(options.threads ?? defaultThreadCount()));
  const workers = Array.from({ length: threads - 1 }, () => new PooledWorker());
  return {
    size: workers.length,
    run: (data, progress) => workers.map((worker) => worker.run(data, progress)),
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

interface ActiveLoad {
  readonly progress: (slices: number) => void;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

class PooledWorker {
  private readonly worker: Worker | undefined;
  private failure: Error | undefined;
  private active: ActiveLoad | undefined;

  constructor() {
    const script = workerScript();
    try {
      this.worker = new Worker(script.url, { execArgv: script.execArgv });
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      return;
    }
    this.worker.unref();
    this.worker.on('message', (message: SliceWorkerMessage) => this.receive(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the worker thread exited (code ${code})`)));
  }

  run(data: SliceWorkerData, progress: (slices: number) => void): Promise<void> {
    if (this.failure !== undefined || this.worker === undefined) return Promise.reject(this.failure ?? new Error('the worker thread did not start'));
    if (this.active !== undefined) return Promise.reject(new Error('the worker thread is busy with another load'));
    const worker = this.worker;
    return new Promise<void>((resolve, reject) => {
      this.active = { progress, resolve, reject };
      worker.ref();
      const request: SliceWorkerRequest = { kind: 'load', data };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the worker pool was closed');
    await this.worker?.terminate();
  }

  private receive(message: SliceWorkerMessage): void {
    const active = this.active;
    if (message.kind === 'ready' || active === undefined) return;
    if (message.kind === 'progress') {
      active.progress(message.done);
      return;
    }
    this.settle();
    if (message.kind === 'finished') {
      active.resolve();
      return;
    }
    active.reject(keyholeErrorFromParts(message.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const active = this.active;
    this.settle();
    active?.reject(error);
  }

  private settle(): void {
    this.active = undefined;
    this.worker?.unref();
  }
}

/** Set by bin/precompiled.js (esbuild `define`) in the CLI's bundle: the bundled worker entry. */
declare const __KEYHOLE_SLICES_WORKER__: string | undefined;

/**
 * The worker's script: the worker entry that bin/precompiled.js bundles beside the running bundle,
 * or, when Keyhole runs from its sources (tests, tsx), the .ts source beside this file through a
 * small .mjs that registers tsx in the worker (slower to start: about a second).
 */
function workerScript(): { url: URL; execArgv: string[] } {
  if (typeof __KEYHOLE_SLICES_WORKER__ === 'string') return { url: pathToFileURL(__KEYHOLE_SLICES_WORKER__), execArgv: [] };
  return { url: new URL('./load-slices-worker-source.mjs', import.meta.url), execArgv: [] };
}
