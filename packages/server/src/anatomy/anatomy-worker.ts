/**
 * Worker-thread entry of run-anatomy.ts: the CT spine pipeline (segmentSpineCt of @keyhole/core)
 * on one volume, off the server's thread (a 512×512×300 CT takes seconds of CPU; the server keeps
 * answering meanwhile). Progress is reported at most every 2 % so that the messages stay cheap.
 */
import { parentPort } from 'node:worker_threads';
import { createVolume, segmentSpineCt } from '@keyhole/core';
import { errorToWire } from '../store/check/check-messages.ts';
import type { AnatomyReply, AnatomyRequest } from './anatomy-messages.ts';

const port = parentPort;
if (port === null) throw new Error('anatomy-worker.ts runs only as a worker thread');
const reply = (message: AnatomyReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.once('message', (request: AnatomyRequest) => {
  try {
    const volume = createVolume(request.volume);
    let reported = -1;
    const result = segmentSpineCt({
      volume,
      onProgress: (fraction, stage) => {
        if (fraction - reported < 0.02 && fraction < 1) return;
        reported = fraction;
        reply({ kind: 'progress', fraction, stage });
      },
    });
    const labels = result.labels;
    if (labels === undefined) reply({ kind: 'done', model: result.model, legend: result.legend });
    else {
      const wire = { size: labels.size, spacing: labels.spacing, origin: labels.origin, direction: Array.from(labels.direction), data: labels.data, units: labels.units };
      reply({ kind: 'done', model: result.model, legend: result.legend, labels: wire }, [labels.data.buffer as ArrayBuffer]);
    }
  } catch (error) {
    reply({ kind: 'error', error: errorToWire(error) });
  }
});
