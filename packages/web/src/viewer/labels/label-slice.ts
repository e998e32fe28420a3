/**
 * A label map seen on one image: for every pixel of the image on screen, the label of the voxel
 * at that pixel's centre in patient space (nearest neighbour through the label volume's own
 * worldToIndex, so a segmentation on another grid — another orientation, spacing or extent, as long
 * as it shares the frame of reference — still lands on the right anatomy). Pixel (c, r) lies at
 * Image Position + c·Δc·row direction + r·Δr·column direction (PS3.3 C.7.6.2.1.1).
 */
import type { Mat4, Volume } from '@keyhole/core';
import type { Vec3 } from '../orientation.ts';

export interface ImagePlaneGeometry {
  /** Image Position (Patient): centre of the first pixel, LPS mm. */
  readonly position: Vec3;
  /** Image Orientation (Patient): the row direction (along a row, increasing column) and the column direction. */
  readonly rowDirection: Vec3;
  readonly columnDirection: Vec3;
  /** Pixel Spacing: between rows (Δr) and between columns (Δc), mm. */
  readonly rowSpacingMm: number;
  readonly columnSpacingMm: number;
  readonly rows: number;
  readonly columns: number;
}

/** The volume's worldToIndex (row-major 4×4) applied to a point (kept here so the viewer loads @keyhole/core only when a SEG is shown). */
function toIndex(m: Mat4, p: Vec3): Vec3 {
  return [m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3], m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7], m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11]];
}

/** Labels of the image's pixels, row by row (0 where the pixel lies outside the label volume). */
export function labelSlice(labels: Volume, image: ImagePlaneGeometry): Uint16Array {
  const out = new Uint16Array(image.rows * image.columns);
  const [ni, nj, nk] = labels.size;
  const data = labels.data;
  for (let r = 0; r < image.rows; r++) {
    for (let c = 0; c < image.columns; c++) {
      const world: Vec3 = [0, 1, 2].map((a) => image.position[a]! + c * image.columnSpacingMm * image.rowDirection[a]! + r * image.rowSpacingMm * image.columnDirection[a]!) as unknown as Vec3;
      const index = toIndex(labels.worldToIndex, world);
      const i = Math.round(index[0]);
      const j = Math.round(index[1]);
      const k = Math.round(index[2]);
      if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) continue;
      out[r * image.columns + c] = data[i + ni * (j + nj * k)] ?? 0;
    }
  }
  return out;
}

/** The label at one LPS point (0 outside the volume). */
export function labelAt(labels: Volume, point: Vec3): number {
  const index = toIndex(labels.worldToIndex, point);
  const [i, j, k] = index.map(Math.round) as [number, number, number];
  const [ni, nj, nk] = labels.size;
  if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) return 0;
  return labels.data[i + ni * (j + nj * k)] ?? 0;
}

/**
 * A colour per label value that neighbours tell apart: hues a golden angle (137.5°) apart, so
 * consecutive values (L4, L5; a vertebra and its disc) never get near colours. Display only.
 */
export function labelColour(value: number): readonly [number, number, number] {
  const hue = (value * 137.508) % 360;
  return hslToRgb(hue, 0.75, 0.55);
}

function hslToRgb(h: number, s: number, l: number): readonly [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/** RGBA pixels of a label slice: each visible label in its colour at `alpha` (0–255), others transparent. */
export function labelSliceRgba(slice: Uint16Array, visible: ReadonlySet<number>, alpha: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(slice.length * 4);
  const colours = new Map<number, readonly [number, number, number]>();
  for (let p = 0; p < slice.length; p++) {
    const value = slice[p]!;
    if (value === 0 || !visible.has(value)) continue;
    let colour = colours.get(value);
    if (colour === undefined) {
      colour = labelColour(value);
      colours.set(value, colour);
    }
    rgba[4 * p] = colour[0];
    rgba[4 * p + 1] = colour[1];
    rgba[4 * p + 2] = colour[2];
    rgba[4 * p + 3] = alpha;
  }
  return rgba;
}
