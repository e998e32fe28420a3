/**
 * Burned-in text for 8-bit grey images (the "SIMULATED" banner of a DRR, level labels, angles):
 * a 5×7 pixel font, scaled by whole numbers, drawn with a dark outline so that it reads on bone
 * and on air alike. Pure: writes into the caller's pixel array.
 */

/** 5×7 glyphs, one string of 7 rows of 5 bits per character (1 = ink), upper case only. */
const GLYPHS: Readonly<Record<string, string>> = Object.freeze({
  A: '01110 10001 10001 11111 10001 10001 10001', B: '11110 10001 10001 11110 10001 10001 11110',
  C: '01110 10001 10000 10000 10000 10001 01110', D: '11100 10010 10001 10001 10001 10010 11100',
  E: '11111 10000 10000 11110 10000 10000 11111', F: '11111 10000 10000 11110 10000 10000 10000',
  G: '01110 10001 10000 10111 10001 10001 01111', H: '10001 10001 10001 11111 10001 10001 10001',
  I: '01110 00100 00100 00100 00100 00100 01110', J: '00111 00010 00010 00010 00010 10010 01100',
  K: '10001 10010 10100 11000 10100 10010 10001', L: '10000 10000 10000 10000 10000 10000 11111',
  M: '10001 11011 10101 10101 10001 10001 10001', N: '10001 10001 11001 10101 10011 10001 10001',
  O: '01110 10001 10001 10001 10001 10001 01110', P: '11110 10001 10001 11110 10000 10000 10000',
  Q: '01110 10001 10001 10001 10101 10010 01101', R: '11110 10001 10001 11110 10100 10010 10001',
  S: '01111 10000 10000 01110 00001 00001 11110', T: '11111 00100 00100 00100 00100 00100 00100',
  U: '10001 10001 10001 10001 10001 10001 01110', V: '10001 10001 10001 10001 10001 01010 00100',
  W: '10001 10001 10001 10101 10101 10101 01010', X: '10001 10001 01010 00100 01010 10001 10001',
  Y: '10001 10001 10001 01010 00100 00100 00100', Z: '11111 00001 00010 00100 01000 10000 11111',
  '0': '01110 10001 10011 10101 11001 10001 01110', '1': '00100 01100 00100 00100 00100 00100 01110',
  '2': '01110 10001 00001 00010 00100 01000 11111', '3': '11111 00010 00100 00010 00001 10001 01110',
  '4': '00010 00110 01010 10010 11111 00010 00010', '5': '11111 10000 11110 00001 00001 10001 01110',
  '6': '00110 01000 10000 11110 10001 10001 01110', '7': '11111 00001 00010 00100 01000 01000 01000',
  '8': '01110 10001 10001 01110 10001 10001 01110', '9': '01110 10001 10001 01111 00001 00010 01100',
  '-': '00000 00000 00000 11111 00000 00000 00000', ':': '00000 01100 01100 00000 01100 01100 00000',
  '.': '00000 00000 00000 00000 00000 01100 01100', ',': '00000 00000 00000 00000 01100 00100 01000',
  '/': '00000 00001 00010 00100 01000 10000 00000', '(': '00010 00100 01000 01000 01000 00100 00010',
  ')': '01000 00100 00010 00010 00010 00100 01000', '+': '00000 00100 00100 11111 00100 00100 00000',
  '=': '00000 00000 11111 00000 11111 00000 00000', '°': '01100 10010 10010 01100 00000 00000 00000',
  ' ': '00000 00000 00000 00000 00000 00000 00000', '?': '01110 10001 00001 00010 00100 00000 00100',
});

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

export interface DrawTextOptions {
  /** Left edge of the first character, pixels. */
  readonly x: number;
  /** Top edge, pixels. */
  readonly y: number;
  /** Whole-number magnification of the 5×7 font (default 2). */
  readonly scale?: number;
  /** Ink value (default 255) and outline value (default 0; null for none). */
  readonly ink?: number;
  readonly outline?: number | null;
}

/** Width in pixels of `text` at `scale` (one blank column between characters). */
export function textWidth(text: string, scale = 2): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

/**
 * Draws `text` into a `width`×`height` 8-bit image (row-major). Characters without a glyph are
 * drawn as '?'. Pixels outside the image are skipped.
 */
export function drawText(pixels: Uint8Array, width: number, height: number, text: string, options: DrawTextOptions): void {
  const scale = Math.max(1, Math.round(options.scale ?? 2));
  const ink = options.ink ?? 255;
  const outline = options.outline === undefined ? 0 : options.outline;
  const chars = [...text.toUpperCase()];
  const inkAt = (gx: number, gy: number): boolean => {
    const c = Math.floor(gx / (GLYPH_WIDTH + 1));
    const col = gx % (GLYPH_WIDTH + 1);
    if (c < 0 || c >= chars.length || col >= GLYPH_WIDTH || gy < 0 || gy >= GLYPH_HEIGHT) return false;
    const glyph = GLYPHS[chars[c]!] ?? GLYPHS['?']!;
    return glyph.charCodeAt(gy * (GLYPH_WIDTH + 1) + col) === 49; // '1'
  };
  const cellsWide = chars.length * (GLYPH_WIDTH + 1);
  const put = (px: number, py: number, value: number): void => {
    if (px >= 0 && py >= 0 && px < width && py < height) pixels[py * width + px] = value;
  };
  for (let gy = -1; gy <= GLYPH_HEIGHT; gy++) {
    for (let gx = -1; gx <= cellsWide; gx++) {
      const on = inkAt(gx, gy);
      let value: number | undefined;
      if (on) value = ink;
      else if (outline !== null) {
        // Outline: a background cell next to an ink cell (8-neighbourhood).
        outer: for (let oy = -1; oy <= 1; oy++) {
          for (let ox = -1; ox <= 1; ox++) {
            if (inkAt(gx + ox, gy + oy)) { value = outline; break outer; }
          }
        }
      }
      if (value === undefined) continue;
      for (let sy = 0; sy < scale; sy++) {
        for (let sx = 0; sx < scale; sx++) put(options.x + gx * scale + sx, options.y + gy * scale + sy, value);
      }
    }
  }
}
