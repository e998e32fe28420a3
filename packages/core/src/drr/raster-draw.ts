/**
 * Overlays on 8-bit grey images (planned cannula, target): lines and crosses with a dark outline so
 * they read on bone and on air alike. Pure: writes into the caller's pixel array.
 */

export interface RasterTarget {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
}

function disc(target: RasterTarget, cx: number, cy: number, radius: number, value: number): void {
  const r = Math.max(0, radius);
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      if (x < 0 || y < 0 || x >= target.width || y >= target.height) continue;
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r + 0.25) target.pixels[y * target.width + x] = value;
    }
  }
}

export interface LineStyle {
  /** Line width in pixels (default 3). */
  readonly width?: number;
  readonly ink?: number;
  /** Outline value (default 0; null for none). */
  readonly outline?: number | null;
}

/** A thick line from (x0, y0) to (x1, y1) in continuous pixel coordinates (pixel centres at whole numbers). */
export function drawLine(target: RasterTarget, x0: number, y0: number, x1: number, y1: number, style: LineStyle = {}): void {
  const width = style.width ?? 3;
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
  const pass = (radius: number, value: number): void => {
    for (let s = 0; s <= steps; s++) disc(target, x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, radius, value);
  };
  const outline = style.outline === undefined ? 0 : style.outline;
  if (outline !== null) pass(width / 2 + 1, outline);
  pass(width / 2, style.ink ?? 255);
}

/** A "+" marker of half-size `size` pixels centred on (x, y). */
export function drawCross(target: RasterTarget, x: number, y: number, size = 8, style: LineStyle = {}): void {
  const outline = style.outline === undefined ? 0 : style.outline;
  if (outline !== null) {
    drawLine(target, x - size, y, x + size, y, { ...style, outline: null, width: (style.width ?? 3) + 2, ink: outline });
    drawLine(target, x, y - size, x, y + size, { ...style, outline: null, width: (style.width ?? 3) + 2, ink: outline });
  }
  drawLine(target, x - size, y, x + size, y, { ...style, outline: null });
  drawLine(target, x, y - size, x, y + size, { ...style, outline: null });
}
