/**
 * Reads TotalSegmentator's output in either of its forms and imports it into Keyhole's vocabulary:
 * - its default folder of per-structure masks (`segmentations/vertebrae_L4.nii.gz`, …): the file name
 *   is the structure name;
 * - its multi-label file (`--ml`, one `.nii.gz`), with the label json of its task (value → name,
 *   `labels-totalsegmentator-total.json` style). Without `labelsPath`, a `.json` beside the file with
 *   the same stem is used when there is one.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { importMasks, KeyholeError, type ImportLabelsResult, type MaskInput, type ReferenceGrid } from '@keyhole/core';
import { firstVolume, readBytes, readLabelMapFiles } from './label-map-files.ts';

export interface ReadTotalSegmentatorOptions {
  /** The output folder, or the multi-label `.nii`/`.nii.gz` file. */
  readonly path: string;
  /** Label json of a multi-label file. */
  readonly labelsPath?: string;
  /** Grid to put everything on (the CT the segmentation was made from); default the first mask's. */
  readonly reference?: ReferenceGrid;
}

const NIFTI = /\.nii(\.gz)?$/;

export async function readTotalSegmentatorOutput(options: ReadTotalSegmentatorOptions): Promise<ImportLabelsResult> {
  const info = await stat(options.path).catch((cause: NodeJS.ErrnoException) => {
    throw new KeyholeError(cause.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', { file: options.path, message: cause.code === 'ENOENT' ? 'no such file or folder' : String(cause), cause });
  });
  const reference = options.reference !== undefined ? { reference: options.reference } : {};
  if (info.isFile()) {
    const labelsPath = options.labelsPath ?? (await besideJson(options.path));
    if (labelsPath === undefined) {
      throw new KeyholeError('INVALID_ARGUMENT', { file: options.path, message: 'a multi-label segmentation needs its label json (value → name); pass it with --labels' });
    }
    return readLabelMapFiles({ path: options.path, legendPath: labelsPath, ...reference });
  }
  const names = (await readdir(options.path)).filter((name) => NIFTI.test(name) && !name.startsWith('.')).sort();
  if (names.length === 0) throw new KeyholeError('EMPTY_INPUT', { file: options.path, message: 'no .nii or .nii.gz masks in the folder' });
  const masks: MaskInput[] = [];
  for (const name of names) {
    const path = join(options.path, name);
    masks.push({ name: name.replace(NIFTI, ''), volume: firstVolume(await readBytes(path), path) });
  }
  return importMasks({ masks, source: options.path, ...reference });
}

async function besideJson(path: string): Promise<string | undefined> {
  const candidate = join(dirname(path), `${basename(path).replace(NIFTI, '')}.json`);
  return (await stat(candidate).then((s) => s.isFile()).catch(() => false)) ? candidate : undefined;
}
