/**
 * FrameCodecs over the WebAssembly builds that cornerstone3D's dicom-image-loader uses:
 * CharLS (JPEG-LS), libjpeg-turbo 8-bit (JPEG baseline), OpenJPEG (JPEG 2000) and OpenJPH
 * (HTJ2K). They all expose the same decoder class shape (chafey's *-js wrappers): copy the
 * codestream into `getEncodedBuffer(n)`, `decode()`, read `getFrameInfo()` and
 * `getDecodedBuffer()`, then `delete()` the instance.
 *
 * This file only decodes; it does not load anything, so a browser or worker build can pass
 * modules it instantiated its own way (see node-codec-registry.ts for Node).
 */
import { KeyholeError, type FrameCodec, type FrameCodecOutput, type IntegerSampleArray, type PixelFormat } from '@keyhole/core';

/** The subset of an emscripten-built decoder instance used here. */
export interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getInterleaveMode?(): number;
  delete(): void;
}

export type DecoderConstructor = new () => EmscriptenDecoder;

export interface EmscriptenCodecOptions {
  /** Library name for messages, e.g. "CharLS (@cornerstonejs/codec-charls 1.2.7)". */
  readonly name: string;
  readonly Decoder: DecoderConstructor;
  /** How the library lays out colour samples for this format (planar or interleaved). */
  readonly colourLayout?: (decoder: EmscriptenDecoder, format: PixelFormat) => Pick<FrameCodecOutput, 'planarConfiguration' | 'photometricInterpretation'>;
}

export function createEmscriptenCodec(options: EmscriptenCodecOptions): FrameCodec {
  return {
    name: options.name,
    decode: (encoded: Uint8Array, format: PixelFormat): Promise<FrameCodecOutput> => {
      const decoder = new options.Decoder();
      try {
        decoder.getEncodedBuffer(encoded.length).set(encoded);
        decoder.decode();
        const info = decoder.getFrameInfo();
        if (info.width !== format.columns || info.height !== format.rows || info.componentCount !== format.samplesPerPixel) {
          throw new KeyholeError('DICOM_DECODE_FAILED', {
            message: `the codestream is ${info.width}×${info.height} with ${info.componentCount} component(s), the header says ${format.columns}×${format.rows} with ${format.samplesPerPixel}`,
          });
        }
        // The decoded buffer is a view into WASM memory that the next decode reuses: copy it out.
        const bytes = decoder.getDecodedBuffer().slice();
        const samples = asSamples(bytes, info.bitsPerSample, info.isSigned ?? format.pixelRepresentation === 1);
        const layout = format.samplesPerPixel > 1 && options.colourLayout !== undefined ? options.colourLayout(decoder, format) : {};
        return Promise.resolve({ samples, ...layout });
      } catch (error) {
        return Promise.reject(error instanceof KeyholeError ? error : new Error(describeWasmError(error)));
      } finally {
        decoder.delete();
      }
    },
  };
}

function asSamples(bytes: Uint8Array, bitsPerSample: number, signed: boolean): IntegerSampleArray {
  if (bitsPerSample <= 8) return signed ? new Int8Array(bytes.buffer, 0, bytes.length) : bytes;
  return signed ? new Int16Array(bytes.buffer, 0, bytes.length >> 1) : new Uint16Array(bytes.buffer, 0, bytes.length >> 1);
}

/** Emscripten throws C++ exceptions as numbers (pointers) or strings; give them words. */
function describeWasmError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'number') return `the decoder aborted (native exception ${error})`;
  return String(error);
}
