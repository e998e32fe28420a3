/**
 * One frame of a series into its place in the volume: the decode-check-convert step that
 * loadVolume runs for every slice, shared with loaders that fill one volume from several threads
 * (io's loadVolumeInThreads): each thread writes whole planes of one shared int16 array.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { DicomInstance, PixelFormat } from '../instance.ts';
import { decodeFrame, type DecodedFrame, type DecodeFrameOptions } from '../pixels/decode-frame.ts';
import type { FrameCodecRegistry } from '../pixels/frame-codec.ts';
import { toStoredValues } from '../pixels/stored-values.ts';
import type { ValueMapping } from './frame-records.ts';
import { INT16_MAX, INT16_MIN, toInt16Values } from './real-values.ts';
import type { VolumeDescriptor } from './split-series.ts';

/** What is needed of a slice to decode it: the same fields as the descriptor's slices. */
export interface FrameSlot {
  readonly instance: DicomInstance;
  readonly frame: number;
  readonly rows: number;
  readonly columns: number;
  readonly source: string;
  readonly valueMapping: Pick<ValueMapping, 'slope' | 'intercept'>;
}

export type FrameDecoder = (options: DecodeFrameOptions) => Promise<DecodedFrame>;

export interface DecodeSlotOptions {
  readonly slot: FrameSlot;
  readonly codecs: FrameCodecRegistry;
  /** Default decodeFrame. */
  readonly decode?: FrameDecoder;
}

/** Decodes the slot's frame and checks that it has the size the header promised. */
export async function decodeSlot(options: DecodeSlotOptions): Promise<DecodedFrame> {
  const { slot, codecs } = options;
  const decoded = await (options.decode ?? decodeFrame)({ instance: slot.instance, frame: slot.frame, codecs });
  if (decoded.format.rows !== slot.rows || decoded.format.columns !== slot.columns) {
    throw new KeyholeError('DICOM_SERIES_INCONSISTENT', {
      file: slot.source,
      message: `decoded frame is ${decoded.format.columns}×${decoded.format.rows}, the header says ${slot.columns}×${slot.rows}`,
    });
  }
  return decoded;
}

export interface WriteSlotInt16Options extends DecodeSlotOptions {
  /** The slot's plane in the volume (rows × columns voxels). */
  readonly target: Int16Array;
  /** Faster in-place intercept addition for words read into `target` (see toInt16Values). */
  readonly addInPlace?: (values: Int16Array, constant: number) => number | undefined;
}

/**
 * Decodes the slot straight into its int16 plane. False when the frame's real values are not
 * whole numbers within int16 after all (float pixel data, 16-bit unsigned values above 32767):
 * the plane then holds nothing usable and the caller loads the series as float32 instead.
 */
export async function writeSlotInt16(options: WriteSlotInt16Options): Promise<boolean> {
  const { slot, target } = options;
  const inPlace = options.decode === undefined ? readWordsInPlace(slot, target) : undefined;
  if (inPlace !== undefined) {
    return toInt16Values({ pixels: inPlace.pixels, format: inPlace.format, mapping: slot.valueMapping, source: slot.source, target, ...(options.addInPlace !== undefined ? { addInPlace: options.addInPlace } : {}) }).fits;
  }
  const decoded = await decodeSlot(options);
  const pixels = decoded.pixels;
  if (pixels instanceof Float32Array || pixels instanceof Float64Array) return false;
  const addInPlace = options.addInPlace !== undefined ? { addInPlace: options.addInPlace } : {};
  if (options.addInPlace !== undefined && pixels instanceof Uint16Array && pixels.length === target.length && decoded.format.photometricInterpretation !== 'MONOCHROME1' && slot.valueMapping.slope === 1) {
    // Decoded unsigned words (a codec's output): copied into the plane as they are (a native
    // element copy; the bits are kept), then rescaled there by the in-place kernel.
    target.set(pixels);
    const words = new Uint16Array(target.buffer, target.byteOffset, target.length);
    return toInt16Values({ pixels: words, format: decoded.format, mapping: slot.valueMapping, source: slot.source, target, ...addInPlace }).fits;
  }
  return toInt16Values({ pixels, format: decoded.format, mapping: slot.valueMapping, source: slot.source, target }).fits;
}

/**
 * Native 16-bit little-endian frames (uncompressed CT and MR, the usual case) are read straight
 * into their plane of the volume and converted there: the bytes are copied once, from the file
 * (or the file's bytes in memory) into the plane, and the rescale runs over memory that is still
 * in the cache, instead of a frame buffer being filled first and then copied. The stored values
 * are then masked and sign-extended (toStoredValues: a no-op for 16 of 16 bits and for clean
 * 12-bit data) and toInt16Values rescales them in place (it reads each value before writing it).
 * Undefined when the frame is not of that kind; it then goes through decodeFrame.
 */
function readWordsInPlace(slot: FrameSlot, target: Int16Array): { pixels: Int16Array | Uint16Array; format: PixelFormat } | undefined {
  const pixelData = slot.instance.pixelData;
  if (pixelData === undefined || pixelData.readFrameInto === undefined || pixelData.encapsulated || (pixelData.valueType ?? 'integer') !== 'integer') return undefined;
  const format = pixelData.format;
  if (format.bitsAllocated !== 16 || format.samplesPerPixel !== 1 || pixelData.littleEndian === false || !LITTLE_ENDIAN_HOST) return undefined;
  if (format.rows !== slot.rows || format.columns !== slot.columns || target.length !== format.rows * format.columns) return undefined;
  if (format.highBit < format.bitsStored - 1 || format.highBit >= 16 || format.bitsStored < 1) return undefined;
  pixelData.readFrameInto(slot.frame, new Uint8Array(target.buffer, target.byteOffset, target.byteLength));
  const words = format.pixelRepresentation === 1 ? target : new Uint16Array(target.buffer, target.byteOffset, target.length);
  const pixels = toStoredValues(words, format, format.highBit) as Int16Array | Uint16Array;
  return { pixels, format };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Integer pixel data and a whole-number slope and intercept: every real value is a whole number. */
export function promisesWholeNumbers(slot: FrameSlot): boolean {
  const valueType = slot.instance.pixelData?.valueType ?? 'integer';
  return valueType === 'integer' && Number.isInteger(slot.valueMapping.slope) && Number.isInteger(slot.valueMapping.intercept);
}

/**
 * Whether the series can be written straight into an int16 volume, plane by plane: a direct stack
 * (no resampling) whose headers promise whole numbers, and a fill value (if any) within int16.
 * Values may still leave int16 (then writeSlotInt16 says so and the caller widens).
 */
export function canWriteDirectInt16(descriptor: VolumeDescriptor, fill?: number): boolean {
  const fillFits = fill === undefined || (Number.isInteger(fill) && fill >= INT16_MIN && fill <= INT16_MAX);
  return descriptor.geometry.sampling.kind === 'direct' && fillFits && descriptor.geometry.slices.every(promisesWholeNumbers);
}
