/**
 * Stored values of one decoded frame → real values, per frame:
 * 1. MONOCHROME1 (minimum value = white, PS3.3 C.7.6.3.1.2) is inverted over the stored range, so
 *    that every volume reads like MONOCHROME2: larger = brighter. Unsigned: (2^BitsStored − 1) − v;
 *    signed: −1 − v (the same mirror of the two's-complement range).
 * 2. The frame's value mapping (rescale slope/intercept, or Philips floating-point scaling).
 *
 * Two writers share these rules: `toRealValues` (float32 plane, any input) and `toInt16Values`
 * (int16 plane, integer input and integer slope/intercept: CT in HU, most MR), which lets
 * loadVolume fill its int16 output directly instead of going through a float32 copy of the whole
 * series. Both are hot loops over every voxel of a series (78 M for a 512×512×300 CT): the
 * per-voxel branches are hoisted out of the loops (one loop per case) so that each loop body is a
 * load, a multiply-add, a store and the min/max compares.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { PixelFormat } from '../instance.ts';
import type { IntegerSampleArray } from '../pixels/frame-codec.ts';
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
  checkGreyscale(format, source);
  const n = format.rows * format.columns;
  const out = options.target ?? new Float32Array(n);
  const isFloat = pixels instanceof Float32Array || pixels instanceof Float64Array;
  const invert = format.photometricInterpretation === 'MONOCHROME1' && !isFloat;
  const mirror = mirrorOf(format);
  const { slope, intercept } = mapping;
  let integral = Number.isInteger(slope) && Number.isInteger(intercept) && !isFloat;
  let min = Infinity;
  let max = -Infinity;
  if (invert) {
    for (let p = 0; p < n; p++) {
      const value = (mirror - (pixels[p] as number)) * slope + intercept;
      out[p] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  } else {
    for (let p = 0; p < n; p++) {
      const value = (pixels[p] as number) * slope + intercept;
      out[p] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (!integral) {
    // Non-integer slope/intercept may still give whole numbers (e.g. slope 0.5 on even values): check.
    integral = true;
    for (let p = 0; p < n && integral; p++) {
      const stored = invert ? mirror - (pixels[p] as number) : (pixels[p] as number);
      if (!Number.isInteger(stored * slope + intercept)) integral = false;
    }
  }
  return { values: out, integral, min, max };
}

export interface Int16ValuesOptions {
  /** Integer stored values (a Float/Double Float Pixel Data frame goes through toRealValues). */
  readonly pixels: IntegerSampleArray;
  readonly format: PixelFormat;
  /** Whole-number slope and intercept: then every real value is a whole number. */
  readonly mapping: Pick<ValueMapping, 'slope' | 'intercept'>;
  readonly source: string;
  /** Where to write (length rows × columns). */
  readonly target: Int16Array;
}

export interface Int16ValuesResult {
  /** Whether every real value lies within int16; when false, `target` holds wrapped values and must not be used. */
  readonly fits: boolean;
  readonly min: number;
  readonly max: number;
}

/** The int16 twin of toRealValues, for integer pixels with a whole-number slope and intercept. */
export function toInt16Values(options: Int16ValuesOptions): Int16ValuesResult {
  const { pixels, format, mapping, source, target: out } = options;
  checkGreyscale(format, source);
  const { slope, intercept } = mapping;
  if (!Number.isInteger(slope) || !Number.isInteger(intercept)) {
    throw new KeyholeError('INTERNAL', { file: source, message: `toInt16Values needs a whole-number rescale, got slope ${slope} and intercept ${intercept}` });
  }
  const n = format.rows * format.columns;
  let min = Infinity;
  let max = -Infinity;
  if (format.photometricInterpretation === 'MONOCHROME1') {
    const mirror = mirrorOf(format);
    for (let p = 0; p < n; p++) {
      const value = (mirror - (pixels[p] as number)) * slope + intercept;
      out[p] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  } else if (slope === 1) {
    // The usual CT case (slope 1, intercept −1024 or 0): no multiply.
    for (let p = 0; p < n; p++) {
      const value = (pixels[p] as number) + intercept;
      out[p] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  } else {
    for (let p = 0; p < n; p++) {
      const value = (pixels[p] as number) * slope + intercept;
      out[p] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  // Integer arithmetic in doubles is exact here (|stored| < 2^32, whole slope and intercept), so
  // the range check on min/max is enough: a value outside int16 was wrapped on store and is reported.
  return { fits: n === 0 || (min >= INT16_MIN && max <= INT16_MAX), min, max };
}

export const INT16_MIN = -32768;
export const INT16_MAX = 32767;

function checkGreyscale(format: PixelFormat, source: string): void {
  if (format.samplesPerPixel !== 1) {
    throw new KeyholeError('DICOM_UNSUPPORTED_PIXEL_FORMAT', {
      file: source,
      message: `${format.photometricInterpretation} with ${format.samplesPerPixel} samples per pixel is a colour image, not a greyscale volume`,
    });
  }
}

/** The MONOCHROME1 mirror: (2^BitsStored − 1) − v unsigned, −1 − v signed. */
function mirrorOf(format: PixelFormat): number {
  return format.pixelRepresentation === 1 ? -1 : 2 ** format.bitsStored - 1;
}
