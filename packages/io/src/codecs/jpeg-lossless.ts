/**
 * JPEG Lossless, processes 14 and 14 SV1 (1.2.840.10008.1.2.4.57 and .70; ITU-T T.81 Annex H),
 * decoded by jpeg-lossless-decoder-js (rii-mango), the decoder cornerstone's dicom-image-loader
 * uses for these syntaxes. Pure JavaScript, but its module builds its tables when it is loaded
 * (~30 ms, measured in a worker's start-up profile), so it is imported on the first frame only.
 */
import type { FrameCodec, FrameCodecOutput, PixelFormat } from '@keyhole/core';

type DecoderModule = typeof import('jpeg-lossless-decoder-js');

export function createJpegLosslessCodec(): FrameCodec {
  let loaded: Promise<DecoderModule> | undefined;
  return {
    name: 'jpeg-lossless-decoder-js',
    decode: async (encoded: Uint8Array, format: PixelFormat): Promise<FrameCodecOutput> => {
      const { Decoder } = await (loaded ??= import('jpeg-lossless-decoder-js'));
      const bytesPerSample = format.bitsAllocated <= 8 ? 1 : 2;
      // The decoder reads from an ArrayBuffer at an offset; pass the frame's view without copying.
      const decoded = new Decoder().decode(encoded.buffer as ArrayBuffer, encoded.byteOffset, encoded.length, bytesPerSample);
      return { samples: decoded };
    },
  };
}
