/**
 * Talking to the Keyhole server (same origin; the httpOnly session cookie authenticates the
 * browser). Every failure becomes an ApiError carrying the server's error body
 * (`{ code, title, message, hint, path }`, see core/errors) or, when the server cannot be reached,
 * code NETWORK; the connection monitor hears about both so the app can say the server is gone.
 */
import { connection } from './connection.ts';

export interface ServerErrorBody {
  readonly code: string;
  readonly title?: string;
  readonly message: string;
  readonly hint?: string;
  readonly path?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | undefined;
  readonly path: string | undefined;
  constructor(status: number, body: ServerErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.hint = body.hint;
    this.path = body.path;
  }
}

/** A sentence for the user: what went wrong and what to do, by the cases the UI must explain. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.code === 'NETWORK') return 'The Keyhole server cannot be reached. Check the network or that the server is running; your work on screen is kept.';
  if (error.status === 401) return 'Your session has ended. Sign in again.';
  if (error.status === 403) return `You are not allowed to do this: ${error.message}. Ask an administrator for access.`;
  if (error.status === 404) return `Not found: ${error.message}.`;
  return `${error.message}${error.hint !== undefined && error.hint !== '' ? ` — ${error.hint}` : ''}`;
}

async function errorBody(response: Response): Promise<ServerErrorBody> {
  try {
    const body = (await response.json()) as Partial<ServerErrorBody>;
    if (typeof body.code === 'string' && typeof body.message === 'string') return body as ServerErrorBody;
  } catch {
    // not JSON: fall through
  }
  return { code: `HTTP_${response.status}`, message: `the server answered ${response.status} ${response.statusText}` };
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

/** A GET whose answer is bytes (a stored DICOM file), with the same error handling as api(). */
export async function apiBytes(path: string, accept: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', headers: { accept } });
  } catch {
    connection.reportFailure();
    throw new ApiError(0, { code: 'NETWORK', message: 'the server cannot be reached' });
  }
  connection.reportSuccess();
  if (!response.ok) {
    const error = new ApiError(response.status, await errorBody(response));
    if (response.status === 401) connection.reportSignedOut();
    throw error;
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** JSON request to the API; resolves with the parsed body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        accept: options.accept ?? 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    connection.reportFailure();
    throw new ApiError(0, { code: 'NETWORK', message: 'the server cannot be reached' });
  }
  connection.reportSuccess();
  if (!response.ok) {
    const error = new ApiError(response.status, await errorBody(response));
    if (response.status === 401) connection.reportSignedOut();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
