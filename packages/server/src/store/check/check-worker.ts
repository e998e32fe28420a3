/**
 * Worker-thread entry of check-worker-pool.ts: per request, writes the instance to its staging
 * file (synchronously: about 0.1 ms into the kernel's cache for a 512 KB slice), starts its fsync
 * (asynchronously, on the libuv pool), checks the instance while the disk works, and reports the
 * three steps (check-messages.ts, StageReply).
 */
import { closeSync, fsync, openSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { checkInstance } from './check-instance.ts';
import { errorToWire, type StageReply, type StageRequest } from './check-messages.ts';

const port = parentPort;
if (port === null) throw new Error('check-worker.ts runs only as a worker thread');
const reply = (message: StageReply): void => port.postMessage(message);

port.on('message', (request: StageRequest) => {
  const { id, bytes, source, stagingPath } = request;
  let fd: number | undefined;
  let writeError: string | undefined;
  try {
    fd = openSync(stagingPath, 'wx');
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at);
  } catch (error) {
    writeError = (error as Error).message;
  }
  reply(writeError === undefined ? { id, kind: 'written' } : { id, kind: 'written', error: writeError });
  const durable = (error?: string): void => {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // The descriptor is gone either way; the fsync's own outcome is what counts.
      }
    }
    const failure = writeError ?? error;
    reply(failure === undefined ? { id, kind: 'durable' } : { id, kind: 'durable', error: failure });
  };
  if (writeError === undefined && fd !== undefined) fsync(fd, (error) => durable(error?.message));
  else durable();
  try {
    reply({ id, kind: 'checked', ok: true, checked: checkInstance(bytes, source) });
  } catch (error) {
    reply({ id, kind: 'checked', ok: false, error: errorToWire(error) });
  }
});
