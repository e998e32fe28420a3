/** What passes between the archive's thread and an intake worker (structured-clone friendly). */
import { KeyholeError, keyholeErrorFromParts } from '@keyhole/core';
import type { CheckedInstance, CheckFailure } from './check-instance.ts';

/** Write `bytes` to `stagingPath` (a new file), fsync it, and check the instance. */
export interface StageRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly source: string;
  readonly stagingPath: string;
}

export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly path?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly sopInstanceUid?: string;
}

/**
 * Three replies per request, in this order: the bytes are in the file (`written`), the checks'
 * outcome (`checked`), the fsync is done and the file closed (`durable`). A failed write is
 * reported by `written` and again by `durable`; its instance is still checked.
 */
export type StageReply =
  | { readonly id: number; readonly kind: 'written' | 'durable'; readonly error?: string }
  | { readonly id: number; readonly kind: 'checked'; readonly ok: true; readonly checked: CheckedInstance }
  | { readonly id: number; readonly kind: 'checked'; readonly ok: false; readonly error: WireError };

export function errorToWire(error: unknown): WireError {
  if (error instanceof KeyholeError) {
    const sop = (error as CheckFailure).sopInstanceUid;
    return {
      code: error.code,
      message: error.message,
      ...(error.file !== undefined ? { file: error.file } : {}),
      ...(error.path !== undefined ? { path: error.path } : {}),
      ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
      ...(sop !== undefined ? { sopInstanceUid: sop } : {}),
    };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** The KeyholeError a worker reported, rebuilt on this thread with the same code, message, file and SOP Instance UID. */
export function errorFromWire(wire: WireError): CheckFailure {
  return Object.assign(keyholeErrorFromParts(wire), wire.sopInstanceUid !== undefined ? { sopInstanceUid: wire.sopInstanceUid } : {});
}
