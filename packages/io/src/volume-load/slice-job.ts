/**
 * The messages between loadVolumeInThreads and its workers. Everything posted is plain data:
 * the slices as file paths and value mappings, the volume and the work counter as shared memory.
 */
export interface SliceJob {
  /** The instance's file (readDicomInput's path for it). */
  readonly path: string;
  readonly frame: number;
  readonly rows: number;
  readonly columns: number;
  readonly slope: number;
  readonly intercept: number;
}

/** One load, as posted to a worker. */
export interface SliceWorkerData {
  readonly jobs: readonly SliceJob[];
  /** The int16 volume, planes in slice order. */
  readonly volume: SharedArrayBuffer;
  /** The WebAssembly memory whose buffer `volume` is, when the SIMD kernel is in use. */
  readonly memory?: WebAssembly.Memory;
  /**
   * Int32 words: [0] next slice to claim, [1] 1 once some frame did not fit int16, then one word
   * per slice, set to 1 when its plane is written (a slice claimed by a worker that died is redone).
   */
  readonly state: SharedArrayBuffer;
  /** Slices claimed at a time. */
  readonly chunk: number;
}

export const NEXT = 0;
export const DID_NOT_FIT = 1;
export const DONE_BASE = 2;

/** Calling thread → worker. */
export type SliceWorkerRequest = { readonly kind: 'load'; readonly data: SliceWorkerData };

/** Worker → calling thread. */
export type SliceWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'progress'; readonly done: number }
  | { readonly kind: 'finished' }
  | { readonly kind: 'failed'; readonly error: { readonly code: string; readonly message: string; readonly file?: string; readonly details?: Record<string, unknown> } };
