/**
 * Runs segmentSpineCt on a worker thread started for the job (a job is rare and long: a worker's
 * start-up, tens of milliseconds from the bundle, does not matter; no pool is kept).
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createVolume, KeyholeError, type LabelLegend, type SpineModel, type Volume } from '@keyhole/core';
import { errorFromWire } from '../store/check/check-messages.ts';
import type { AnatomyReply, AnatomyRequest } from './anatomy-messages.ts';

export interface AnatomyInWorkerOptions {
  /** The CT volume; its voxel buffer is copied to the worker (the caller keeps its volume). */
  readonly volume: Volume;
  readonly onProgress?: (fraction: number, stage: string) => void;
  /** Aborting stops the worker (the server is shutting down); the promise then rejects. */
  readonly signal?: AbortSignal;
}

export interface AnatomyInWorkerResult {
  readonly model: SpineModel;
  readonly legend: LabelLegend;
  readonly labels?: Volume;
}

export function anatomyInWorker(options: AnatomyInWorkerOptions): Promise<AnatomyInWorkerResult> {
  const { volume } = options;
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(workerScript());
    } catch (error) {
      reject(new KeyholeError('INTERNAL', { message: `the anatomy worker thread could not start: ${(error as Error).message}`, cause: error }));
      return;
    }
    let settled = false;
    // Terminated only once it has started: stopping a thread half-way through its bootstrap can
    // abort the whole process on Node 20 (a shutdown right after a run began).
    let online = false;
    let terminateWhenOnline = false;
    worker.once('online', () => {
      online = true;
      if (terminateWhenOnline) void worker.terminate();
    });
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      action();
      if (online) void worker.terminate();
      else terminateWhenOnline = true;
    };
    worker.on('message', (message: AnatomyReply) => {
      if (message.kind === 'progress') options.onProgress?.(message.fraction, message.stage);
      else if (message.kind === 'error') finish(() => reject(errorFromWire(message.error)));
      else finish(() => resolve({ model: message.model, legend: message.legend, ...(message.labels !== undefined ? { labels: createVolume(message.labels) } : {}) }));
    });
    worker.on('error', (error) => finish(() => reject(new KeyholeError('INTERNAL', { message: `the anatomy worker thread failed: ${error.message}`, cause: error }))));
    worker.on('exit', (code) => finish(() => reject(new KeyholeError('INTERNAL', { message: `the anatomy worker thread exited (code ${code}) before finishing` }))));
    const abort = (): void => finish(() => reject(new KeyholeError('INTERNAL', { message: 'the anatomy run was stopped (the server is shutting down)' })));
    if (options.signal?.aborted === true) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const request: AnatomyRequest = { volume: { size: volume.size, spacing: volume.spacing, origin: volume.origin, direction: Array.from(volume.direction), data: volume.data, units: volume.units } };
    worker.postMessage(request);
  });
}

/** Set by bin/precompiled.js (esbuild `define`) in the CLI's bundle: the bundled worker entry. */
declare const __KEYHOLE_ANATOMY_WORKER__: string | undefined;

function workerScript(): URL {
  if (typeof __KEYHOLE_ANATOMY_WORKER__ === 'string') return pathToFileURL(__KEYHOLE_ANATOMY_WORKER__);
  return new URL('./anatomy-worker-source.mjs', import.meta.url);
}
