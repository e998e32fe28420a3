/**
 * From line integrals to a picture. A radiograph's film density (or a detector's log signal) is
 * linear in the line integral ∫μ dl = −ln(transmission), so the DRR is displayed as the line
 * integral itself, windowed: bone bright ("radiograph", as plain films and most spine C-arm
 * monitors show it) or bone dark ("fluoroscopy", an image intensifier's raw polarity).
 *
 * The window runs from a low to a high percentile of the line integrals in the central part of the
 * field (half its width and height by default), as a C-arm's automatic brightness control meters
 * the centre of the field where the operated level is placed; pixels the beam crossed nothing in
 * (line integral 0) do not count, so an air border does not wash the picture out.
 */
import type { PlanarImage } from '../volume/planar-image.ts';

export interface DrrDisplayOptions {
  readonly polarity?: 'radiograph' | 'fluoroscopy';
  /** Percentiles of the non-zero line integrals mapped to black and white (defaults 1 and 99.8). */
  readonly lowPercentile?: number;
  readonly highPercentile?: number;
  /** Fraction of the width and height, centred, whose pixels set the window (default 0.5; 1 = all). */
  readonly meteringFraction?: number;
}

export interface DrrDisplayResult {
  /** 8-bit grey, row-major, size of the image. */
  readonly pixels: Uint8Array;
  /** Line integrals mapped to the ends of the grey scale. */
  readonly window: readonly [number, number];
}

const BINS = 4096;

export function drrDisplayPixels(image: Pick<PlanarImage, 'data' | 'size'>, options: DrrDisplayOptions = {}): DrrDisplayResult {
  const data = image.data;
  const n = image.size[0] * image.size[1];
  let max = 0;
  for (let p = 0; p < n; p++) if (data[p]! > max) max = data[p]!;
  const pixels = new Uint8Array(n);
  const bright = (options.polarity ?? 'radiograph') === 'radiograph';
  if (!(max > 0)) {
    pixels.fill(bright ? 0 : 255);
    return { pixels, window: [0, 0] };
  }
  const histogram = new Uint32Array(BINS);
  let count = 0;
  const [width, height] = image.size;
  const fraction = Math.min(1, Math.max(0.05, options.meteringFraction ?? 0.5));
  const i0 = Math.floor((width * (1 - fraction)) / 2);
  const j0 = Math.floor((height * (1 - fraction)) / 2);
  const i1 = Math.max(i0 + 1, Math.ceil((width * (1 + fraction)) / 2));
  const j1 = Math.max(j0 + 1, Math.ceil((height * (1 + fraction)) / 2));
  for (let j = j0; j < j1; j++) {
    for (let i = i0; i < i1; i++) {
      const v = data[j * width + i]!;
      if (v > 0) {
        histogram[Math.min(BINS - 1, Math.floor((v / max) * BINS))]!++;
        count++;
      }
    }
  }
  const valueAt = (percentile: number): number => {
    const target = (Math.min(100, Math.max(0, percentile)) / 100) * count;
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += histogram[b]!;
      if (seen > 0 && seen >= target) return ((b + 0.5) / BINS) * max;
    }
    return max;
  };
  const lo = valueAt(options.lowPercentile ?? 1);
  const hi = Math.max(valueAt(options.highPercentile ?? 99.8), lo + 1e-6);
  const gain = 255 / (hi - lo);
  for (let p = 0; p < n; p++) {
    const g = Math.round((data[p]! - lo) * gain);
    const clamped = g < 0 ? 0 : g > 255 ? 255 : g;
    pixels[p] = bright ? clamped : 255 - clamped;
  }
  return { pixels, window: [lo, hi] };
}
