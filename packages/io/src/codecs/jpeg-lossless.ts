/**
 * JPEG Lossless, processes 14 and 14 SV1 (1.2.840.10008.1.2.4.57 and .70; ITU-T T.81 Annex H),
 * decoded by jpeg-lossless-decoder-js (rii-mango), the decoder cornerstone's dicom-image-loader
 * uses for these syntaxes. Pure JavaScript: nothing to load.
 */
import { Decoder } from 'jpeg-lossless-decoder-js';
import type { FrameCodec, FrameCodecOutput, PixelFormat } from '@keyhole/core';

export function createJpegLosslessCodec(): FrameCodec {
  return {
    name: 'jpeg-lossless-decoder-js',
    decode: (encoded: Uint8Array, format: PixelFormat): Promise<FrameCodecOutput> => {
      try {
        const bytesPerSample = format.bitsAllocated <= 8 ? 1 : 2;
        // The decoder reads from an ArrayBuffer at an offset; pass the frame's view without copying.
        const decoded = new Decoder().decode(encoded.buffer as ArrayBuffer, encoded.byteOffset, encoded.length, bytesPerSample);
        return Promise.resolve({ samples: decoded });
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
