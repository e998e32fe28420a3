/**
 * Turning the bytes or samples of one frame into STORED pixel values (PS3.5 §8.1.1, PS3.3
 * §C.7.6.3.1): only the Bits Stored bits that end at High Bit belong to the value, the rest may
 * hold overlays or garbage and are masked away; with Pixel Representation 1 the value is two's
 * complement in Bits Stored bits and is sign-extended. Rescale and MONOCHROME1 are not applied
 * here (series assembly does that).
 */
import type { PixelFormat } from '../instance.ts';
import type { IntegerSampleArray } from './frame-codec.ts';

export type StoredPixelArray = IntegerSampleArray | Float32Array | Float64Array;

type IntegerConstructor = Uint8ArrayConstructor | Int8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor | Uint32ArrayConstructor | Int32ArrayConstructor;

/** The natural array type for the stored values, or undefined when Bits Allocated is not 8, 16 or 32. */
export function integerArrayType(format: PixelFormat): IntegerConstructor | undefined {
  const signed = format.pixelRepresentation === 1;
  switch (format.bitsAllocated) {
    case 1:
    case 8:
      return signed ? Int8Array : Uint8Array;
    case 16:
      return signed ? Int16Array : Uint16Array;
    case 32:
      return signed ? Int32Array : Uint32Array;
    default:
      return undefined;
  }
}

/**
 * Masks and sign-extends `source` (any integer array holding the raw words) into an array of the
 * natural type. `highBit` is where the value's top bit sits in each word (codec output: bitsStored - 1).
 */
export function toStoredValues(source: IntegerSampleArray, format: PixelFormat, highBit: number): IntegerSampleArray {
  const ArrayType = integerArrayType(format) as IntegerConstructor;
  const bitsStored = format.bitsStored;
  const shift = highBit + 1 - bitsStored;
  const wide = bitsStored >= 32;
  if (bitsStored === format.bitsAllocated && shift === 0 && sameWidth(source, ArrayType)) {
    // Already the right width with nothing to mask: reinterpret (signed ↔ unsigned) without copying.
    return source instanceof ArrayType ? source : new ArrayType(source.buffer as ArrayBuffer, source.byteOffset, source.length);
  }
  if (wide) {
    const result = new ArrayType(source.length);
    result.set(source);
    return result;
  }
  const mask = 2 ** bitsStored - 1;
  const signed = format.pixelRepresentation === 1;
  if (!signed && shift === 0 && sameWidth(source, ArrayType) && !hasBitsAbove(source, mask)) {
    // The usual case (12 of 16 bits, nothing above High Bit): no copy needed.
    return source instanceof ArrayType ? source : new ArrayType(source.buffer as ArrayBuffer, source.byteOffset, source.length);
  }
  const result = new ArrayType(source.length);
  const length = source.length;
  if (!signed) {
    for (let i = 0; i < length; i++) result[i] = ((source[i] as number) >>> shift) & mask;
  } else {
    // Sign extension by shifting the value's top bit into bit 31 and back (arithmetic shift).
    const up = 32 - bitsStored;
    for (let i = 0; i < length; i++) result[i] = ((((source[i] as number) >>> shift) & mask) << up) >> up;
  }
  return result;
}

/** True when some value has a bit set above `mask` (overlay bits or garbage to clear). */
function hasBitsAbove(source: IntegerSampleArray, mask: number): boolean {
  let seen = 0;
  if (source.BYTES_PER_ELEMENT === 2 && source.byteOffset % 2 === 0) {
    // This scan runs over every voxel of every uncompressed 12-bit frame: OR two 16-bit words at a
    // time through a 32-bit view (half the iterations), then fold the halves together. Pixel data
    // at 2 mod 4 in its file (the header's length varies) starts with one word on its own.
    const first = source.byteOffset % 4 === 0 ? 0 : 1;
    const pairs = (source.length - first) >> 1;
    const words = new Uint32Array(source.buffer, source.byteOffset + 2 * first, pairs);
    for (let i = 0; i < pairs; i++) seen |= words[i] as number;
    seen = (seen | (seen >>> 16)) & 0xffff;
    if (first === 1) seen |= (source[0] as number) & 0xffff;
    if (first + 2 * pairs < source.length) seen |= (source[source.length - 1] as number) & 0xffff;
    return (seen & ~mask) !== 0;
  }
  for (let i = 0; i < source.length; i++) seen |= source[i] as number;
  return (seen & ~mask) !== 0;
}

function sameWidth(source: IntegerSampleArray, ArrayType: IntegerConstructor): boolean {
  return source.BYTES_PER_ELEMENT === ArrayType.BYTES_PER_ELEMENT;
}

/**
 * Native (uncompressed) frame bytes → stored values. Little-endian words whose offset is aligned
 * are viewed in place; big-endian words (Explicit VR Big Endian) are swapped into a new array.
 */
export function nativeStoredValues(bytes: Uint8Array, format: PixelFormat, littleEndian: boolean): IntegerSampleArray {
  const count = format.rows * format.columns * format.samplesPerPixel;
  if (format.bitsAllocated === 1) return unpackBits(bytes, count);
  const bytesPerWord = format.bitsAllocated / 8;
  const words = readWords(bytes, count, bytesPerWord, littleEndian);
  return toStoredValues(words, format, format.highBit);
}

function readWords(bytes: Uint8Array, count: number, bytesPerWord: number, littleEndian: boolean): Uint8Array | Uint16Array | Uint32Array {
  if (bytesPerWord === 1) return bytes.subarray(0, count);
  const WordArray = bytesPerWord === 2 ? Uint16Array : Uint32Array;
  if (littleEndian && bytes.byteOffset % bytesPerWord === 0 && isLittleEndianHost()) {
    return new WordArray(bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
  }
  const words = new WordArray(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * bytesPerWord);
  if (bytesPerWord === 2) for (let i = 0; i < count; i++) words[i] = view.getUint16(i * 2, littleEndian);
  else for (let i = 0; i < count; i++) words[i] = view.getUint32(i * 4, littleEndian);
  return words;
}

/** Float Pixel Data (OF) and Double Float Pixel Data (OD) are IEEE floats in the syntax's byte order. */
export function nativeFloatValues(bytes: Uint8Array, format: PixelFormat, littleEndian: boolean, valueType: 'float32' | 'float64'): Float32Array | Float64Array {
  const count = format.rows * format.columns * format.samplesPerPixel;
  const size = valueType === 'float32' ? 4 : 8;
  const FloatArray = valueType === 'float32' ? Float32Array : Float64Array;
  if (littleEndian && bytes.byteOffset % size === 0 && isLittleEndianHost()) return new FloatArray(bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
  const result = new FloatArray(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  for (let i = 0; i < count; i++) result[i] = size === 4 ? view.getFloat32(i * 4, littleEndian) : view.getFloat64(i * 8, littleEndian);
  return result;
}

/** 1-bit pixels, least significant bit first within each byte (PS3.5 §D.1, Figure D.1-2), to 0/1 bytes. */
function unpackBits(bytes: Uint8Array, count: number): Uint8Array {
  const result = new Uint8Array(count);
  for (let i = 0; i < count; i++) result[i] = ((bytes[i >> 3] as number) >> (i & 7)) & 1;
  return result;
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
}
