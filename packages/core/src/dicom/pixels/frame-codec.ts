/**
 * The seam between core's pixel decoding and the codecs (JPEG, JPEG-LS, JPEG 2000, HTJ2K, RLE).
 * Core defines the interface and never holds a registry: the caller builds one (in Node,
 * `createNodeCodecRegistry()` from @keyhole/io; later a browser or worker build) and passes it
 * to decodeFrame. This keeps WASM loading out of core and keeps no state between callers.
 */
import type { PixelFormat } from '../instance.ts';

/** Integer samples as a codec produces them (one element per sample). */
export type IntegerSampleArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface FrameCodecOutput {
  /**
   * The decoded samples, rows × columns × samplesPerPixel of them, pixel-interleaved unless
   * `planarConfiguration` says 1. The array must not alias codec memory that a later call reuses.
   */
  readonly samples: IntegerSampleArray;
  /** Set when decoding changed the colour space (libjpeg-turbo turns YBR_FULL_422 into RGB). */
  readonly photometricInterpretation?: string;
  /** Set when the output's sample layout differs from the header's. */
  readonly planarConfiguration?: 0 | 1;
}

export interface FrameCodec {
  /** Library and version, for messages and reports (e.g. "CharLS 2.x (@cornerstonejs/codec-charls)"). */
  readonly name: string;
  /** Decodes one frame's codestream (fragments already joined). Rejects with any error on damaged input. */
  decode(encoded: Uint8Array, format: PixelFormat): Promise<FrameCodecOutput>;
}

/** Codecs keyed by transfer syntax UID. A plain Map works. */
export type FrameCodecRegistry = ReadonlyMap<string, FrameCodec>;
