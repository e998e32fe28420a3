/**
 * loadVolumeInThreads: core's loadVolume, spread over the machine's cores.
 *
 * A 512×512×300 CT is 300 independent planes: each is read (or decoded) and rescaled into its own
 * part of one int16 volume. Here the volume lives in shared memory and the calling thread and
 * `threads − 1` worker threads claim slices from a shared counter (claim-slices.ts) until none is
 * left. Workers re-open the slices' files by path (readDicomInput records them, file-backed.ts).
 *
 * Series that need resampling (tilt, gaps) or float32 output, and series with a frame whose values
 * leave int16 after all, are core's loadVolume in the calling thread, so the volume is always the
 * same. Workers are not started for instances not read from plain files (zip entries), for small
 * series (a worker's start-up, some 30–60 ms, would cost more than it saves) or with one thread:
 * the calling thread then does every slice. Slices a worker claimed but did not finish (it could
 * not start, or died) are done by the calling thread. In every case the intercept is added by the
 * WebAssembly SIMD kernel where it can run (simd-int16.ts).
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KeyholeError, canWriteDirectInt16, writeSlotInt16, createVolume, loadVolume, type ErrorCode, type FrameCodecRegistry, type LoadProgress, type Volume, type VolumeDescriptor } from '@keyhole/core';
import { filePathOf } from '../dicom-input/file-backed.ts';
import { claimSlices } from './claim-slices.ts';
import { createSimdVolumeMemory } from './simd-int16.ts';
import { DID_NOT_FIT, DONE_BASE, type SliceJob, type SliceWorkerData, type SliceWorkerMessage } from './slice-job.ts';

export interface LoadVolumeInThreadsOptions {
  readonly volume: VolumeDescriptor;
  readonly codecs: FrameCodecRegistry;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Threads in all, the calling one included; default KEYHOLE_THREADS from the environment, else the machine's available parallelism, at most 8. */
  readonly threads?: number;
  /** Series with fewer slices load in the calling thread; default 32. */
  readonly minSlicesForThreads?: number;
  /** Told when a worker thread could not start or died (its slices are then loaded in the calling thread). */
  readonly onWarning?: (message: string) => void;
  /** Whether the calling thread claims slices too (default true); false leaves them all to the workers (tests use it). */
  readonly callingThreadWorks?: boolean;
}

/** Slices claimed at a time: small enough to balance the threads, large enough to keep the counter quiet. */
const CHUNK = 4;

export async function loadVolumeInThreads(options: LoadVolumeInThreadsOptions): Promise<Volume> {
  const { volume: descriptor, codecs } = options;
  const slices = descriptor.geometry.slices;
  const threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
  const paths = slices.map((slice) => filePathOf(slice.instance));
  const inThisThread = (): Promise<Volume> => loadVolume({ volume: descriptor, codecs, ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}) });
  if (!canWriteDirectInt16(descriptor)) return inThisThread();
  const workerCount = threads > 1 && slices.length >= (options.minSlicesForThreads ?? 32) && paths.every((path) => path !== undefined) ? threads - 1 : 0;

  const [ni, nj, nk] = descriptor.geometry.grid.size;
  const planeSize = ni * nj;
  // The volume lives in shared WebAssembly memory when the SIMD kernel can run (simd-int16.ts), else in a plain SharedArrayBuffer.
  const simd = createSimdVolumeMemory(planeSize * nk * 2);
  const volumeMemory = (simd?.memory.buffer as SharedArrayBuffer | undefined) ?? new SharedArrayBuffer(planeSize * nk * 2);
  const stateMemory = new SharedArrayBuffer((DONE_BASE + slices.length) * 4);
  const data = new Int16Array(volumeMemory, 0, planeSize * nk);
  const state = new Int32Array(stateMemory);
  const jobs: SliceJob[] = slices.map((slice, k) => ({
    path: paths[k] as string,
    frame: slice.frame,
    rows: slice.rows,
    columns: slice.columns,
    slope: slice.valueMapping.slope,
    intercept: slice.valueMapping.intercept,
  }));
  let done = 0;
  const progress = (count: number): void => {
    done += count;
    options.onProgress?.({ done: Math.min(done, slices.length), total: slices.length });
  };

  const workerData: SliceWorkerData = { jobs, volume: volumeMemory, state: stateMemory, chunk: CHUNK, ...(simd !== undefined ? { memory: simd.memory } : {}) };
  const addInPlace = simd !== undefined ? { addInPlace: simd.addInPlace } : {};
  const workers = Array.from({ length: workerCount }, () => startWorker(workerData, progress));
  // The calling thread works too, on the instances it already has.
  const own = options.callingThreadWorks === false && workerCount > 0 ? Promise.resolve() : claimSlices({
    count: slices.length,
    planeSize,
    volume: data,
    state,
    chunk: CHUNK,
    codecs,
    slot: (k) => slices[k]!,
    ...addInPlace,
    onSlice: () => progress(1),
  });
  const outcomes = await Promise.allSettled([own, ...workers.map((worker) => worker.finished)]);
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected' && outcome.reason instanceof KeyholeError);
  if (failure !== undefined) throw failure.reason;
  const ownOutcome = outcomes[0];
  if (ownOutcome?.status === 'rejected') throw ownOutcome.reason;
  for (const outcome of outcomes.slice(1)) {
    if (outcome.status === 'rejected') options.onWarning?.(`a worker thread failed (${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}); its slices were loaded in the calling thread`);
  }
  if (Atomics.load(state, DID_NOT_FIT) === 1) return inThisThread();

  // Slices a worker claimed but never finished (it could not start, or died): done here.
  for (let k = 0; k < slices.length; k++) {
    if (Atomics.load(state, DONE_BASE + k) === 1) continue;
    const fits = await writeSlotInt16({ slot: slices[k]!, codecs, target: data.subarray(k * planeSize, (k + 1) * planeSize), ...addInPlace });
    if (!fits) return inThisThread();
    progress(1);
  }
  const label = descriptor.label;
  return createVolume({ ...descriptor.geometry.grid, data, units: descriptor.units, ...(label !== '' ? { label } : {}) });
}

function defaultThreads(): number {
  const fromEnvironment = Number(process.env['KEYHOLE_THREADS']);
  return Number.isFinite(fromEnvironment) && fromEnvironment >= 1 ? fromEnvironment : Math.min(8, availableParallelism());
}

interface RunningWorker {
  /** Resolves when the worker has finished claiming; rejects with a KeyholeError it reported, or an Error when it could not run. */
  readonly finished: Promise<void>;
}

function startWorker(data: SliceWorkerData, progress: (count: number) => void): RunningWorker {
  const script = workerScript();
  let worker: Worker;
  try {
    worker = new Worker(script.url, { workerData: data, execArgv: script.execArgv });
  } catch (error) {
    return { finished: Promise.reject(error instanceof Error ? error : new Error(String(error))) };
  }
  const finished = new Promise<void>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: SliceWorkerMessage) => {
      if (message.kind === 'progress') progress(message.done);
      else if (message.kind === 'finished') {
        settled = true;
        resolve();
      } else {
        settled = true;
        const { code, message: text, file, details } = message.error;
        const prefix = file !== undefined ? `${file}: ` : '';
        reject(new KeyholeError(code as ErrorCode, { message: text.startsWith(prefix) ? text.slice(prefix.length) : text, ...(file !== undefined ? { file } : {}), ...(details !== undefined ? { details } : {}) }));
      }
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', () => {
      if (!settled) reject(new Error('the worker thread exited before finishing'));
      settled = true;
    });
  });
  return { finished };
}

/** Set by bin/precompiled.js (esbuild `define`) in the CLI's bundle: the bundled worker entry. */
declare const __KEYHOLE_SLICES_WORKER__: string | undefined;

/**
 * The worker's script: the worker entry that bin/precompiled.js bundles beside the running bundle,
 * or, when Keyhole runs from its sources (tests, tsx), the .ts source beside this file, which
 * then needs tsx in the worker too (slower to start: about a second).
 */
function workerScript(): { url: URL; execArgv: string[] } {
  if (typeof __KEYHOLE_SLICES_WORKER__ === 'string') return { url: pathToFileURL(__KEYHOLE_SLICES_WORKER__), execArgv: [] };
  return { url: new URL('./load-slices-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
}
