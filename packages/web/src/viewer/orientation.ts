/**
 * Orientation markers (the letters at the edges of a radiology image): which patient direction
 * each screen direction points to, in DICOM patient coordinates (LPS: +x Left, +y Posterior,
 * +z Superior; PS3.3 C.7.6.2.1.1). Computed from the on-screen directions the viewer reports
 * (so flips, rotations and reformats are honoured), never from a series' nominal plane.
 */
export type Vec3 = readonly [number, number, number];

/** Letters for +x, +y, +z and their opposites. */
const POSITIVE = ['L', 'P', 'S'] as const;
const NEGATIVE = ['R', 'A', 'I'] as const;

export interface OrientationOptions {
  /**
   * A component smaller than this fraction of the unit vector is left out of the label, so a
   * slightly tilted axial slice reads "L" and not "LAS". Display convention, not a clinical
   * threshold: 0.1 (about 6° of obliquity) keeps oblique axials labelled as such (e.g. "LP").
   */
  readonly obliqueThreshold?: number;
}

export const DEFAULT_OBLIQUE_THRESHOLD = 0.1;

/** The label of a direction: its strongest patient axes first, e.g. [0.9, -0.4, 0] → "LA". */
export function orientationLabel(direction: Vec3, options: OrientationOptions = {}): string {
  const threshold = options.obliqueThreshold ?? DEFAULT_OBLIQUE_THRESHOLD;
  const length = Math.hypot(direction[0], direction[1], direction[2]);
  if (length === 0 || !Number.isFinite(length)) return '';
  return [0, 1, 2]
    .map((axis) => ({ axis, value: direction[axis]! / length }))
    .filter((c) => Math.abs(c.value) >= threshold)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .map((c) => (c.value > 0 ? POSITIVE[c.axis as 0 | 1 | 2] : NEGATIVE[c.axis as 0 | 1 | 2]))
    .join('');
}

export interface ScreenMarkers {
  readonly left: string;
  readonly right: string;
  readonly top: string;
  readonly bottom: string;
}

function negate(v: Vec3): Vec3 {
  return [-v[0], -v[1], -v[2]];
}

/**
 * Markers for the four screen edges, from the patient directions of screen-right and screen-down
 * (unit or not). The left edge shows where screen-left points, and so on.
 */
export function screenMarkers(screenRight: Vec3, screenDown: Vec3, options: OrientationOptions = {}): ScreenMarkers {
  return {
    left: orientationLabel(negate(screenRight), options),
    right: orientationLabel(screenRight, options),
    top: orientationLabel(negate(screenDown), options),
    bottom: orientationLabel(screenDown, options),
  };
}

/**
 * Markers of an image shown as stored (no flip or rotation): Image Orientation (Patient) gives the
 * patient direction of increasing column index (screen-right) and of increasing row index
 * (screen-down) (PS3.3 C.7.6.2.1.1).
 */
export function markersFromImageOrientation(imageOrientationPatient: readonly number[], options: OrientationOptions = {}): ScreenMarkers {
  const [rx = 0, ry = 0, rz = 0, cx = 0, cy = 0, cz = 0] = imageOrientationPatient;
  return screenMarkers([rx, ry, rz], [cx, cy, cz], options);
}
