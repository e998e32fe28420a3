import { ERROR_CATALOGUE, type ErrorCode } from './catalogue.ts';

export interface KeyholeErrorOptions {
  /** The specific problem, in words a user can act on. */
  readonly message: string;
  /** The file (or archive entry) the problem is in, when there is one. */
  readonly file?: string;
  /** For validation errors: the path of the bad field, for example `plan.entry.x`. */
  readonly path?: string;
  /** Machine-readable specifics (numbers, tags) for scripts and the API. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * The one error class Keyhole throws. `message` names the file and the problem;
 * `code` is stable (see the catalogue) so scripts and the API can branch on it.
 */
export class KeyholeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly hint: string;
  readonly file: string | undefined;
  readonly path: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, options: KeyholeErrorOptions) {
    const spec = ERROR_CATALOGUE[code];
    const where = [options.file, options.path !== undefined ? `at ${options.path}` : undefined]
      .filter((part) => part !== undefined)
      .join(' ');
    super(where.length > 0 ? `${where}: ${options.message}` : options.message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'KeyholeError';
    this.code = code;
    this.status = spec.status;
    this.title = spec.title;
    this.hint = spec.hint;
    this.file = options.file;
    this.path = options.path;
    this.details = options.details ?? {};
  }

  /** A plain object for JSON output (`--json`, API responses). */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      status: this.status,
      title: this.title,
      message: this.message,
      hint: this.hint,
      ...(this.file !== undefined ? { file: this.file } : {}),
      ...(this.path !== undefined ? { path: this.path } : {}),
      ...(Object.keys(this.details).length > 0 ? { details: this.details } : {}),
    };
  }
}

export function isKeyholeError(value: unknown): value is KeyholeError {
  return value instanceof KeyholeError;
}

/** Re-throws anything as a KeyholeError attached to `file`, keeping Keyhole errors as they are. */
export function asKeyholeError(value: unknown, fallback: ErrorCode, file?: string): KeyholeError {
  if (value instanceof KeyholeError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new KeyholeError(fallback, { message, ...(file !== undefined ? { file } : {}), cause: value });
}

/** A KeyholeError as it crosses a thread or process boundary (structured clone drops the class). */
export interface KeyholeErrorParts {
  readonly code: string;
  /** The whole message, as `error.message` had it (with its "<file> at <path>: " prefix). */
  readonly message: string;
  readonly file?: string;
  readonly path?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Rebuilds the error on this side with the same code, message, file, path and details (the prefix is not doubled). */
export function keyholeErrorFromParts(parts: KeyholeErrorParts): KeyholeError {
  const where = [parts.file, parts.path !== undefined ? `at ${parts.path}` : undefined].filter((part) => part !== undefined).join(' ');
  const prefix = where.length > 0 ? `${where}: ` : '';
  const code = (parts.code in ERROR_CATALOGUE ? parts.code : 'INTERNAL') as ErrorCode;
  return new KeyholeError(code, {
    message: prefix !== '' && parts.message.startsWith(prefix) ? parts.message.slice(prefix.length) : parts.message,
    ...(parts.file !== undefined ? { file: parts.file } : {}),
    ...(parts.path !== undefined ? { path: parts.path } : {}),
    ...(parts.details !== undefined ? { details: parts.details } : {}),
  });
}
