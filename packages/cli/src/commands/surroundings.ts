import { segmentSpineCt, segmentSurroundingsCt, SURROUNDINGS_KEEP_OUT_NAMES } from '@keyhole/core';
import { writeFileAtomic, writeNiftiFile } from '@keyhole/io';
import { createProgress } from '../progress.ts';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { loadCtVolume } from './drr-input.ts';

export interface SurroundingsCommandOptions {
  readonly paths: readonly string[];
  readonly output: string;
  readonly legend: string;
  readonly series?: string;
}

/**
 * `keyhole surroundings CT -o LABELS.nii.gz --legend L.json` (issues 5 and 7): the spine (segmentSpineCt) and what
 * surrounds it on a native CT (segmentSurroundingsCt: body, subcutaneous fat, abdominal wall, paraspinal and
 * psoas muscles, and the keep-out unions) as one label map in the phantom vocabulary, for `keyhole plan --labels`.
 * No spine found: exit code 4 and nothing written, as `keyhole segment` does.
 */
export async function runSurroundings(options: SurroundingsCommandOptions): Promise<number> {
  const ctx = makeContext(false);
  try {
    const { volume, source } = await loadCtVolume({ paths: options.paths, ...(options.series !== undefined ? { series: options.series } : {}), interactive: ctx.interactive });
    const progress = createProgress({ enabled: ctx.interactive, title: 'surroundings' });
    let spine;
    try {
      spine = segmentSpineCt({ volume, onProgress: (fraction, stage) => progress.update(fraction * 0.8, stage) });
    } finally {
      progress.stop();
    }
    if (spine.model.status !== 'ok' || spine.labels === undefined) {
      process.stderr.write(`keyhole: ${spine.model.status}: ${spine.model.message}\n`);
      return EXIT.invalidInput;
    }
    const result = segmentSurroundingsCt({ volume, spine });
    await writeNiftiFile({ path: options.output, volumes: [result.labels], description: 'Keyhole spine and surroundings' });
    await writeFileAtomic(options.legend, `${JSON.stringify(result.legend, null, 2)}\n`);
    const count = spine.model.levelCount;
    ctx.out([
      `${source} → ${options.output} (+ ${options.legend})`,
      `levels: ${count.labels.join(' ')}  (${count.verified ? 'verified' : 'NOT VERIFIED — confirm the numbering before planning'})`,
      `structures: ${result.legend.labels.map((l) => l.name).join(', ')}`,
      `keep-out (treat as keep-out when planning): ${SURROUNDINGS_KEEP_OUT_NAMES.join(', ')}`,
      ...result.notes.map((n) => `  ! ${n}`),
    ].join('\n'));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, false);
  }
}
