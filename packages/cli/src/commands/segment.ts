import { segmentSpineCt, type SpineModel } from '@keyhole/core';
import { writeFileAtomic, writeNiftiFile } from '@keyhole/io';
import { createProgress } from '../progress.ts';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { loadCtVolume } from './drr-input.ts';

export interface SegmentCommandOptions {
  readonly paths: readonly string[];
  readonly output: string;
  readonly legend: string;
  /** Where to write the spine model JSON (landmarks in LPS mm). */
  readonly model?: string;
  readonly series?: string;
  /** Split TotalSegmentator's S1 segment off the sacrum (for comparisons with its output). */
  readonly splitS1: boolean;
}

/** Exit code when no spine was found or the coverage is insufficient: the input cannot be used as asked. */
const NO_SPINE_EXIT = EXIT.invalidInput;

/**
 * `keyhole segment INPUT -o SEG.nii.gz --legend LEGEND.json [--json MODEL.json]` (issue 5): vertebrae and discs of a
 * CT in the phantom's vocabulary (`L4`, `sacrum`, `L4-L5`, …) on the input's own grid, the legend as
 * `{"labels":[{"value":…,"name":…}]}`, and the spine model with the level count, its confidence and cues.
 * An unverified level count is said plainly: a person must confirm the numbering before planning. No spine
 * or too little coverage is a clear message and exit code 4, with nothing written but the model (if asked).
 * `--json` names the model file here (as the issue specifies), so the summary is always for people.
 */
export async function runSegment(options: SegmentCommandOptions): Promise<number> {
  const ctx = makeContext(false);
  try {
    const { volume, source } = await loadCtVolume({ paths: options.paths, ...(options.series !== undefined ? { series: options.series } : {}), interactive: ctx.interactive });
    const progress = createProgress({ enabled: ctx.interactive, title: 'segment' });
    let result;
    try {
      result = segmentSpineCt({ volume, settings: { splitS1Segment: options.splitS1 }, onProgress: (fraction, stage) => progress.update(fraction, stage) });
    } finally {
      progress.stop();
    }
    const { model } = result;
    if (options.model !== undefined) await writeFileAtomic(options.model, `${JSON.stringify(model, null, 2)}\n`);
    if (model.status !== 'ok' || result.labels === undefined) {
      process.stderr.write(`keyhole: ${model.status}: ${model.message}\n`);
      return NO_SPINE_EXIT;
    }
    await writeNiftiFile({ path: options.output, volumes: [result.labels], description: 'Keyhole spine segmentation' });
    await writeFileAtomic(options.legend, `${JSON.stringify(result.legend, null, 2)}\n`);
    ctx.out(summary(model, source, options));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, false);
  }
}

function summary(model: SpineModel, source: string, options: SegmentCommandOptions): string {
  const count = model.levelCount;
  const lines = [
    `${source} → ${options.output} (+ ${options.legend}${options.model !== undefined ? `, ${options.model}` : ''})`,
    `levels: ${count.labels.join(' ')}  (${count.pattern}, confidence ${count.confidence.toFixed(2)}, ${count.verified ? 'verified' : 'NOT VERIFIED — confirm the numbering before planning'})`,
  ];
  for (const cue of count.cues) lines.push(`  ${cue.found ? '+' : '-'} ${cue.kind}: ${cue.detail}`);
  for (const reason of count.reasons) lines.push(`  ! ${reason}`);
  for (const v of model.vertebrae) {
    lines.push(`  ${v.name.padEnd(7)} centroid ${v.centroid.map((c) => c.toFixed(1)).join(', ')} mm  ${v.volumeMl.toFixed(1)} ml${v.complete ? '' : '  (cut by the field of view)'}${v.labelVerified ? '' : '  unverified'}`);
  }
  for (const d of model.discs) lines.push(`  ${d.name.padEnd(7)} centre ${d.centre.map((c) => c.toFixed(1)).join(', ')} mm  height ${d.heightMm.toFixed(1)} mm`);
  return lines.join('\n');
}
