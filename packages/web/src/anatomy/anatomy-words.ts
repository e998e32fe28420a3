/** The anatomy run and level count in words, for the Anatomy tab (kept apart so it can be tested). */
import type { AnatomyStatus, LevelCount } from '../api/anatomy.ts';

export function anatomyStatusLine(run: AnatomyStatus | undefined): string {
  if (run === undefined) return 'The spine has not been looked for in this series yet.';
  switch (run.state) {
    case 'running':
      return `Finding the spine: ${run.stage} (${Math.round(run.progress * 100)} %).`;
    case 'done':
      return run.message;
    case 'no-spine':
      return `No usable spine: ${run.message}`;
    case 'interrupted':
      return `Interrupted: ${run.message}`;
    case 'failed':
      return `Failed: ${run.message}`;
  }
}

/** "verified by its cues (confidence 0.90)" or the plain warning when it is not. */
export function confidenceWords(count: LevelCount): string {
  const confidence = `confidence ${count.confidence.toFixed(2)}`;
  return count.verified ? `numbering verified by its cues (${confidence})` : `numbering NOT verified (${confidence}): confirm it on the images before planning`;
}
