/**
 * JPEG Extended (Process 2 & 4), 1.2.840.10008.1.2.4.51: 12-bit lossy JPEG.
 *
 * There is no maintained JavaScript/WASM decoder for 12-bit JPEG on npm. cornerstone's
 * dicom-image-loader decodes this syntax with a copy of pdf.js's JpegImage patched for 12-bit
 * precision, vendored inside the loader (src/codecs/jpeg.js) rather than published; the
 * libjpeg-turbo WASM build it uses (@cornerstonejs/codec-libjpeg-turbo-8bit) is compiled for 8-bit
 * samples only. Rather than vendor an unmaintained decoder, Keyhole refuses the syntax with the
 * reason and a way out (DCMTK's dcmdjpeg decompresses it). 8-bit images labelled with this UID
 * (it also covers process 2, 8-bit) are decoded by libjpeg-turbo.
 */
import { KeyholeError, type FrameCodec, type FrameCodecOutput, type PixelFormat } from '@keyhole/core';

export function createJpegExtendedCodec(baseline8Bit: FrameCodec): FrameCodec {
  return {
    name: `${baseline8Bit.name} (8-bit only)`,
    decode: (encoded: Uint8Array, format: PixelFormat): Promise<FrameCodecOutput> => {
      if (format.bitsStored <= 8 && format.bitsAllocated === 8) return baseline8Bit.decode(encoded, format);
      return Promise.reject(
        new KeyholeError('DICOM_UNSUPPORTED_TRANSFER_SYNTAX', {
          message: `transfer syntax 1.2.840.10008.1.2.4.51 (JPEG Extended (Process 2 & 4)) with ${format.bitsStored}-bit samples is not supported: no maintained 12-bit JPEG decoder exists for JavaScript; decompress the file first (dcmdjpeg in.dcm out.dcm)`,
          details: { transferSyntaxUid: '1.2.840.10008.1.2.4.51', bitsStored: format.bitsStored },
        }),
      );
    },
  };
}
