/**
 * `keyhole labels …`: label maps in and out of Keyhole's anatomy vocabulary.
 * - `labels import TOTALSEG_OUTPUT -o SEG.nii.gz --legend LEGEND.json [--labels LABELS.json] [--reference IMAGE…]`
 *   TotalSegmentator's folder of masks or multi-label file (or any NIfTI label map with a legend) → NIfTI + legend;
 * - `labels to-seg SEG.nii.gz --legend LEGEND.json --reference DICOM… -o seg.dcm` → DICOM SEG referencing the series;
 * - `labels from-seg seg.dcm -o SEG.nii.gz --legend LEGEND.json [--reference IMAGE…]` → NIfTI + legend.
 */
import {
  KeyholeError, referenceGridOf, segSourceFromInstances, writeDicomSeg, type ImportLabelsResult, type ReferenceGrid, type SegSourceSeries,
} from '@keyhole/core';
import { readDicomSegFile, readLabelMapFiles, readNiftiFile, readTotalSegmentatorOutput, writeFileAtomic, writeLabelMapFiles } from '@keyhole/io';
import { EXIT, makeContext, reportError, type CommandContext } from '../run-command.ts';
import { selectSeries } from './convert.ts';
import { catalogueInputs } from './read-inputs.ts';

export interface LabelsImportOptions {
  readonly input: string;
  readonly output: string;
  readonly legend: string;
  readonly labels?: string;
  readonly reference?: readonly string[];
  readonly series?: string;
  readonly json: boolean;
}

export async function runLabelsImport(options: LabelsImportOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    checkOutputs(options.output, options.legend);
    const reference = options.reference !== undefined && options.reference.length > 0 ? await referenceFrom(options.reference, options.series, ctx) : undefined;
    const result = await readTotalSegmentatorOutput({
      path: options.input,
      ...(options.labels !== undefined ? { labelsPath: options.labels } : {}),
      ...(reference !== undefined ? { reference: reference.grid } : {}),
    });
    await writeLabelMapFiles({ labelMap: result.labelMap, path: options.output, legendPath: options.legend });
    report(ctx, options, result);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}

export interface LabelsToSegOptions {
  readonly input: string;
  readonly legend: string;
  readonly reference: readonly string[];
  readonly output: string;
  readonly series?: string;
  readonly algorithm?: string;
  readonly manual?: boolean;
  readonly json: boolean;
}

export async function runLabelsToSeg(options: LabelsToSegOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    if (!options.output.endsWith('.dcm')) throw new KeyholeError('INVALID_ARGUMENT', { path: '-o', message: `output ${options.output} must end in .dcm` });
    const reference = await referenceFrom(options.reference, options.series, ctx);
    if (reference.source === undefined) {
      throw new KeyholeError('INVALID_ARGUMENT', { path: '--reference', message: 'a DICOM SEG references its source series: pass the DICOM files, folder or zip of that series' });
    }
    const imported = await readLabelMapFiles({ path: options.input, legendPath: options.legend, reference: reference.grid });
    for (const warning of imported.warnings) ctx.note(`note: ${warning}`);
    const now = new Date();
    const created = { date: now.toISOString().slice(0, 10).replace(/-/g, ''), time: now.toISOString().slice(11, 19).replace(/:/g, '') };
    const seg = writeDicomSeg({
      labelMap: imported.labelMap,
      source: reference.source,
      created,
      algorithm: options.manual === true ? { type: 'MANUAL' } : { type: 'AUTOMATIC', name: options.algorithm ?? 'Keyhole' },
      uidKey: `seg/${reference.source.seriesInstanceUid}/${created.date}${created.time}/${options.input}`,
    });
    await writeFileAtomic(options.output, seg.file.bytes);
    const summary = {
      ok: true, output: options.output, sopInstanceUid: seg.sopInstanceUid, seriesInstanceUid: seg.seriesInstanceUid,
      referencedSeriesInstanceUid: reference.source.seriesInstanceUid, frames: seg.frames, framesWithSourceImage: seg.framesWithSourceImage,
      segments: seg.segments, warnings: imported.warnings,
    };
    if (options.json) ctx.out(JSON.stringify(summary, null, 2));
    else {
      ctx.out(`${options.output}: DICOM SEG, ${seg.segments.length} segments, ${seg.frames} frames (${seg.framesWithSourceImage} derived from a source image) on series ${reference.source.seriesInstanceUid}`);
      for (const s of seg.segments) ctx.out(`  ${String(s.number).padStart(3)}  ${s.name}  (${s.frames} frames)`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}

export interface LabelsFromSegOptions {
  readonly input: string;
  readonly output: string;
  readonly legend: string;
  readonly reference?: readonly string[];
  readonly series?: string;
  readonly json: boolean;
}

export async function runLabelsFromSeg(options: LabelsFromSegOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    checkOutputs(options.output, options.legend);
    const reference = options.reference !== undefined && options.reference.length > 0 ? await referenceFrom(options.reference, options.series, ctx) : undefined;
    const result = await readDicomSegFile({ path: options.input, ...(reference !== undefined ? { reference: reference.grid } : {}) });
    await writeLabelMapFiles({ labelMap: result.labelMap, path: options.output, legendPath: options.legend });
    const summary = { ok: true, output: options.output, legend: options.legend, segments: result.segments.map(({ type: _type, ...s }) => s), overlappingVoxels: result.overlappingVoxels, warnings: result.warnings };
    if (options.json) ctx.out(JSON.stringify(summary, null, 2));
    else {
      ctx.out(`${options.output}: ${result.segments.length} segments read from ${options.input}; legend in ${options.legend}`);
      for (const s of result.segments) ctx.out(`  ${s.label}${s.name !== s.label ? ` → ${s.name}` : ''}${s.foreign ? ' (no Keyhole name; kept)' : ''}`);
      for (const warning of result.warnings) ctx.note(`note: ${warning}`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}

interface Reference {
  readonly grid: ReferenceGrid;
  /** The DICOM series, when the reference is DICOM. */
  readonly source?: SegSourceSeries;
}

/** The grid (and, for DICOM, the series to reference) of `--reference`: a NIfTI file or DICOM input. */
async function referenceFrom(paths: readonly string[], series: string | undefined, ctx: CommandContext): Promise<Reference> {
  const [first] = paths;
  if (paths.length === 1 && first !== undefined && /\.nii(\.gz)?$/i.test(first)) {
    const volume = (await readNiftiFile({ path: first })).volumes[0];
    if (volume === undefined) throw new KeyholeError('NIFTI_UNSUPPORTED', { file: first, message: 'the file holds no volume' });
    return { grid: volume };
  }
  const catalogue = await catalogueInputs({ paths, interactive: ctx.interactive });
  if (catalogue.instances.length === 0) throw catalogue.fileProblems[0] ?? new KeyholeError('EMPTY_INPUT', { message: `no DICOM images in ${paths.join(', ')}` });
  const chosen = selectSeries(catalogue.series, series);
  const descriptor = chosen.entry.volumeSets[0]?.volumes[0];
  if (descriptor === undefined) throw new KeyholeError('DICOM_SERIES_INCONSISTENT', { message: `series ${chosen.number} holds no volume` });
  const uid = chosen.entry.seriesInstanceUid;
  const instances = catalogue.instances.filter((instance) => (instance.dataset.string('x0020000e') ?? '') === uid);
  return { grid: referenceGridOf(descriptor.geometry.grid), source: segSourceFromInstances({ instances }) };
}

function checkOutputs(output: string, legend: string): void {
  if (!/\.nii(\.gz)?$/.test(output)) throw new KeyholeError('INVALID_ARGUMENT', { path: '-o', message: `output ${output} must end in .nii or .nii.gz` });
  if (!legend.endsWith('.json')) throw new KeyholeError('INVALID_ARGUMENT', { path: '--legend', message: `legend ${legend} must end in .json` });
}

function report(ctx: CommandContext, options: LabelsImportOptions, result: ImportLabelsResult): void {
  const summary = {
    ok: true, output: options.output, legend: options.legend, resampled: result.resampled,
    structures: result.structures.filter((s) => s.voxels > 0), foreign: result.foreign, merged: result.merged, warnings: result.warnings,
  };
  if (options.json) {
    ctx.out(JSON.stringify(summary, null, 2));
    return;
  }
  const mapped = summary.structures.filter((s) => !s.foreign);
  ctx.out(`${options.output}: ${result.labelMap.legend.labels.length} structures (${mapped.length} mapped to Keyhole names, ${result.foreign.length} kept under their own names); legend in ${options.legend}`);
  for (const s of mapped) ctx.out(`  ${s.source.padEnd(28)} → ${s.name}${s.note !== undefined ? '  (approximate)' : ''}`);
  if (result.foreign.length > 0) ctx.out(`  kept (no Keyhole name): ${result.foreign.join(', ')}`);
  for (const warning of result.warnings) ctx.note(`note: ${warning}`);
}
