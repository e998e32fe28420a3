/**
 * Statistics of a region of interest on one image: mean, standard deviation, minimum and maximum
 * of the modality values (Hounsfield units for CT after Rescale Slope/Intercept, PS3.3 C.11.1.1.2;
 * raw signal for MR, which has no absolute scale) and the area in mm².
 *
 * The region is given in image coordinates (column x, row y; the centre of pixel (c, r) is at
 * (c + 0.5, r + 0.5), as cornerstone3D's worldToImageCoords answers). A pixel belongs to the
 * region when its centre lies inside; the area is the shape's own (w × h, or π·a·b for the ellipse
 * inscribed in the box), not the pixel count, so it does not step with the pixel grid.
 */
export type RoiShape = 'rectangle' | 'ellipse';

export interface RoiStatsOptions {
  readonly shape: RoiShape;
  /** Corners of the region's bounding box (any two opposite corners, or all handle points), image coordinates. */
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly columns: number;
  readonly rows: number;
  /** Modality value of the pixel at (column, row). */
  readonly valueAt: (column: number, row: number) => number;
  /** Pixel spacing: mm between columns (x) and between rows (y). */
  readonly columnSpacingMm: number;
  readonly rowSpacingMm: number;
}

export interface RoiStats {
  readonly mean: number;
  /** Population standard deviation (every pixel of the region, not a sample of it). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly areaMm2: number;
  readonly pixelCount: number;
}

/** Undefined when no pixel centre lies inside the region (a region off the image, or thinner than a pixel). */
export function roiStats(options: RoiStatsOptions): RoiStats | undefined {
  const xs = options.points.map((p) => p[0]);
  const ys = options.points.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  if (!Number.isFinite(x0 + x1 + y0 + y1)) return undefined;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const a = (x1 - x0) / 2;
  const b = (y1 - y0) / 2;
  const inside = options.shape === 'rectangle'
    ? () => true
    : (x: number, y: number) => a > 0 && b > 0 && ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1;
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  // Columns/rows whose centre (c + 0.5) lies within [x0, x1] × [y0, y1], clipped to the image.
  const cFrom = Math.max(0, Math.ceil(x0 - 0.5));
  const cTo = Math.min(options.columns - 1, Math.floor(x1 - 0.5));
  const rFrom = Math.max(0, Math.ceil(y0 - 0.5));
  const rTo = Math.min(options.rows - 1, Math.floor(y1 - 0.5));
  for (let r = rFrom; r <= rTo; r++) {
    for (let c = cFrom; c <= cTo; c++) {
      if (!inside(c + 0.5, r + 0.5)) continue;
      const v = options.valueAt(c, r);
      count++;
      sum += v;
      sumSquares += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (count === 0) return undefined;
  const mean = sum / count;
  const width = (x1 - x0) * options.columnSpacingMm;
  const height = (y1 - y0) * options.rowSpacingMm;
  return {
    mean,
    sd: Math.sqrt(Math.max(0, sumSquares / count - mean * mean)),
    min,
    max,
    areaMm2: options.shape === 'rectangle' ? width * height : (Math.PI * width * height) / 4,
    pixelCount: count,
  };
}
