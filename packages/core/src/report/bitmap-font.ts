/**
 * A 5×7 bitmap font for the few characters drawn into key images (level names, orientation letters, scale bar):
 * digits, the letters of vertebra names and orientation markers, and '-'. Text is burned into the pixels so a key
 * image stays labelled wherever it goes (PNG in the HTML report, the PDF, a PACS); the PDF also carries the same
 * names as searchable text.
 */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  C: ['01110', '10001', '10000', '10000', '10000', '10001', '01110'],
  I: ['01110', '00100', '00100', '00100', '00100', '00100', '01110'],
  L: ['10000', '10000', '10000', '10000', '10000', '10000', '11111'],
  M: ['10001', '11011', '10101', '10101', '10001', '10001', '10001'],
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
  R: ['11110', '10001', '10001', '11110', '10100', '10010', '10001'],
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
  T: ['11111', '00100', '00100', '00100', '00100', '00100', '00100'],
  '-': ['00000', '00000', '00000', '11111', '00000', '00000', '00000'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** RGBA, row-major from the top-left pixel. */
  readonly data: Uint8ClampedArray;
}

/** Pixel width of `text` at `scale` (one pixel of space between glyphs). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

/**
 * Draws `text` with its top-left corner at (x, y), each font pixel `scale` image pixels, with a one-pixel dark
 * outline so it reads on bright bone and dark fat alike. Characters the font lacks are drawn as spaces.
 */
export function drawText(image: RgbaImage, text: string, x: number, y: number, colour: readonly [number, number, number], scale = 2): void {
  const put = (px: number, py: number, c: readonly [number, number, number]): void => {
    if (px < 0 || py < 0 || px >= image.width || py >= image.height) return;
    const o = 4 * (py * image.width + px);
    image.data[o] = c[0];
    image.data[o + 1] = c[1];
    image.data[o + 2] = c[2];
    image.data[o + 3] = 255;
  };
  const on = (gx: number, gy: number): boolean => {
    const ch = Math.floor(gx / (GLYPH_WIDTH + 1));
    const col = gx % (GLYPH_WIDTH + 1);
    if (ch < 0 || ch >= text.length || col >= GLYPH_WIDTH || gy < 0 || gy >= GLYPH_HEIGHT) return false;
    const glyph = GLYPHS[text[ch]!.toUpperCase()] ?? GLYPHS[' ']!;
    return glyph[gy]![col] === '1';
  };
  const w = text.length * (GLYPH_WIDTH + 1);
  // Outline first (every image pixel next to a lit font pixel), then the glyphs.
  for (let gy = -1; gy <= GLYPH_HEIGHT; gy++) for (let gx = -1; gx <= w; gx++) {
    if (on(gx, gy)) continue;
    let near = false;
    for (let dy = -1; dy <= 1 && !near; dy++) for (let dx = -1; dx <= 1 && !near; dx++) near = on(gx + dx, gy + dy);
    if (!near) continue;
    for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) put(x + gx * scale + sx, y + gy * scale + sy, [0, 0, 0]);
  }
  for (let gy = 0; gy < GLYPH_HEIGHT; gy++) for (let gx = 0; gx < w; gx++) {
    if (!on(gx, gy)) continue;
    for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) put(x + gx * scale + sx, y + gy * scale + sy, colour);
  }
}
