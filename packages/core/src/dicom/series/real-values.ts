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
  /**
   * A faster `values[p] += constant` over int16 words in place (io's WebAssembly SIMD kernel),
   * returning the OR of the original 16-bit words like addPairs, or undefined when it cannot
   * handle these values. Used when `pixels` are unsigned words read into `target` itself.
   */
  readonly addInPlace?: (values: Int16Array, constant: number) => number | undefined;
}

export interface Int16ValuesResult {
  /** Whether every real value lies within int16; when false, `target` holds wrapped values and must not be used. */
  readonly fits: boolean;
}

/**
 * The int16 twin of toRealValues, for integer pixels with a whole-number slope and intercept.
 *
 * Stored values lie within Bits Stored (decodeFrame masks and sign-extends them, PS3.5 §8.1.1), so
 * when the rescaled range of Bits Stored already fits int16 (12-bit CT with intercept −1024: −1024
 * to 3071) no voxel can overflow and the loop needs no per-voxel check. Otherwise (16 bits stored)
 * unsigned words with slope 1 prove the fit from the OR of their values (an upper bound of the
 * maximum), and everything else tracks the minimum and maximum and reports whether they fit.
 */
export function toInt16Values(options: Int16ValuesOptions): Int16ValuesResult {
  const { pixels, format, mapping, source, target: out } = options;
  checkGreyscale(format, source);
  const { slope, intercept } = mapping;
  if (!Number.isInteger(slope) || !Number.isInteger(intercept)) {
    throw new KeyholeError('INTERNAL', { file: source, message: `toInt16Values needs a whole-number rescale, got slope ${slope} and intercept ${intercept}` });
  }
  const n = format.rows * format.columns;
  const invert = format.photometricInterpretation === 'MONOCHROME1';
  const mirror = mirrorOf(format);
  const [low, high] = storedRange(format);
  // The MONOCHROME1 mirror maps the stored range onto itself, so the bounds hold either way.
  const ends = [low * slope + intercept, high * slope + intercept];
  const inPlace = options.addInPlace !== undefined && !invert && slope === 1 && pixels instanceof Uint16Array && pixels.buffer === out.buffer && pixels.byteOffset === out.byteOffset && pixels.length >= n
    ? options.addInPlace(out.subarray(0, n), intercept)
    : undefined;
  if (inPlace !== undefined) {
    // The OR bounds the maximum stored value (see addPairs); decide exactly only when it does not settle the fit.
    if (intercept >= INT16_MIN && inPlace + intercept <= INT16_MAX) return { fits: true };
    if (Math.min(...ends) >= INT16_MIN && Math.max(...ends) <= INT16_MAX) return { fits: true };
    // The words are gone (rescaled in place): the caller reloads this frame as float32.
    return { fits: false };
  }
  if (Math.min(...ends) >= INT16_MIN && Math.max(...ends) <= INT16_MAX) {
    if (invert) {
      for (let p = 0; p < n; p++) out[p] = (mirror - (pixels[p] as number)) * slope + intercept;
    } else if (slope === 1 && intercept === 0) {
      // Stored values are the real values: a typed-array copy (converts, no per-voxel JavaScript).
      out.set(pixels.length === n ? pixels : pixels.subarray(0, n));
    } else if (slope === 1 && canAddPairs(pixels, out)) {
      addPairs(pixels, out, n, intercept);
    } else if (slope === 1) {
      // The usual CT case (slope 1, intercept −1024): no multiply.
      for (let p = 0; p < n; p++) out[p] = (pixels[p] as number) + intercept;
    } else {
      for (let p = 0; p < n; p++) out[p] = (pixels[p] as number) * slope + intercept;
    }
    return { fits: true };
  }
  if (!invert && slope === 1 && canAddPairs(pixels, out)) {
    // 16 bits stored, unsigned (CT written as 0..65535 with intercept −1024): the OR of all stored
    // values bounds their maximum, which is usually enough to prove the fit; else decide exactly.
    const seen = addPairs(pixels, out, n, intercept);
    if (intercept >= INT16_MIN && seen + intercept <= INT16_MAX) return { fits: true };
    let top = 0;
    for (let p = 0; p < n; p++) if ((pixels[p] as number) > top) top = pixels[p] as number;
    return { fits: intercept >= INT16_MIN && top + intercept <= INT16_MAX };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < n; p++) {
    const value = ((invert ? mirror - (pixels[p] as number) : (pixels[p] as number)) * slope) + intercept;
    out[p] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  // Whole numbers in doubles are exact here (|stored| < 2^32, whole slope and intercept), so min
  // and max decide: a value outside int16 was wrapped on store and is reported.
  return { fits: n === 0 || (min >= INT16_MIN && max <= INT16_MAX) };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Whether addPairs applies: unsigned 16-bit words, a 4-byte aligned target, a little-endian host. */
function canAddPairs(pixels: IntegerSampleArray, out: Int16Array): pixels is Uint16Array {
  return pixels instanceof Uint16Array && out.byteOffset % 4 === 0 && LITTLE_ENDIAN_HOST;
}

/**
 * out[p] = pixels[p] + intercept (wrapped to int16, as an Int16Array store does), two voxels per
 * step through 32-bit views (SIMD within a register): each 16-bit lane is added on its own, the low
 * lane masked so that its carry cannot reach the high one. About twice as fast as the per-voxel
 * loop on the benchmark CT. Returns the OR of all stored values, an upper bound of their maximum.
 */
function addPairs(pixels: Uint16Array, out: Int16Array, n: number, intercept: number): number {
  const pairs = n >> 1;
  let words: Uint32Array;
  if (pixels.byteOffset % 4 === 0) {
    words = new Uint32Array(pixels.buffer, pixels.byteOffset, pairs);
  } else {
    // Pixel data at an offset of 2 mod 4 in its file (about half of all files: the header before it
    // varies in length): copy the words into place first (a native bit copy) and add in place.
    out.set(pixels.length === n ? pixels : pixels.subarray(0, n));
    words = new Uint32Array(out.buffer, out.byteOffset, pairs);
  }
  const target = new Int32Array(out.buffer, out.byteOffset, pairs);
  const c = intercept | 0;
  let seen = 0;
  for (let p = 0; p < pairs; p++) {
    const w = words[p] as number;
    seen |= w;
    target[p] = (((w & 0xffff) + c) & 0xffff) | (((w >>> 16) + c) << 16);
  }
  seen = (seen | (seen >>> 16)) & 0xffff;
  if ((n & 1) === 1) {
    const last = pixels[n - 1] as number;
    seen |= last;
    out[n - 1] = last + c;
  }
  return seen;
}

/** The range of stored values that Bits Stored allows (PS3.3 §C.7.6.3.1.1): unsigned or two's complement. */
function storedRange(format: PixelFormat): readonly [number, number] {
  const bits = Math.min(format.bitsStored, 32);
  return format.pixelRepresentation === 1 ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
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
