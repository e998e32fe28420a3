import { readFile } from 'node:fs/promises';
import { findingsFromLabelMap, formatFindingsTables, KeyholeError, loadVolume, type LegendInput, type Volume } from '@keyhole/core';
import { createNodeCodecRegistry, readNiftiFile, writeFileAtomic } from '@keyhole/io';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { selectSeries } from './convert.ts';
import { catalogueInputs } from './read-inputs.ts';

export interface AnalyzeCommandOptions {
  readonly paths: readonly string[];
  /** Spine label map on the study's grid (keyhole segment's output, a phantom's truth, an imported TotalSegmentator map). */
  readonly labels?: string;
  readonly legend?: string;
  readonly series?: string;
  /** Write the whole result (per-level measurements, key images, notes) here. */
  readonly report?: string;
  readonly json: boolean;
}

/**
 * `keyhole analyze STUDY --labels SEG.nii.gz --legend LEGEND.json [--json] [--report FILE]` (issue 6): measurements
 * and graded findings per level. `--json` prints the imaging findings document that `keyhole correlate --findings`
 * reads; without it the per-level tables. A study without an anatomy model is refused with what to do.
 */
export async function runAnalyze(options: AnalyzeCommandOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    if (options.labels === undefined) {
      throw new KeyholeError('FINDINGS_NEED_ANATOMY', { message: 'findings need an anatomy model: run keyhole segment or pass --labels SEG.nii.gz --legend LEGEND.json' });
    }
    if (options.legend === undefined) throw new KeyholeError('INVALID_ARGUMENT', { path: '--legend', message: 'a label map needs its legend: pass --legend LEGEND.json ({"labels":[{"value":…,"name":…}]} or {"value":"name"})' });
    const image = await loadStudyVolume(options);
    const { volumes } = await readNiftiFile({ path: options.labels, units: 'label' });
    const labels = volumes[0];
    if (labels === undefined) throw new KeyholeError('NIFTI_UNSUPPORTED', { file: options.labels, message: 'the file holds no volume' });
    const legend = await readLegend(options.legend);
    const result = findingsFromLabelMap({ image, labels, legend });
    if (options.report !== undefined) await writeFileAtomic(options.report, `${JSON.stringify(result, null, 2)}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify(result.findings, null, 2)}\n`);
    else ctx.out(formatFindingsTables(result));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}

async function loadStudyVolume(options: AnalyzeCommandOptions): Promise<Volume> {
  const [first] = options.paths;
  if (options.paths.length === 1 && first !== undefined && /\.nii(\.gz)?$/i.test(first)) {
    const { volumes } = await readNiftiFile({ path: first, units: 'HU' });
    const volume = volumes[0];
    if (volume === undefined) throw new KeyholeError('NIFTI_UNSUPPORTED', { file: first, message: 'the file holds no volume' });
    return volume;
  }
  const catalogue = await catalogueInputs({ paths: options.paths, interactive: false });
  if (catalogue.instances.length === 0) throw catalogue.fileProblems[0] ?? new KeyholeError('EMPTY_INPUT', { message: `no DICOM images in ${options.paths.join(', ')}` });
  const chosen = selectSeries(catalogue.series, options.series);
  const descriptor = chosen.entry.volumeSets[0]?.volumes[0];
  if (descriptor === undefined) throw new KeyholeError('DICOM_SERIES_INCONSISTENT', { message: `series ${chosen.number} holds no volume` });
  return loadVolume({ volume: descriptor, codecs: await createNodeCodecRegistry() });
}

async function readLegend(file: string): Promise<LegendInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new KeyholeError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', { file, message: code === 'ENOENT' ? 'no such file' : String(error), cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KeyholeError('INVALID_ARGUMENT', { file, path: '--legend', message: `the legend is not valid JSON (${error instanceof Error ? error.message : String(error)})` });
  }
  const ok = typeof parsed === 'object' && parsed !== null && (Array.isArray((parsed as { labels?: unknown }).labels) || Object.values(parsed).every((v) => typeof v === 'string'));
  if (!ok) throw new KeyholeError('INVALID_ARGUMENT', { file, path: '--legend', message: 'expected {"labels":[{"value":…,"name":…}]} or {"value":"name"}' });
  return parsed as LegendInput;
}
