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
 * same. Workers are started only for compressed series (see below why not for uncompressed ones),
 * not for instances not read from plain files (zip entries), small series (a worker's start-up
 * would cost more than it saves) or with one thread: the calling thread then does every slice. Slices a worker claimed but did not finish (it could
 * not start, or died) are done by the calling thread. In every case the intercept is added by the
 * WebAssembly SIMD kernel where it can run (simd-int16.ts).
 */
import { KeyholeError, canWriteDirectInt16, writeSlotInt16, createVolume, loadVolume, type FrameCodecRegistry, type LoadProgress, type Volume, type VolumeDescriptor } from '@keyhole/core';
import { filePathOf } from '../dicom-input/file-backed.ts';
import { claimSlices } from './claim-slices.ts';
import { createSimdVolumeMemory } from './simd-int16.ts';
import { DID_NOT_FIT, DONE_BASE, type SliceJob, type SliceWorkerData } from './slice-job.ts';
import { defaultThreadCount, startSliceWorkers, type SliceWorkerPool } from './slice-worker-pool.ts';

export interface LoadVolumeInThreadsOptions {
  readonly volume: VolumeDescriptor;
  readonly codecs: FrameCodecRegistry;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Threads in all, the calling one included; default KEYHOLE_THREADS from the environment, else the machine's available parallelism, at most 8. Ignored when `pool` is given. */
  readonly threads?: number;
  /** Workers started earlier (startSliceWorkers), so that their start-up overlaps reading the headers; default: a pool started here and closed after. */
  readonly pool?: SliceWorkerPool;
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
  const threads = options.pool !== undefined ? options.pool.size + 1 : Math.max(1, Math.floor(options.threads ?? defaultThreadCount()));
  const paths = slices.map((slice) => filePathOf(slice.instance));
  const inThisThread = (): Promise<Volume> => loadVolume({ volume: descriptor, codecs, ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}) });
  if (!canWriteDirectInt16(descriptor)) return inThisThread();
  // Workers only for compressed frames, where decoding dominates: an uncompressed fill is bound by
  // copying from the page cache and by page faults on the new volume, which a second thread did not
  // speed up on the project's 2-core machines (512×512×300 CT: fill 94–162 ms with a worker against
  // 122–133 ms without), while a worker costs 50–100 ms of CPU to start (docs/benchmarks.md).
  const compressed = slices.some((slice) => slice.instance.pixelData?.encapsulated === true);
  const workerCount = threads > 1 && compressed && slices.length >= (options.minSlicesForThreads ?? 32) && paths.every((path) => path !== undefined) ? threads - 1 : 0;

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
  const pool = workerCount === 0 ? undefined : (options.pool ?? startSliceWorkers({ threads }));
  const workers = pool === undefined ? [] : pool.run(workerData, progress);
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
  const outcomes = await Promise.allSettled([own, ...workers]);
  if (pool !== undefined && pool !== options.pool) await pool.close();
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
