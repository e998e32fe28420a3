/**
 * A label map: a Volume of integer labels (units `label`, LPS like every volume) and the legend
 * that names its values. What Keyhole imports from other tools (TotalSegmentator, any NIfTI + legend,
 * DICOM SEG) and exports (NIfTI + legend, DICOM SEG) is a LabelMap.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import type { VoxelArray } from '../volume/voxel-array.ts';
import { MAX_LABEL_VALUE, type SegmentationLegend } from './legend.ts';

export interface LabelMap {
  /** Integer voxels (uint8 or uint16), units `label`. */
  readonly volume: Volume;
  readonly legend: SegmentationLegend;
}

export interface CreateLabelMapOptions {
  readonly volume: Volume;
  readonly legend: SegmentationLegend;
  /** Where the data came from, named in errors. */
  readonly source?: string;
  /** Drop legend entries whose value no voxel holds (default false: the legend is kept as given). */
  readonly pruneLegend?: boolean;
}

/**
 * Checks that every voxel value is a legend value (or 0) and stores the voxels as uint8/uint16
 * with units `label`. A value without a legend entry is refused: a label map whose structures have
 * no names cannot be used safely.
 */
export function createLabelMap(options: CreateLabelMapOptions): LabelMap {
  const { volume, legend } = options;
  const counts = countLabels(volume.data, options.source ?? 'label map');
  const known = new Set(legend.labels.map((entry) => entry.value));
  const unnamed = [...counts.keys()].filter((value) => value !== 0 && !known.has(value)).sort((a, b) => a - b);
  if (unnamed.length > 0) {
    throw new KeyholeError('VALIDATION_FAILED', {
      ...(options.source !== undefined ? { file: options.source } : {}),
      path: 'labels',
      message: `the legend names no structure for value${unnamed.length > 1 ? 's' : ''} ${unnamed.slice(0, 10).join(', ')}${unnamed.length > 10 ? ', …' : ''} found in the voxels; add an entry for each value`,
      details: { unnamedValues: unnamed },
    });
  }
  const max = Math.max(0, ...legend.labels.map((entry) => entry.value));
  const data = toLabelArray(volume.data, max);
  const labels = options.pruneLegend === true ? legend.labels.filter((entry) => counts.has(entry.value)) : legend.labels;
  return {
    volume: createVolume({ ...volume, data, units: 'label' }),
    legend: { labels: [...labels].sort((a, b) => a.value - b.value) },
  };
}

/** Voxel count per value (including 0). */
export function labelCounts(labelMap: LabelMap): Map<number, number> {
  return countLabels(labelMap.volume.data, 'label map');
}

function countLabels(data: VoxelArray, source: string): Map<number, number> {
  const counts = new Map<number, number>();
  let previous = Number.NaN;
  let run = 0;
  for (let n = 0; n < data.length; n++) {
    const value = data[n]!;
    if (value === previous) {
      run++;
      continue;
    }
    if (run > 0) counts.set(previous, (counts.get(previous) ?? 0) + run);
    if (!Number.isInteger(value) || value < 0 || value > MAX_LABEL_VALUE) {
      throw new KeyholeError('VALIDATION_FAILED', {
        file: source,
        path: 'voxels',
        message: `voxel ${n} holds ${value}; a label map holds whole numbers from 0 to ${MAX_LABEL_VALUE}`,
      });
    }
    previous = value;
    run = 1;
  }
  if (run > 0) counts.set(previous, (counts.get(previous) ?? 0) + run);
  return counts;
}

/** uint8 when every value fits, else uint16; the input array is reused when it already is one. */
function toLabelArray(data: VoxelArray, max: number): Uint8Array | Uint16Array {
  if (max <= 255) return data instanceof Uint8Array ? data : new Uint8Array(data);
  return data instanceof Uint16Array ? data : new Uint16Array(data);
}
