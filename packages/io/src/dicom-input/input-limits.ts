/**
 * Limits on what one input may expand to. They exist for zip archives: an archive is small on
 * disk but may declare, or really inflate to, far more (a "zip bomb"). Plain files are bounded by
 * the disk they sit on and are not counted.
 */
export interface InputLimits {
  /** Most uncompressed bytes taken out of archives, all archives of one call together. */
  readonly maxTotalBytes: number;
  /** Most entries one archive may list. */
  readonly maxEntries: number;
  /** Most uncompressed bytes per compressed byte, for an archive as a whole (see below). */
  readonly maxExpansionRatio: number;
  /** Files read at the same time. */
  readonly concurrency: number;
}

/**
 * Defaults, and why:
 * - 4 GiB total: a large CT or MR study (3,000 slices of 512×512×16 bit is 1.5 GiB; a 4D enhanced
 *   MR a few GiB) fits; more than that would not fit in one Node process's memory anyway.
 * - 100,000 entries: large multi-series studies hold some 10,000–30,000 instances; 100,000 leaves
 *   room and still refuses archives built to exhaust memory with entry records.
 * - 200:1: deflate compresses real DICOM about 2–10:1 (CT and MR noise), rarely beyond 50:1 even
 *   for masks with empty background; deflate's ceiling is about 1,030:1, which is what bombs use.
 *   The ratio is judged on the archive as a whole once it has produced RATIO_FLOOR_BYTES, so that a
 *   tiny, very compressible entry (an empty report) is not mistaken for a bomb.
 * - 16 files at once: enough to keep an SSD or a network share busy without holding hundreds of
 *   files' bytes in memory at once.
 */
export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  maxTotalBytes: 4 * 1024 ** 3,
  maxEntries: 100_000,
  maxExpansionRatio: 200,
  concurrency: 16,
});

/** Below this many uncompressed bytes an archive's ratio is not judged (see DEFAULT_INPUT_LIMITS). */
export const RATIO_FLOOR_BYTES = 16 * 1024 * 1024;
