/**
 * Reading a JSON document a command was given (an examination, findings, a legend, a spine model):
 * a missing file is FILE_NOT_FOUND, an unreadable one FILE_UNREADABLE, text that is not JSON the
 * code the caller names (the document's own validation code, or INVALID_ARGUMENT).
 */
import { readFile } from 'node:fs/promises';
import { KeyholeError, type ErrorCode } from '@keyhole/core';

export interface ReadJsonFileOptions {
  /** Error code for text that is not JSON (default INVALID_ARGUMENT). */
  readonly invalid?: ErrorCode;
  /** The option that named the file (`--legend`), as the error's path. */
  readonly path?: string;
  /** What the document is, for the message ("the legend"). */
  readonly what?: string;
}

export async function readJsonFile(file: string, options: ReadJsonFileOptions = {}): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new KeyholeError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', { file, message: code === 'ENOENT' ? 'no such file' : String(error), cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new KeyholeError(options.invalid ?? 'INVALID_ARGUMENT', {
      file,
      ...(options.path !== undefined ? { path: options.path } : {}),
      message: `${options.what !== undefined ? `${options.what} is ` : ''}not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      cause: error,
    });
  }
}
