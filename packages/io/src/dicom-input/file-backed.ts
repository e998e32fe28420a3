/**
 * Which parsed instances are plain files on disk, and where. A loader that spreads a series over
 * worker threads sends them file paths (instances hold functions and cannot be posted), so it
 * needs to know that a path names the instance's own file: archive entries and in-memory
 * instances are not in this map and are always loaded in the calling thread.
 */
import type { DicomInstance } from '@keyhole/core';

const filePaths = new WeakMap<DicomInstance, string>();

export function rememberFilePath(instance: DicomInstance, path: string): void {
  filePaths.set(instance, path);
}

/** The file the instance was read from, when it was read from a plain file by readDicomInput. */
export function filePathOf(instance: DicomInstance): string | undefined {
  return filePaths.get(instance);
}
