/**
 * Worker thread of loadVolumeInThreads: reads its claimed slices from their files and writes them
 * into the shared volume. Errors go back as plain data (code, message, file) and are rethrown as
 * KeyholeError by the calling thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asKeyholeError } from '@keyhole/core';
import { createNodeCodecRegistry } from '../codecs/index.ts';
import { readInstanceFromFile } from '../dicom-input/read-file-start.ts';
import { claimSlices } from './claim-slices.ts';
import { kernelFor } from './simd-int16.ts';
import type { SliceWorkerData, SliceWorkerMessage } from './slice-job.ts';

const data = workerData as SliceWorkerData;
const post = (message: SliceWorkerMessage): void => parentPort?.postMessage(message);
const planeSize = (data.jobs[0]?.rows ?? 0) * (data.jobs[0]?.columns ?? 0);
let done = 0;
const addInPlace = data.memory !== undefined ? kernelFor(data.memory) : undefined;
try {
  await claimSlices({
    count: data.jobs.length,
    planeSize,
    volume: new Int16Array(data.volume),
    state: new Int32Array(data.state),
    chunk: data.chunk,
    codecs: await createNodeCodecRegistry(),
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
