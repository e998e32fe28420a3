/**
 * Worker thread of loadVolumeInThreads: waits for loads (a `load` message with the shared volume
 * and the slice list), claims slices from the shared counter, reads them from their files and
 * writes them into the shared volume. One worker serves any number of loads, one after another,
 * so a pool started early (before the headers are read) is ready when the volume is filled.
 * Errors go back as plain data (code, message, file) and are rethrown as KeyholeError by the
 * calling thread.
 */
import { parentPort } from 'node:worker_threads';
import { asKeyholeError, type FrameCodecRegistry } from '@keyhole/core';
import { createNodeCodecRegistry } from '../codecs/index.ts';
import { readInstanceFromFile } from '../dicom-input/read-file-start.ts';
import { claimSlices } from './claim-slices.ts';
import { kernelFor } from './simd-int16.ts';
import type { SliceWorkerData, SliceWorkerMessage, SliceWorkerRequest } from './slice-job.ts';

const post = (message: SliceWorkerMessage): void => parentPort?.postMessage(message);
let codecs: Promise<FrameCodecRegistry> | undefined;

async function load(data: SliceWorkerData): Promise<void> {
  const planeSize = (data.jobs[0]?.rows ?? 0) * (data.jobs[0]?.columns ?? 0);
  const addInPlace = data.memory !== undefined ? kernelFor(data.memory) : undefined;
  let done = 0;
  try {
    await claimSlices({
      count: data.jobs.length,
      planeSize,
      volume: new Int16Array(data.volume),
      state: new Int32Array(data.state),
      chunk: data.chunk,
      codecs: await (codecs ??= createNodeCodecRegistry()),
      ...(addInPlace !== undefined ? { addInPlace } : {}),
      slot: async (k) => {
        const job = data.jobs[k]!;
        return { instance: await readInstanceFromFile(job.path), frame: job.frame, rows: job.rows, columns: job.columns, source: job.path, valueMapping: { slope: job.slope, intercept: job.intercept } };
      },
      onSlice: () => {
        done += 1;
        if (done % 8 === 0) post({ kind: 'progress', done: 8 });
      },
    });
    if (done % 8 !== 0) post({ kind: 'progress', done: done % 8 });
    post({ kind: 'finished' });
  } catch (error) {
    const problem = asKeyholeError(error, 'DICOM_DECODE_FAILED');
    post({ kind: 'failed', error: { code: problem.code, message: problem.message, ...(problem.file !== undefined ? { file: problem.file } : {}), ...(problem.details !== undefined ? { details: problem.details } : {}) } });
  }
}

// Loads arrive one at a time (the pool sends the next only after `finished` or `failed`).
parentPort?.on('message', (request: SliceWorkerRequest) => {
  if (request.kind === 'load') void load(request.data);
});
post({ kind: 'ready' });
