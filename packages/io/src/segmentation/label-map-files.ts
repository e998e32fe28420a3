/**
 * The file boundary of label maps: a NIfTI label map with its legend JSON in, NIfTI + legend out
 * (the CLI's `SEG.nii.gz --legend LEGEND.json`), and a DICOM SEG file in.
 */
import { readFile } from 'node:fs/promises';
import {
  importLabelVolume, KeyholeError, legendToJson, parseDicom, readDicomSeg, readNifti, sourceNamesFromJson,
  type ImportLabelsResult, type LabelMap, type ReadDicomSegResult, type ReferenceGrid,
} from '@keyhole/core';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { writeNiftiFile } from '../files/nifti-files.ts';

export interface ReadLabelMapFilesOptions {
  /** `.nii` or `.nii.gz` label map. */
  readonly path: string;
  /** Legend JSON: Keyhole's `{"labels":[…]}` or TotalSegmentator's `{"1":"spleen",…}`. */
  readonly legendPath: string;
  /** Put the labels on this grid (the image they belong to). */
  readonly reference?: ReferenceGrid;
}

/** Reads a label map and its legend and maps the names onto Keyhole's vocabulary. */
export async function readLabelMapFiles(options: ReadLabelMapFilesOptions): Promise<ImportLabelsResult> {
  const [bytes, legendText] = await Promise.all([readBytes(options.path), readBytes(options.legendPath)]);
  const names = sourceNamesFromJson(parseJson(legendText, options.legendPath), options.legendPath);
  const volume = firstVolume(bytes, options.path);
  return importLabelVolume({ volume, names, source: options.path, ...(options.reference !== undefined ? { reference: options.reference } : {}) });
}

export interface WriteLabelMapFilesOptions {
  readonly labelMap: LabelMap;
  /** `.nii` or `.nii.gz`. */
  readonly path: string;
  readonly legendPath: string;
}

/** Writes the label map as NIfTI and its legend as JSON (both atomically). */
export async function writeLabelMapFiles(options: WriteLabelMapFilesOptions): Promise<void> {
  await writeNiftiFile({ path: options.path, volumes: [options.labelMap.volume], description: 'Keyhole label map' });
  await writeFileAtomic(options.legendPath, new TextEncoder().encode(legendToJson(options.labelMap.legend)));
}

export interface ReadDicomSegFileOptions {
  readonly path: string;
  readonly reference?: ReferenceGrid;
}

/** Reads a DICOM Segmentation file into a LabelMap. */
export async function readDicomSegFile(options: ReadDicomSegFileOptions): Promise<ReadDicomSegResult> {
  const instance = parseDicom({ bytes: await readBytes(options.path), source: options.path });
  return readDicomSeg({ instance, ...(options.reference !== undefined ? { reference: options.reference } : {}) });
}

export function firstVolume(bytes: Uint8Array, path: string): ReturnType<typeof readNifti>['volumes'][number] {
  const { volumes } = readNifti({ bytes, source: path, units: 'label' });
  const volume = volumes[0];
  if (volume === undefined || volumes.length > 1) {
    throw new KeyholeError('NIFTI_UNSUPPORTED', { file: path, message: `a label map is one 3D volume; this file holds ${volumes.length}` });
  }
  return volume;
}

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KeyholeError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', { file: path, message: code === 'ENOENT' ? 'no such file' : String(cause), cause });
  }
}

export function parseJson(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new KeyholeError('VALIDATION_FAILED', { file: path, path: '(root)', message: `not valid JSON: ${(cause as Error).message}`, cause });
  }
}
