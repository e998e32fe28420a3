/**
 * Expands the paths given by the user into the files to read: files as given, folders
 * recursively in sorted order (so results do not depend on the file system's listing order).
 * Skipped: hidden names (starting with "."), and DICOMDIR (a media index, PS3.10 §8.6, with no
 * images of its own). Missing paths and empty folders become problems, not exceptions.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyholeError } from '@keyhole/core';

export interface CollectedFiles {
  readonly files: string[];
  readonly problems: KeyholeError[];
}

export function isSkippedName(name: string): boolean {
  const base = name.split('/').pop() ?? name;
  return base.startsWith('.') || base.toUpperCase() === 'DICOMDIR' || name.split('/').some((segment) => segment === '__MACOSX' || segment.startsWith('.'));
}

export async function collectFiles(paths: readonly string[]): Promise<CollectedFiles> {
  const files: string[] = [];
  const problems: KeyholeError[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      problems.push(code === 'ENOENT' || code === 'ENOTDIR'
        ? new KeyholeError('FILE_NOT_FOUND', { file: path, message: 'no such file or folder', cause })
        : new KeyholeError('FILE_UNREADABLE', { file: path, message: `cannot be read (${code ?? String(cause)})`, cause }));
      continue;
    }
    if (info.isDirectory()) {
      const found = await walk(path, problems);
      if (found.length === 0) problems.push(new KeyholeError('EMPTY_INPUT', { file: path, message: 'the folder holds no files (hidden files and DICOMDIR are not read)' }));
      files.push(...found);
    } else if (info.isFile()) {
      files.push(path);
    } else {
      problems.push(new KeyholeError('FILE_UNREADABLE', { file: path, message: 'is neither a file nor a folder' }));
    }
  }
  return { files, problems };
}

async function walk(folder: string, problems: KeyholeError[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (cause) {
    problems.push(new KeyholeError('FILE_UNREADABLE', { file: folder, message: `the folder cannot be listed (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause }));
    return [];
  }
  const names = entries.filter((entry) => !isSkippedName(entry.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of names) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path, problems)));
    else if (entry.isFile()) files.push(path);
    else if (entry.isSymbolicLink()) {
      // Follow links to files (PACS exports use them); links to folders are not followed, to avoid cycles.
      try {
        if ((await stat(path)).isFile()) files.push(path);
      } catch {
        problems.push(new KeyholeError('FILE_NOT_FOUND', { file: path, message: 'a broken symbolic link' }));
      }
    }
  }
  return files;
}
