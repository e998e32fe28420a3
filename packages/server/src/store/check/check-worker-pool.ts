/**
 * Instance intake on worker threads: each instance's staging write and its checks
 * (check-instance.ts: parse, UID checks, DICOM JSON, SHA-256) run on a worker, so that the
 * archive's thread only parses the request and feeds the database.
 *
 * Why: storing an instance cost the archive's thread about 1.5 ms of checks per 512 KB CT slice
 * (profiled: DICOM JSON 0.7 ms, SHA-256 0.6 ms, parse 0.2 ms), plus the staging write's
 * promise-based file calls, a copy of the bytes into the worker and the garbage they made. On a
 * worker, with the bytes handed over (transferred, not copied) where the caller allows it, the
 * STOW-RS parts of one request are checked and written on the other cores while this thread reads
 * the next ones (docs/benchmarks.md, archive server).
 *
 * A request goes to the worker with the fewest pending. Workers are unreferenced while idle (they
 * never keep the process alive). A worker that fails to start is replaced by the calling thread;
 * one that dies fails its pending instances with INTERNAL (their staging files are removed by
 * storeInstances like any failed write) and later instances go to the calling thread.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KeyholeError } from '@keyhole/core';
import { checkInstance, type CheckedInstance } from './check-instance.ts';
import { errorFromWire, type StageReply, type StageRequest } from './check-messages.ts';
import { stageFile, type StagedWrite } from './stage-file.ts';

export interface StageOptions {
  readonly bytes: Uint8Array;
  readonly source: string;
  /** The new staging file to write (it must not exist). */
  readonly stagingPath: string;
  /**
   * The bytes are the instance's own buffer and the caller will not read them again: they may be
   * handed over to a worker (transferred) instead of copied.
   */
  readonly handOver: boolean;
}

export interface StagedInstance {
  readonly write: StagedWrite;
  /** The checks' outcome; rejects with the instance's KeyholeError (CheckFailure). */
  readonly checked: Promise<CheckedInstance>;
}

export interface InstanceChecks {
  /** Worker threads (0: everything runs on the calling thread). */
  readonly size: number;
  /** A buffer for an instance about to be staged, that `handOver` may give away. */
  allocate(size: number): Uint8Array;
  stage(options: StageOptions): StagedInstance;
  close(): Promise<void>;
}

export interface InstanceCheckWorkersOptions {
  /** Worker threads; default: one fewer than the machine's available parallelism, at most 3. */
  readonly workers?: number;
}

/** Everything on the calling thread: tests, one-core machines, one-off stores (the demo seed). */
export const inlineInstanceChecks: InstanceChecks = {
  size: 0,
  allocate: (size) => Buffer.allocUnsafe(size),
  stage: ({ bytes, source, stagingPath }) => {
    // The write starts before the checks, so the disk works while this thread parses.
    const write = stageFile(stagingPath, bytes);
    const checked = (async () => checkInstance(bytes, source))();
    return { write, checked };
  },
  close: async () => undefined,
};

export function defaultCheckWorkers(): number {
  return Math.max(0, Math.min(3, availableParallelism() - 1));
}

export function startInstanceCheckWorkers(options: InstanceCheckWorkersOptions = {}): InstanceChecks {
  const count = Math.max(0, Math.floor(options.workers ?? defaultCheckWorkers()));
  if (count === 0) return inlineInstanceChecks;
  // Started on first use, not with the server: a server stopped right after it started never has a
  // worker half-way through its bootstrap to terminate (Node 20 can abort the process then).
  let started: IntakeWorker[] | undefined;
  const workersNow = (): IntakeWorker[] => (started ??= Array.from({ length: count }, () => new IntakeWorker()));
  return {
    size: count,
    // Not from Buffer's shared pool (which cannot be transferred): above 4 KB allocUnsafe gives the
    // buffer its own memory.
    allocate: (size) => (size > Buffer.poolSize >>> 1 ? Buffer.allocUnsafe(size) : new Uint8Array(size)),
    stage: (options) => {
      let best: IntakeWorker | undefined;
      for (const worker of workersNow()) if (worker.usable && (best === undefined || worker.pending < best.pending)) best = worker;
      return best === undefined ? inlineInstanceChecks.stage(options) : best.stage(options);
    },
    close: async () => {
      await Promise.all((started ?? []).map((worker) => worker.close()));
    },
  };
}

interface Settle<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

function settle<T>(): Settle<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

interface Pending {
  readonly source: string;
  readonly written: Settle<Error | undefined>;
  readonly durable: Settle<Error | undefined>;
  readonly checked: Settle<CheckedInstance>;
  /** Replies still to come (written, checked, durable). */
  remaining: number;
}

class IntakeWorker {
  private readonly worker: Worker | undefined;
  private readonly pendingById = new Map<number, Pending>();
  private nextId = 1;
  private broken = false;
  /** Settles once the thread has started (or failed to): terminating it before then is not safe. */
  private readonly online: Promise<void>;

  constructor() {
    try {
      this.worker = new Worker(workerScript());
    } catch {
      this.broken = true;
      this.online = Promise.resolve();
      return;
    }
    const worker = this.worker;
    this.online = new Promise<void>((ready) => {
      worker.once('online', () => ready());
      worker.once('error', () => ready());
      worker.once('exit', () => ready());
    });
    this.worker.unref();
    this.worker.on('message', (reply: StageReply) => this.receive(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the worker thread exited (code ${code})`)));
  }

  get usable(): boolean {
    return !this.broken && this.worker !== undefined;
  }

  get pending(): number {
    return this.pendingById.size;
  }

  stage(options: StageOptions): StagedInstance {
    const worker = this.worker;
    if (this.broken || worker === undefined) return inlineInstanceChecks.stage(options);
    const id = this.nextId++;
    const pending: Pending = { source: options.source, written: settle(), durable: settle(), checked: settle(), remaining: 3 };
    // The caller awaits `checked` later; until then a refusal must not count as unhandled.
    pending.checked.promise.catch(() => undefined);
    this.pendingById.set(id, pending);
    if (this.pendingById.size === 1) worker.ref();
    const { bytes } = options;
    const request: StageRequest = { id, bytes, source: options.source, stagingPath: options.stagingPath };
    const ownBuffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    try {
      if (options.handOver && ownBuffer) worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
      // Copied otherwise (a view of a larger buffer is cut out first: a structured clone copies the whole buffer).
      else worker.postMessage({ ...request, bytes: ownBuffer ? bytes : bytes.slice() });
    } catch {
      // Not transferable after all (memory Node marks as such): copied instead.
      worker.postMessage({ ...request, bytes: bytes.slice() });
    }
    return { write: { buffered: pending.written.promise, durable: pending.durable.promise }, checked: pending.checked.promise };
  }

  async close(): Promise<void> {
    this.broken = true;
    const worker = this.worker;
    if (worker !== undefined) {
      await this.online;
      await worker.terminate();
    }
    this.fail(new Error('the server is shutting down'));
  }

  private receive(reply: StageReply): void {
    const pending = this.pendingById.get(reply.id);
    if (pending === undefined) return;
    if (reply.kind === 'checked') {
      if (reply.ok) pending.checked.resolve(reply.checked);
      else pending.checked.reject(errorFromWire(reply.error));
    } else (reply.kind === 'written' ? pending.written : pending.durable).resolve(reply.error === undefined ? undefined : new Error(reply.error));
    if (--pending.remaining === 0) {
      this.pendingById.delete(reply.id);
      if (this.pendingById.size === 0) this.worker?.unref();
    }
  }

  /** The instances a dead or closed worker still held fail; later ones go to the calling thread. */
  private fail(error: Error): void {
    this.broken = true;
    const pending = [...this.pendingById.values()];
    this.pendingById.clear();
    for (const item of pending) {
      const failure = new Error(`the intake worker stopped before finishing (${error.message})`);
      item.written.resolve(failure);
      item.durable.resolve(failure);
      item.checked.reject(new KeyholeError('INTERNAL', { file: item.source, message: `the instance could not be checked: ${failure.message}; send it again`, cause: error }));
    }
  }
}

/** Set by bin/precompiled.js (esbuild `define`) in the CLI's bundle: the bundled worker entry. */
declare const __KEYHOLE_STORE_CHECK_WORKER__: string | undefined;

/**
 * The worker's script: the entry bin/precompiled.js bundles beside the running bundle, or, when
 * Keyhole runs from its sources (tests, tsx), the .ts source through a small .mjs that registers
 * tsx in the worker (slower to start: about a second).
 */
function workerScript(): URL {
  if (typeof __KEYHOLE_STORE_CHECK_WORKER__ === 'string') return pathToFileURL(__KEYHOLE_STORE_CHECK_WORKER__);
  return new URL('./check-worker-source.mjs', import.meta.url);
}

/** True in the CLI's bundle, where a worker starts in tens of milliseconds (from sources: about a second). */
export function checkWorkersBundled(): boolean {
  return typeof __KEYHOLE_STORE_CHECK_WORKER__ === 'string';
}
