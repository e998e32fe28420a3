/**
 * decodeFrame: one frame of a DicomInstance → its STORED values in a typed array of the natural
 * type (see stored-values.ts), plus the pixel format of what is returned.
 *
 * Native syntaxes (implicit/explicit little endian, explicit big endian, deflated, and
 * Encapsulated Uncompressed 1.2.840.10008.1.2.1.98) are decoded here. Every other syntax goes
 * through the FrameCodec the caller registered for its UID.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { DicomInstance, PixelFormat } from '../instance.ts';
import { TransferSyntax, describeTransferSyntax, transferSyntaxInfo } from '../parse/transfer-syntax.ts';
import type { FrameCodecOutput, FrameCodecRegistry } from './frame-codec.ts';
import { integerArrayType, nativeFloatValues, nativeStoredValues, toStoredValues, type StoredPixelArray } from './stored-values.ts';

export interface DecodeFrameOptions {
  readonly instance: DicomInstance;
  /** Frame index, from 0. */
  readonly frame: number;
  /** Codecs for compressed syntaxes, keyed by transfer syntax UID; native syntaxes need none. */
  readonly codecs: FrameCodecRegistry;
}

export interface DecodedFrame {
  /** Stored values: not rescaled, MONOCHROME1 not inverted. */
  readonly pixels: StoredPixelArray;
  /**
   * The format of `pixels`: the header's, except where decoding changed it (1-bit unpacked to
   * one byte per pixel; a codec that converted YBR to RGB or changed the planar configuration).
   */
  readonly format: PixelFormat;
}

export async function decodeFrame(options: DecodeFrameOptions): Promise<DecodedFrame> {
  const { instance, frame, codecs } = options;
  const pixelData = instance.pixelData;
  if (pixelData === undefined) {
    throw new KeyholeError('DICOM_MISSING_PIXEL_DATA', { file: instance.source, message: 'the instance has no Pixel Data (7FE0,0010) element' });
  }
  const format = pixelData.format;
  const valueType = pixelData.valueType ?? 'integer';
  checkFormat(instance.source, format, valueType);
  const syntax = transferSyntaxInfo(instance.transferSyntaxUid);
  const encoded = pixelData.frame(frame);

  if (valueType !== 'integer') {
    return { pixels: nativeFloatValues(encoded, format, pixelData.littleEndian ?? true, valueType), format };
  }
  if (!syntax.encapsulated || instance.transferSyntaxUid === TransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian) {
    checkLength(instance.source, frame, encoded.length, Math.ceil((format.rows * format.columns * format.samplesPerPixel * format.bitsAllocated) / 8), 'bytes');
    const pixels = nativeStoredValues(encoded, format, pixelData.littleEndian ?? syntax.littleEndian);
    return { pixels, format: format.bitsAllocated === 1 ? { ...format, bitsAllocated: 8 } : format };
  }

  const codec = codecs.get(instance.transferSyntaxUid);
  if (codec === undefined) {
    throw new KeyholeError('DICOM_UNSUPPORTED_TRANSFER_SYNTAX', {
      file: instance.source,
      message: `transfer syntax ${describeTransferSyntax(instance.transferSyntaxUid)} is not supported: no decoder is available for it`,
      details: { transferSyntaxUid: instance.transferSyntaxUid },
    });
  }
  let output: FrameCodecOutput;
  try {
    output = await codec.decode(encoded, format);
  } catch (cause) {
    if (cause instanceof KeyholeError) {
      // Codecs know nothing of files: attach the file and frame to their refusal.
      throw new KeyholeError(cause.code, { file: instance.source, message: `frame ${frame}: ${cause.message}`, details: { ...cause.details, frame }, cause });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new KeyholeError('DICOM_DECODE_FAILED', {
      file: instance.source,
      message: `frame ${frame} could not be decoded as ${describeTransferSyntax(instance.transferSyntaxUid)} by ${codec.name}: ${reason}`,
      details: { frame, transferSyntaxUid: instance.transferSyntaxUid },
      cause,
    });
  }
  checkLength(instance.source, frame, output.samples.length, format.rows * format.columns * format.samplesPerPixel, 'samples');
  // Codecs return values already shifted down to Bits Stored precision: the value's top bit is bitsStored - 1.
  const pixels = toStoredValues(output.samples, format, format.bitsStored - 1);
  return {
    pixels,
    format: {
      ...format,
      highBit: format.bitsStored - 1,
      ...(output.photometricInterpretation !== undefined ? { photometricInterpretation: output.photometricInterpretation } : {}),
      ...(output.planarConfiguration !== undefined ? { planarConfiguration: output.planarConfiguration } : {}),
    },
  };
}

function checkFormat(source: string, format: PixelFormat, valueType: 'integer' | 'float32' | 'float64'): void {
  const unsupported = (message: string): never => {
    throw new KeyholeError('DICOM_UNSUPPORTED_PIXEL_FORMAT', { file: source, message });
  };
  if (valueType === 'float32' && format.bitsAllocated !== 32) unsupported(`Float Pixel Data needs Bits Allocated 32, the header says ${format.bitsAllocated}`);
  if (valueType === 'float64' && format.bitsAllocated !== 64) unsupported(`Double Float Pixel Data needs Bits Allocated 64, the header says ${format.bitsAllocated}`);
  if (valueType !== 'integer') return;
  if (integerArrayType(format) === undefined) unsupported(`Bits Allocated ${format.bitsAllocated} is not supported (1, 8, 16 or 32 are)`);
  if (format.bitsStored < 1 || format.bitsStored > format.bitsAllocated) unsupported(`Bits Stored ${format.bitsStored} does not fit in Bits Allocated ${format.bitsAllocated}`);
  if (format.highBit < format.bitsStored - 1 || format.highBit >= format.bitsAllocated) unsupported(`High Bit ${format.highBit} is inconsistent with Bits Stored ${format.bitsStored} and Bits Allocated ${format.bitsAllocated}`);
}

function checkLength(source: string, frame: number, actual: number, expected: number, unit: string): void {
  if (actual < expected || (unit === 'samples' && actual !== expected)) {
    throw new KeyholeError('DICOM_DECODE_FAILED', {
      file: source,
      message: `frame ${frame} decoded to ${actual} ${unit}, expected ${expected}`,
      details: { frame, actual, expected },
    });
  }
}
