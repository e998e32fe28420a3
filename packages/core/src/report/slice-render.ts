import { add, scale, type Vec3 } from '../geometry/vec3.ts';
import type { PlaneLps } from '../spine/types.ts';
import type { Volume } from '../volume/volume.ts';
import { drawText, textWidth, type RgbaImage } from './bitmap-font.ts';
import { labelColour, levelText, type Rgb } from './label-style.ts';
import { sliceAxes, type SliceAxes } from './slice-plane.ts';

/**
 * One key image: the volume resampled on a plane (trilinear), windowed to grey, with the label map's outlines
 * (nearest-neighbour labels, a pixel on the edge where its 4-neighbour differs) in each structure's colour, the
 * vertebra names beside their bodies and the orientation letters on the edges. Pure: pixels in, pixels out.
 */
export interface RenderSliceOptions {
  readonly image: Volume;
  /** Label map on any grid (usually the image's); absent: no outlines. */
  readonly labels?: Volume;
  /** Label value → vocabulary name (outline colours and level names). */
  readonly names?: ReadonlyMap<number, string>;
  /** Plane through the point to show; the image is centred on `plane.point`. */
  readonly plane: PlaneLps;
  /** Field of view (mm) across and down. */
  readonly widthMm: number;
  readonly heightMm: number;
  /** Pixel size (mm); default 0.5. */
  readonly pixelMm?: number;
  /** Grey window (centre, width) in the image's units; default: from the 1st–99.5th percentile of the slice. */
  readonly greyWindow?: { readonly centre: number; readonly width: number };
  /** Label values drawn thicker (the finding's own structure). */
  readonly highlight?: ReadonlySet<number>;
  /** Text for the top-left corner (the level, e.g. `L4-L5`). */
  readonly title?: string;
}

export interface RenderedSlice extends RgbaImage {
  readonly axes: SliceAxes;
  readonly pixelMm: number;
  /** Vertebra names drawn, with their pixel positions (tests check them). */
  readonly names: ReadonlyArray<{ readonly text: string; readonly x: number; readonly y: number }>;
}

function trilinear(v: Volume, p: Vec3): number {
  const m = v.worldToIndex;
  const fi = m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3];
  const fj = m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7];
  const fk = m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11];
  const [ni, nj, nk] = v.size;
  if (fi < -0.5 || fj < -0.5 || fk < -0.5 || fi > ni - 0.5 || fj > nj - 0.5 || fk > nk - 0.5) return NaN;
  const ci = Math.min(Math.max(fi, 0), ni - 1), cj = Math.min(Math.max(fj, 0), nj - 1), ck = Math.min(Math.max(fk, 0), nk - 1);
  const i0 = Math.min(Math.floor(ci), ni - 2 < 0 ? 0 : ni - 2), j0 = Math.min(Math.floor(cj), nj - 2 < 0 ? 0 : nj - 2), k0 = Math.min(Math.floor(ck), nk - 2 < 0 ? 0 : nk - 2);
  const i1 = Math.min(i0 + 1, ni - 1), j1 = Math.min(j0 + 1, nj - 1), k1 = Math.min(k0 + 1, nk - 1);
  const di = ci - i0, dj = cj - j0, dk = ck - k0;
  const at = (i: number, j: number, k: number): number => v.data[(k * nj + j) * ni + i]!;
  const c00 = at(i0, j0, k0) * (1 - di) + at(i1, j0, k0) * di;
  const c10 = at(i0, j1, k0) * (1 - di) + at(i1, j1, k0) * di;
  const c01 = at(i0, j0, k1) * (1 - di) + at(i1, j0, k1) * di;
  const c11 = at(i0, j1, k1) * (1 - di) + at(i1, j1, k1) * di;
  return (c00 * (1 - dj) + c10 * dj) * (1 - dk) + (c01 * (1 - dj) + c11 * dj) * dk;
}

function nearest(v: Volume, p: Vec3): number {
  const m = v.worldToIndex;
  const i = Math.round(m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3]);
  const j = Math.round(m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7]);
  const k = Math.round(m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11]);
  const [ni, nj, nk] = v.size;
  if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) return 0;
  return v.data[(k * nj + j) * ni + i]!;
}

function percentile(sorted: Float64Array, f: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(f * (sorted.length - 1))))]!;
}

export function renderSlice(options: RenderSliceOptions): RenderedSlice {
  const pixelMm = options.pixelMm ?? 0.5;
  const width = Math.max(8, Math.round(options.widthMm / pixelMm));
  const height = Math.max(8, Math.round(options.heightMm / pixelMm));
  const axes = sliceAxes(options.plane);
  const centre = options.plane.point;
  const pointAt = (x: number, y: number): Vec3 => add(add(centre, scale(axes.right, (x + 0.5 - width / 2) * pixelMm)), scale(axes.down, (y + 0.5 - height / 2) * pixelMm));
  const grey = new Float64Array(width * height);
  const labels = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const p = pointAt(x, y);
    grey[y * width + x] = trilinear(options.image, p);
    if (options.labels !== undefined) labels[y * width + x] = nearest(options.labels, p);
  }
  let lo: number, hi: number;
  if (options.greyWindow !== undefined) {
    lo = options.greyWindow.centre - options.greyWindow.width / 2;
    hi = options.greyWindow.centre + options.greyWindow.width / 2;
  } else {
    const finite = Float64Array.from(grey.filter((g) => Number.isFinite(g))).sort();
    lo = finite.length > 0 ? percentile(finite, 0.01) : 0;
    hi = finite.length > 0 ? percentile(finite, 0.995) : 1;
  }
  const span = hi > lo ? hi - lo : 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let q = 0; q < width * height; q++) {
    const g = grey[q]!;
    const value = Number.isFinite(g) ? Math.round((255 * (g - lo)) / span) : 0;
    data[4 * q] = value;
    data[4 * q + 1] = value;
    data[4 * q + 2] = value;
    data[4 * q + 3] = 255;
  }
  const image: RgbaImage = { width, height, data };
  const names: Array<{ text: string; x: number; y: number }> = [];
  if (options.labels !== undefined) {
    const colourOf = new Map<number, Rgb | undefined>();
    const colour = (value: number): Rgb | undefined => {
      if (!colourOf.has(value)) colourOf.set(value, labelColour(options.names?.get(value) ?? ''));
      return colourOf.get(value);
    };
    const paint = (x: number, y: number, c: Rgb): void => {
      if (x < 0 || y < 0 || x >= width || y >= height) return;
      const o = 4 * (y * width + x);
      data[o] = c[0];
      data[o + 1] = c[1];
      data[o + 2] = c[2];
    };
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const value = labels[y * width + x]!;
      if (value === 0) continue;
      const edge = (x > 0 && labels[y * width + x - 1] !== value) || (x + 1 < width && labels[y * width + x + 1] !== value) || (y > 0 && labels[(y - 1) * width + x] !== value) || (y + 1 < height && labels[(y + 1) * width + x] !== value);
      if (!edge) continue;
      const c = colour(value);
      if (c === undefined) continue;
      paint(x, y, c);
      // The finding's own structure is drawn two pixels thick.
      if (options.highlight?.has(value) === true) {
        paint(x + 1, y, c);
        paint(x, y + 1, c);
      }
    }
    // Vertebra names: at the left of each body's pixels in this slice, at its mid-height (sagittal: in front of the body).
    const boxes = new Map<number, { sx: number; sy: number; n: number; minX: number; maxX: number }>();
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const value = labels[y * width + x]!;
      if (value === 0) continue;
      const text = levelText(options.names?.get(value) ?? '');
      if (text === undefined) continue;
      const b = boxes.get(value) ?? { sx: 0, sy: 0, n: 0, minX: Infinity, maxX: -Infinity };
      b.sx += x;
      b.sy += y;
      b.n++;
      b.minX = Math.min(b.minX, x);
      b.maxX = Math.max(b.maxX, x);
      boxes.set(value, b);
    }
    const fontScale = Math.max(1, Math.round(width / 160));
    // Axial slices name their level in the title instead: names on the bodies would cover the canal.
    for (const [value, b] of axes.orientation === 'axial' ? [] : boxes) {
      if (b.n < 50) continue;
      const text = levelText(options.names?.get(value) ?? '')!;
      const tw = textWidth(text, fontScale);
      const cy = Math.round(b.sy / b.n) - Math.round((7 * fontScale) / 2);
      // Sagittal: anterior is on the left, so the name sits left of the body; axial: above-left of the centroid.
      const x = axes.orientation === 'sagittal' ? Math.max(2, b.minX - tw - 4 * fontScale) : Math.round(b.sx / b.n) - Math.round(tw / 2);
      const y = axes.orientation === 'sagittal' ? cy : Math.max(2, cy - 10 * fontScale);
      drawText(image, text, x, y, [255, 230, 0], fontScale);
      names.push({ text, x, y });
    }
  }
  // Orientation letters on the edges and the title.
  const fontScale = Math.max(1, Math.round(width / 160));
  const letters = axes.orientation === 'sagittal' ? { left: 'A', right: 'P', top: 'S', bottom: 'I' } : axes.orientation === 'axial' ? { left: 'R', right: 'L', top: 'A', bottom: 'P' } : { left: 'R', right: 'L', top: 'S', bottom: 'I' };
  const gh = 7 * fontScale;
  drawText(image, letters.left, 3, Math.round(height / 2 - gh / 2), [255, 255, 255], fontScale);
  drawText(image, letters.right, width - textWidth(letters.right, fontScale) - 3, Math.round(height / 2 - gh / 2), [255, 255, 255], fontScale);
  drawText(image, letters.top, Math.round(width / 2 - textWidth(letters.top, fontScale) / 2), 3, [255, 255, 255], fontScale);
  drawText(image, letters.bottom, Math.round(width / 2 - textWidth(letters.bottom, fontScale) / 2), height - gh - 3, [255, 255, 255], fontScale);
  if (options.title !== undefined) drawText(image, options.title, 4, 4, [255, 230, 0], fontScale + 1);
  return { width, height, data, axes, pixelMm, names };
}
