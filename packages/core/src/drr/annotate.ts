/**
 * Burns into a displayed DRR what a reader must know: that it is SIMULATED (a DRR computed from CT,
 * not an X-ray), the view, the patient's side on each edge, and the planned cannula and target
 * projected with the same geometry as the image (projectPoint), so overlays land on the anatomy.
 */
import type { Vec3 } from '../geometry/vec3.ts';
import type { DrrProjection } from './projection.ts';
import { projectPoint } from './projection.ts';
import { drawCross, drawLine, type RasterTarget } from './raster-draw.ts';
import { drawText, GLYPH_HEIGHT, textWidth } from './raster-text.ts';

/** Burned into every DRR, one line or two as the width allows. */
export const SIMULATED_BANNER = ['SIMULATED RADIOGRAPH', 'DRR FROM CT - NOT AN X-RAY'] as const;
const SHORT_BANNER = 'SIMULATED (DRR)';

export interface DrrOverlay {
  /** Planned cannula: skin entry and target, LPS mm. */
  readonly entry?: Vec3;
  readonly target?: Vec3;
}

export interface AnnotateDrrOptions {
  /** Bottom line, e.g. "AP, PRONE: PRIMARY 180°, SECONDARY 0°". */
  readonly caption?: string;
  readonly overlay?: DrrOverlay;
}

export interface AnnotateDrrResult {
  /** Where the overlay points fell (continuous pixels), when they could be projected. */
  readonly entryPixel?: { readonly i: number; readonly j: number };
  readonly targetPixel?: { readonly i: number; readonly j: number };
}

/** The anatomical letter (L, R, A, P, H, F) of the patient direction closest to an LPS vector. */
export function anatomicalLetter(v: Vec3): string {
  const axis = [0, 1, 2].reduce((best, a) => (Math.abs(v[a]!) > Math.abs(v[best]!) ? a : best), 0);
  const positive = v[axis]! > 0;
  return axis === 0 ? (positive ? 'L' : 'R') : axis === 1 ? (positive ? 'P' : 'A') : positive ? 'H' : 'F';
}

export function annotateDrr(target: RasterTarget, projection: DrrProjection, options: AnnotateDrrOptions = {}): AnnotateDrrResult {
  const { width, height } = target;
  const scale = width >= 400 ? 2 : 1;
  const lines = SIMULATED_BANNER.every((line) => textWidth(line, scale) + 8 <= width) ? SIMULATED_BANNER : [SHORT_BANNER];
  lines.forEach((line, n) => drawText(target.pixels, width, height, line, { x: 4, y: 4 + n * (GLYPH_HEIGHT + 3) * scale, scale }));
  if (options.caption !== undefined) drawText(target.pixels, width, height, options.caption, { x: 4, y: height - 4 - GLYPH_HEIGHT * scale, scale });
  // Which side of the patient each vertical edge of the image shows.
  const right = anatomicalLetter(projection.iAxis);
  const left = anatomicalLetter([-projection.iAxis[0], -projection.iAxis[1], -projection.iAxis[2]]);
  const letterScale = scale + 1;
  const midY = Math.round(height / 2 - (GLYPH_HEIGHT * letterScale) / 2);
  drawText(target.pixels, width, height, left, { x: 4, y: midY, scale: letterScale });
  drawText(target.pixels, width, height, right, { x: width - 4 - textWidth(right, letterScale), y: midY, scale: letterScale });

  const overlay = options.overlay ?? {};
  const entry = overlay.entry !== undefined ? projectPoint(projection, overlay.entry) : undefined;
  const aim = overlay.target !== undefined ? projectPoint(projection, overlay.target) : undefined;
  if (entry !== undefined && aim !== undefined) drawLine(target, entry.i, entry.j, aim.i, aim.j, { width: 2 * scale });
  if (aim !== undefined) drawCross(target, aim.i, aim.j, 6 * scale, { width: scale + 1 });
  return {
    ...(entry !== undefined ? { entryPixel: { i: entry.i, j: entry.j } } : {}),
    ...(aim !== undefined ? { targetPixel: { i: aim.i, j: aim.j } } : {}),
  };
}
