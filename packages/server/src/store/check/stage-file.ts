/**
 * Writing one instance to its staging file on this thread (the calling thread's libuv pool does
 * the system calls): the write starts at once, its fsync right after.
 */
import { open } from 'node:fs/promises';

/** A staging file being written: each promise settles with undefined or the error that stopped it. */
export interface StagedWrite {
  /** The bytes are in the file (the kernel's cache): it may be renamed. */
  readonly buffered: Promise<Error | undefined>;
  /** fsync done and the file closed: the data is on disk. */
  readonly durable: Promise<Error | undefined>;
}

export function stageFile(path: string, bytes: Uint8Array): StagedWrite {
  const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
  const handle = open(path, 'wx');
  const buffered = handle.then((h) => h.writeFile(bytes)).then(() => undefined, asError);
  const durable = (async (): Promise<Error | undefined> => {
    let h;
    try {
      h = await handle;
      const failure = await buffered;
      if (failure !== undefined) return failure;
      await h.sync();
      return undefined;
    } catch (error) {
      return asError(error);
    } finally {
      await h?.close().catch(() => undefined);
    }
  })();
  return { buffered, durable };
}
