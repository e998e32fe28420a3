import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old content or the new, never half of it:
 * write to a temporary sibling, then rename (atomic on POSIX file systems). A crash or a full
 * disk leaves what was there before untouched.
 */
export async function writeFileAtomic(path: string, content: Uint8Array | string | readonly Uint8Array[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  // Several parts (a NIfTI header and the voxels it describes) go out with writev, never joined in memory.
  const parts = typeof content === 'string' ? [Buffer.from(content)] : content instanceof Uint8Array ? [content] : content;
  const handle = await open(temp, 'w');
  try {
    try {
      let pending = parts.filter((part) => part.byteLength > 0);
      while (pending.length > 0) {
        const { bytesWritten } = await handle.writev(pending);
        pending = skipWritten(pending, bytesWritten);
      }
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** What is left of `parts` after `written` bytes went out (writev may write fewer than asked). */
function skipWritten(parts: readonly Uint8Array[], written: number): Uint8Array[] {
  const left: Uint8Array[] = [];
  let skip = written;
  for (const part of parts) {
    if (skip >= part.byteLength) {
      skip -= part.byteLength;
      continue;
    }
    left.push(skip > 0 ? part.subarray(skip) : part);
    skip = 0;
  }
  return left;
}
