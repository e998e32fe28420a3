/**
 * Stored values of one decoded frame → real values (float32 plane), per frame:
 * 1. MONOCHROME1 (minimum value = white, PS3.3 C.7.6.3.1.2) is inverted over the stored range, so
 *    that every volume reads like MONOCHROME2: larger = brighter. Unsigned: (2^BitsStored − 1) − v;
 *    signed: −1 − v (the same mirror of the two's-complement range).
 * 2. The frame's value mapping (rescale slope/intercept, or Philips floating-point scaling).
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { PixelFormat } from '../instance.ts';
import type { StoredPixelArray } from '../pixels/stored-values.ts';
import type { ValueMapping } from './frame-records.ts';

export interface RealValuesOptions {
  readonly pixels: StoredPixelArray;
  readonly format: PixelFormat;
  readonly mapping: Pick<ValueMapping, 'slope' | 'intercept'>;
  readonly source: string;
  /** Where to write (length rows × columns); a new array when absent. */
  readonly target?: Float32Array;
}

export interface RealValuesResult {
  readonly values: Float32Array;
  /** Whether every real value is a whole number (before float32 rounding). */
  readonly integral: boolean;
  readonly min: number;
  readonly max: number;
}

export function toRealValues(options: RealValuesOptions): RealValuesResult {
  const { pixels, format, mapping, source } = options;
  if (format.samplesPerPixel !== 1) {
    throw new KeyholeError('DICOM_UNSUPPORTED_PIXEL_FORMAT', {
      file: source,
      message: `${format.photometricInterpretation} with ${format.samplesPerPixel} samples per pixel is a colour image, not a greyscale volume`,
    });
  }
  const n = format.rows * format.columns;
  const out = options.target ?? new Float32Array(n);
  const invert = format.photometricInterpretation === 'MONOCHROME1';
  const isFloat = pixels instanceof Float32Array || pixels instanceof Float64Array;
  const mirror = format.pixelRepresentation === 1 ? -1 : 2 ** format.bitsStored - 1;
  const { slope, intercept } = mapping;
  let integral = Number.isInteger(slope) && Number.isInteger(intercept) && !isFloat;
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < n; p++) {
    const stored = invert && !isFloat ? mirror - pixels[p]! : pixels[p]!;
    const value = stored * slope + intercept;
    out[p] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!integral) {
    // Non-integer slope/intercept may still give whole numbers (e.g. slope 0.5 on even values): check.
    integral = true;
    for (let p = 0; p < n && integral; p++) {
      const stored = invert && !isFloat ? mirror - pixels[p]! : pixels[p]!;
      if (!Number.isInteger(stored * slope + intercept)) integral = false;
    }
  }
  return { values: out, integral, min, max };
}
