/**
 * Window/level presets. These are display conventions, not clinical thresholds, and are settings:
 * a site may change them (pass its own list to the viewer). Defaults:
 * - CT bone W 2000 / L 500 and CT soft tissue W 400 / L 40: the usual radiology presets (as in
 *   OHIF's and most PACS' default lists);
 * - spine MRI: MR signal has no absolute scale, so the window is taken from the image itself:
 *   the 1st–99th percentile of its pixel values (bright fat and CSF stay readable, outliers do not
 *   flatten the contrast).
 */
export interface FixedPreset {
  readonly id: string;
  readonly label: string;
  readonly kind: 'fixed';
  readonly windowWidth: number;
  readonly windowCenter: number;
}

export interface PercentilePreset {
  readonly id: string;
  readonly label: string;
  readonly kind: 'percentile';
  readonly lowPercentile: number;
  readonly highPercentile: number;
}

export type WindowPreset = FixedPreset | PercentilePreset;

export const DEFAULT_PRESETS: readonly WindowPreset[] = [
  { id: 'bone', label: 'Bone (CT)', kind: 'fixed', windowWidth: 2000, windowCenter: 500 },
  { id: 'soft-tissue', label: 'Soft tissue (CT)', kind: 'fixed', windowWidth: 400, windowCenter: 40 },
  { id: 'spine-mri', label: 'Spine MRI', kind: 'percentile', lowPercentile: 1, highPercentile: 99 },
];

export interface VoiRange {
  readonly lower: number;
  readonly upper: number;
}

/** The value below which `percent` % of `values` lie (nearest rank on a sorted copy of a sample). */
function percentile(sorted: Float64Array, percent: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.round((percent / 100) * (sorted.length - 1))));
  return sorted[rank]!;
}

/** The display range of a preset for an image whose (modality-rescaled) pixel values are `values`. */
export function presetRange(preset: WindowPreset, values: ArrayLike<number>): VoiRange {
  if (preset.kind === 'fixed') return { lower: preset.windowCenter - preset.windowWidth / 2, upper: preset.windowCenter + preset.windowWidth / 2 };
  // A regular sample of at most 65 536 pixels is enough for percentiles and keeps a click instant.
  const step = Math.max(1, Math.floor(values.length / 65536));
  const sample = new Float64Array(Math.ceil(values.length / step));
  for (let i = 0, j = 0; i < values.length; i += step, j++) sample[j] = values[i]!;
  sample.sort();
  const lower = percentile(sample, preset.lowPercentile);
  const upper = percentile(sample, preset.highPercentile);
  return upper > lower ? { lower, upper } : { lower, upper: lower + 1 };
}

export function windowFromRange(range: VoiRange): { windowWidth: number; windowCenter: number } {
  return { windowWidth: range.upper - range.lower, windowCenter: (range.upper + range.lower) / 2 };
}
