/**
 * Reading stored instances back (WADO, DIMSE C-GET/C-MOVE, export). Every read re-checks the
 * SHA-256 recorded at store time, so a file changed or damaged on disk is refused rather than
 * served as if it were the original.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyholeError } from '@keyhole/core';
import { objectsDir, type Archive } from './archive.ts';

export interface StoredFile {
  readonly filePath: string;
  readonly sha256: string;
}

export async function readStoredInstance(archive: Archive, stored: StoredFile): Promise<Uint8Array> {
  const path = join(objectsDir(archive.dataDir), stored.filePath);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new KeyholeError('INTERNAL', { file: stored.filePath, message: `the stored file cannot be read: ${(error as Error).message}`, cause: error });
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== stored.sha256) {
    throw new KeyholeError('INTERNAL', { file: stored.filePath, message: 'the stored file does not match the checksum recorded when it was stored (damaged or changed on disk)' });
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
