/**
 * Spooling the parts of a browser upload (upload.ts): each part is read as it streams in and kept
 * in memory only while the upload's memory budget (`ArchiveLimits.uploadMemoryBytes`) lasts;
 * a part that would overrun it goes to a temporary file in the upload's own spool folder instead
 * (its chunks so far included), so a folder of several gigabytes never sits in memory. The parts
 * are read back one at a time when they are stored.
 *
 * The spool lives in the data folder (it holds patient data, like the store), under
 * `upload-spool/<random>/`; upload.ts removes a request's folder when the request ends, whatever
 * happens, and the whole `upload-spool/` at start-up (left by a crash).
 */
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { KeyholeError } from '@keyhole/core';

/** The memory an upload may still use for parts; shared by the parts of one request. */
export interface SpoolBudget {
  remainingBytes: number;
}

export interface SpoolPartOptions {
  /** Folder of this request's spool files (created on first use). */
  readonly dir: string;
  /** File name inside `dir`, unique within the request. */
  readonly name: string;
  readonly budget: SpoolBudget;
}

export interface SpooledPart {
  readonly size: number;
  /** The first bytes (up to 4): enough to tell a zip archive from a DICOM file. */
  readonly head: Uint8Array;
  /** Where the part lies: `memory` while the budget lasted, otherwise `disk`. */
  readonly where: 'memory' | 'disk';
  /** The part's bytes (read from its spool file when on disk). */
  read(): Promise<Uint8Array>;
  /** Gives the memory back, or deletes the spool file. */
  dispose(): Promise<void>;
}

export async function spoolPart(stream: Readable, options: SpoolPartOptions): Promise<SpooledPart> {
  const { budget } = options;
  const chunks: Buffer[] = [];
  let size = 0;
  let head = new Uint8Array(0);
  let file: FileHandle | undefined;
  const path = join(options.dir, options.name);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (head.length < 4) head = new Uint8Array([...head, ...chunk.subarray(0, 4 - head.length)]);
      size += chunk.length;
      if (file === undefined && size <= budget.remainingBytes) {
        chunks.push(chunk);
        continue;
      }
      if (file === undefined) {
        // Over budget: this part goes to disk, with what was kept of it so far.
        await mkdir(options.dir, { recursive: true });
        file = await open(path, 'wx');
        for (const kept of chunks) await file.write(kept);
        chunks.length = 0;
      }
      await file.write(chunk);
    }
  } catch (error) {
    await file?.close();
    if (file !== undefined) await rm(path, { force: true });
    throw error;
  }
  if (file !== undefined) {
    await file.close();
    return {
      size,
      head,
      where: 'disk',
      read: async () => new Uint8Array(await readFile(path)),
      dispose: async () => rm(path, { force: true }),
    };
  }
  budget.remainingBytes -= size;
  let bytes: Buffer | undefined = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return {
    size,
    head,
    where: 'memory',
    read: async () => {
      if (bytes === undefined) throw new KeyholeError('INTERNAL', { message: 'an upload part was read after it was disposed (a bug in upload.ts)' });
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    dispose: async () => {
      if (bytes !== undefined) budget.remainingBytes += size;
      bytes = undefined;
    },
  };
}
