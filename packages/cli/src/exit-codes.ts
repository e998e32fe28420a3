import type { ErrorCode } from '@keyhole/core';

/**
 * Exit codes scripts can rely on (documented in the README):
 * 0 success · 1 internal error · 2 bad usage or arguments · 3 input not found or empty ·
 * 4 input invalid or unsupported (the message names the file) · 5 partial success: some
 * inputs were refused, the rest was processed.
 */
export const EXIT = { ok: 0, internal: 1, usage: 2, notFound: 3, invalidInput: 4, partial: 5 } as const;

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'INTERNAL') return EXIT.internal;
  if (code === 'VALIDATION_FAILED' || code === 'INVALID_ARGUMENT') return EXIT.usage;
  if (code === 'FILE_NOT_FOUND' || code === 'EMPTY_INPUT' || code === 'DICOM_SERIES_NOT_FOUND') return EXIT.notFound;
  return EXIT.invalidInput;
}
