/**
 * The CPU DRR on several cores: worker threads share the volume (a SharedArrayBuffer, copied once
 * per renderer, never per pose) and fill one shared image, taking blocks of detector rows from an
 * atomic counter so that a thread whose rows cross more bone does not hold the others up.
 *
 * The workers run core's `traceDrrRows` from its source text (the function is self-contained on
 * purpose), so a worker starts in milliseconds with no TypeScript loader, under tsx, Vitest and the
 * CLI's esbuild bundle alike.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  createVolume,
  drrImage,
  DRR_BLOCK_ROWS,
  drrRowJob,
  KeyholeError,
  prepareDrrVolume,
  requireCtVolume,
  traceDrrRows,
  type DrrOptions,
  type DrrProjection,
  type DrrResult,
  type DrrRowJob,
  type PreparedDrrVolume,
  type Volume,
  type VoxelArray,
} from '@keyhole/core';

export interface ParallelDrrOptions extends DrrOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly threads?: number;
  /** Detector rows per block handed out (default DRR_BLOCK_ROWS). */
  readonly blockRows?: number;
}

export interface ParallelDrrRenderer {
  readonly threads: number;
  /** Renders one pose; poses may be rendered one after another with the same workers. */
  render(projection: DrrProjection): Promise<DrrResult>;
  /** Stops the workers (required: until then they keep the process alive). */
  close(): Promise<void>;
}

/** What each worker runs: the core kernel plus a loop over row blocks claimed atomically. */
function workerSource(): string {
  return `"use strict";
// esbuild's keepNames helper, in case the kernel's text refers to it.
const __name = (target) => target;
const traceDrrRows = ${traceDrrRows.toString()};
const { parentPort } = require('node:worker_threads');
let volume;
// Rays through a tiny grid of the real voxel and table types, along and across every axis (axis-
// parallel ones included): the kernel's type feedback then covers every branch before V8 optimizes
// it, so the first real blocks do not run in code that is thrown away (deoptimized) midway.
function warmUp(shared) {
  const n = 6;
  const voxels = new shared.voxels.constructor(n * n * n);
  const out = new Float32Array(25);
  const c = (n - 1) / 2;
  for (const axis of [0, 1, 2]) {
    const source = [c, c, c];
    source[axis] = -20;
    const far = [c - 1, c - 1, c - 1];
    far[axis] = n + 20;
    const across = [0, 0, 0];
    across[(axis + 1) % 3] = 0.5;
    const down = [0, 0, 0];
    down[(axis + 2) % 3] = 0.5;
    const job = {
      voxels, table: shared.table, tableOffset: shared.tableOffset, size: [n, n, n],
      sourceIndex: source, pixel00Index: far, columnStepIndex: across, rowStepIndex: down,
      sourceWorld: source, pixel00World: far, columnStepWorld: across, rowStepWorld: down,
      columns: 5, rows: 5,
    };
    for (let repeat = 0; repeat < 20; repeat++) traceDrrRows(job, 0, 5, out);
  }
}
parentPort.on('message', (message) => {
  if (message.kind === 'volume') { volume = message.volume; warmUp(volume); return; }
  const job = { ...message.job, voxels: volume.voxels, table: volume.table, tableOffset: volume.tableOffset };
  const { counter, out, blockRows } = message;
  try {
    for (;;) {
      const start = Atomics.add(counter, 0, 1) * blockRows;
      if (start >= job.rows) break;
      traceDrrRows(job, start, Math.min(job.rows, start + blockRows), out);
    }
    parentPort.postMessage({ kind: 'done', id: message.id });
  } catch (error) {
    parentPort.postMessage({ kind: 'failed', id: message.id, error: String(error && error.stack || error) });
  }
});
`;
}

function sharedCopy(data: VoxelArray): VoxelArray {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  const Ctor = data.constructor as new (buffer: SharedArrayBuffer) => VoxelArray;
  const copy = new Ctor(new SharedArrayBuffer(data.byteLength));
  copy.set(data as never);
  return copy;
}

/** The volume's voxels (or μ) in shared memory, ready for the workers. */
function prepareShared(volume: Volume, options: DrrOptions): PreparedDrrVolume {
  requireCtVolume(volume);
  if (!(volume.data instanceof Float32Array || volume.data instanceof Float64Array)) {
    const prepared = prepareDrrVolume(createVolume({ ...volume, data: sharedCopy(volume.data) }), options);
    // A 32-bit volume too wide for a table comes back converted to μ in private memory: share that.
    return prepared.table === null ? { ...prepared, voxels: sharedCopy(prepared.voxels) } : prepared;
  }
  return prepareDrrVolume(volume, options, new Float32Array(new SharedArrayBuffer(volume.data.length * 4)));
}

export async function createParallelDrrRenderer(volume: Volume, options: ParallelDrrOptions = {}): Promise<ParallelDrrRenderer> {
  const threads = options.threads ?? availableParallelism();
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw new KeyholeError('INVALID_ARGUMENT', { path: 'threads', message: `must be a whole number from 1 to 256, got ${threads}` });
  }
  const blockRows = options.blockRows ?? DRR_BLOCK_ROWS;
  const prepared = prepareShared(volume, options);
  const source = workerSource();
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true }));
  const shared = { voxels: prepared.voxels, table: prepared.table, tableOffset: prepared.tableOffset };
  let nextId = 0;
  let closed = false;
  // A worker that dies between renders (out of memory, say) fails the next render instead of
  // throwing an unhandled 'error' event.
  let failure: Error | undefined;
  // The workers keep the process alive until close(): a render in flight must never be cut short.
  for (const worker of workers) {
    worker.on('error', (error: Error) => {
      failure ??= error;
    });
    worker.postMessage({ kind: 'volume', volume: shared });
  }

  const render = async (projection: DrrProjection): Promise<DrrResult> => {
    if (closed) throw new KeyholeError('INVALID_ARGUMENT', { message: 'this DRR renderer was closed; create another' });
    if (failure !== undefined) throw new KeyholeError('INTERNAL', { message: `a DRR worker stopped: ${failure.message}`, cause: failure });
    const { voxels: _voxels, table: _table, ...job } = drrRowJob(prepared, projection) satisfies DrrRowJob;
    const out = new Float32Array(new SharedArrayBuffer(job.columns * job.rows * 4));
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const id = nextId++;
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const onMessage = (message: { kind: string; id: number; error?: string }): void => {
        if (message.id !== id) return;
        cleanup();
        if (message.kind === 'done') resolve();
        else reject(new KeyholeError('INTERNAL', { message: `DRR worker failed: ${message.error ?? 'unknown error'}` }));
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(new KeyholeError('INTERNAL', { message: `DRR worker stopped: ${error.message}`, cause: error }));
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ kind: 'render', id, job, out, counter, blockRows });
    })));
    // A private copy: the result must not change if the shared buffer were reused.
    return { image: drrImage(projection, new Float32Array(out)), projection };
  };

  return {
    threads,
    render,
    close: async () => {
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/** One DRR on `threads` worker threads (default: all cores). */
export async function renderDrrParallel(volume: Volume, projection: DrrProjection, options: ParallelDrrOptions = {}): Promise<DrrResult> {
  const renderer = await createParallelDrrRenderer(volume, options);
  try {
    return await renderer.render(projection);
  } finally {
    await renderer.close();
  }
}
