/**
 * Volume-rendering presets offered in the 3D view: cornerstone3D's own transfer functions (its
 * VIEWPORT_PRESETS, taken from 3D Slicer's volume property presets), by name. CT-Bone is the
 * default: bone opaque, soft tissue faint, air transparent.
 */
export const VOLUME_PRESETS = [
  { name: 'CT-Bone', label: 'Bone' },
  { name: 'CT-Bones', label: 'Bones (no soft tissue)' },
  { name: 'CT-Soft-Tissue', label: 'Soft tissue' },
  { name: 'CT-MIP', label: 'Maximum intensity' },
] as const;

export type VolumePresetName = (typeof VOLUME_PRESETS)[number]['name'];

export const DEFAULT_VOLUME_PRESET: VolumePresetName = 'CT-Bone';

/** Degrees the view turns per button press or arrow key. */
export const ROTATE_STEP_DEG = 30;
