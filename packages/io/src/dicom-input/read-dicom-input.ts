/**
 * readDicomInput: files, folders and zip archives → parsed DICOM instances, plus the problems met
 * on the way. One bad file (not DICOM, truncated, unreadable, an unsafe archive entry) becomes a
 * problem in the list and the rest of the batch is still read; only a call without paths throws.
 *
 * Files are read `limits.concurrency` at a time and parsed as they arrive. Of an uncompressed
 * file only the header is read here; its frames are read from the file when they are decoded
 * (read-file-start.ts). Other files are read whole (parsing does not copy pixel data). Results
 * keep the sorted input order.
 */
import { KeyholeError, asKeyholeError, parseDicom, type DicomInstance } from '@keyhole/core';
import { collectFiles, isSkippedName } from './collect-files.ts';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.ts';
import { rememberFilePath } from './file-backed.ts';
import { fileReadError, readFileStart, type FileStart } from './read-file-start.ts';
import { extractZipEntry, isZip, listZipEntries, unsafePathReason, type ExpansionBudget } from './zip-archive.ts';

export interface DicomInputProgress {
  /** Files (and archive entries) handled so far. */
  readonly done: number;
  /** Files known so far; grows when an archive is opened and its entries are counted. */
  readonly total: number;
  /** Bytes read from disk and from archives so far. */
  readonly bytes: number;
  /** The file or archive entry just handled. */
  readonly current: string;
}

export interface ReadDicomInputOptions {
  /** Files, folders (read recursively) and .zip archives. */
  readonly paths: readonly string[];
  /** Overrides for DEFAULT_INPUT_LIMITS. */
  readonly limits?: Partial<InputLimits>;
  readonly onProgress?: (progress: DicomInputProgress) => void;
}

export interface DicomInputResult {
  /** Parsed instances, in the sorted order of their files (archive entries in archive order). */
  readonly instances: DicomInstance[];
  /** Everything that could not be read, each naming its file or archive entry. */
  readonly problems: KeyholeError[];
  /** Files and archive entries examined (hidden files and DICOMDIR are not counted). */
  readonly filesSeen: number;
}

interface FileOutcome {
  readonly instances: DicomInstance[];
  readonly problems: KeyholeError[];
}

export async function readDicomInput(options: ReadDicomInputOptions): Promise<DicomInputResult> {
  if (options.paths.length === 0) {
    throw new KeyholeError('INVALID_ARGUMENT', { message: 'no input paths were given', path: 'paths' });
  }
  const limits: InputLimits = { ...DEFAULT_INPUT_LIMITS, ...options.limits };
  const collected = await collectFiles(options.paths);
  const progress = { done: 0, total: collected.files.length, bytes: 0, filesSeen: 0 };
  const budget: ExpansionBudget = { totalBytes: 0 };
  const report = (current: string): void => {
    progress.done += 1;
    options.onProgress?.({ done: progress.done, total: progress.total, bytes: progress.bytes, current });
  };

  const readOne = async (path: string): Promise<FileOutcome> => {
    let start: FileStart;
    try {
      start = await readFileStart(path);
    } catch (cause) {
      progress.filesSeen += 1;
      report(path);
      return { instances: [], problems: [fileReadError(cause, path, 'the file disappeared while reading')] };
    }
    if (start.kind === 'deferred') {
      progress.bytes += start.bytesRead;
      progress.filesSeen += 1;
      rememberFilePath(start.instance, path);
      report(path);
      return { instances: [start.instance], problems: [] };
    }
    const { bytes } = start;
    progress.bytes += bytes.length;
    if (isZip(bytes)) return readArchive(path, bytes);
    progress.filesSeen += 1;
    const outcome = parseOne(bytes, path);
    for (const instance of outcome.instances) rememberFilePath(instance, path);
    report(path);
    return outcome;
  };

  const readArchive = (path: string, bytes: Uint8Array): FileOutcome => {
    const instances: DicomInstance[] = [];
    const problems: KeyholeError[] = [];
    let entries;
    try {
      entries = listZipEntries(bytes, path, limits);
    } catch (error) {
      report(path);
      return { instances, problems: [asKeyholeError(error, 'ZIP_INVALID', path)] };
    }
    const files = entries.filter((entry) => !entry.name.endsWith('/'));
    const usable = files.filter((entry) => unsafePathReason(entry.name) !== undefined || !isSkippedName(entry.name));
    progress.total += usable.length - 1;
    if (usable.length === 0) {
      report(path);
      return { instances, problems: [new KeyholeError('EMPTY_INPUT', { file: path, message: 'the archive holds no files' })] };
    }
    let produced = 0;
    for (let i = 0; i < usable.length; i++) {
      const entry = usable[i] as (typeof usable)[number];
      const source = `${path}!/${entry.name}`;
      const unsafe = unsafePathReason(entry.name);
      if (unsafe !== undefined) {
        problems.push(new KeyholeError('ZIP_UNSAFE_PATH', { file: source, message: `entry refused: ${unsafe}`, details: { entry: entry.name } }));
        report(source);
        continue;
      }
      progress.filesSeen += 1;
      let content: Uint8Array;
      try {
        content = extractZipEntry({ bytes, entry, source, limits, budget, archiveProduced: produced, archiveSize: bytes.length });
      } catch (error) {
        const problem = asKeyholeError(error, 'ZIP_INVALID', source);
        problems.push(problem);
        report(source);
        if (problem.code === 'ZIP_EXPANSION_LIMIT') {
          // The archive cannot be trusted any further: its remaining entries are not inflated.
          const skipped = usable.length - i - 1;
          if (skipped > 0) problems.push(new KeyholeError('ZIP_EXPANSION_LIMIT', { file: path, message: `${skipped} further entr${skipped === 1 ? 'y was' : 'ies were'} not read after the expansion limit was reached`, details: { skipped } }));
          progress.done += skipped;
          break;
        }
        continue;
      }
      produced += content.length;
      progress.bytes += content.length;
      const outcome = parseOne(content, source);
      instances.push(...outcome.instances);
      problems.push(...outcome.problems);
      report(source);
    }
    return { instances, problems };
  };

  const outcomes = await mapWithConcurrency(collected.files, Math.max(1, limits.concurrency), readOne);
  const instances = outcomes.flatMap((outcome) => outcome.instances);
  const problems = [...collected.problems, ...outcomes.flatMap((outcome) => outcome.problems)];
  if (progress.filesSeen === 0 && problems.length === 0) {
    problems.push(new KeyholeError('EMPTY_INPUT', { message: `nothing to read in ${options.paths.join(', ')}` }));
  }
  return { instances, problems, filesSeen: progress.filesSeen };
}

function parseOne(bytes: Uint8Array, source: string): FileOutcome {
  try {
    return { instances: [parseDicom({ bytes, source })], problems: [] };
  } catch (error) {
    return { instances: [], problems: [asKeyholeError(error, 'DICOM_MALFORMED', source)] };
  }
}

/** Runs `task` over `items` with at most `concurrency` in flight; results in input order. */
async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
