/**
 * Upload of DICOM files, folders and zip archives through the server's `POST /api/upload`
 * (multipart/form-data). One request per picked file: the browser reports each file's progress
 * (XMLHttpRequest upload events, which fetch does not offer) and the server's answer gives each
 * file — or each entry of a zip — its own result, so one bad file never hides the others.
 */
import { connection } from './connection.ts';
import type { ServerErrorBody } from './client.ts';

export interface UploadEntryResult {
  readonly source: string;
  readonly status: 'stored' | 'duplicate' | 'failed' | 'skipped';
  readonly studyUid?: string;
  readonly seriesUid?: string;
  readonly error?: { code?: string; message?: string };
  /** Identifiers Keyhole assigned to the file (only when the upload asked for assignMissingUids), by keyword. */
  readonly assigned?: Readonly<Record<string, string>>;
}

export interface UploadResponse {
  readonly stored: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly files: UploadEntryResult[];
}

export type UploadOutcome =
  | { readonly kind: 'done'; readonly response: UploadResponse }
  | { readonly kind: 'refused'; readonly status: number; readonly error: ServerErrorBody }
  | { readonly kind: 'network' };

export interface UploadFileOptions {
  /**
   * Ask the server to give files whose identifying UIDs are missing new, deterministic ones
   * (`?assignMissingUids=true`). Only ever set by an explicit choice of the user.
   */
  readonly assignMissingUids?: boolean;
}

export function uploadFile(file: File, name: string, onProgress: (fraction: number) => void, options: UploadFileOptions = {}): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', options.assignMissingUids === true ? '/api/upload?assignMissingUids=true' : '/api/upload');
    xhr.withCredentials = true;
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => {
      connection.reportFailure();
      resolve({ kind: 'network' });
    };
    xhr.onload = () => {
      connection.reportSuccess();
      const body = xhr.response as unknown;
      if (xhr.status === 200) {
        onProgress(1);
        resolve({ kind: 'done', response: body as UploadResponse });
        return;
      }
      if (xhr.status === 401) connection.reportSignedOut();
      const error = body !== null && typeof body === 'object' && 'message' in body ? (body as ServerErrorBody) : { code: `HTTP_${xhr.status}`, message: `the server answered ${xhr.status}` };
      resolve({ kind: 'refused', status: xhr.status, error });
    };
    const form = new FormData();
    form.append('file', file, name);
    xhr.send(form);
  });
}

/** Runs `task` over `items` with at most `limit` at a time, in order of start. */
export async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
