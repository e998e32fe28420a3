/**
 * RLE Lossless (1.2.840.10008.1.2.5) decoder, PS3.5 Annex G. No maintained standalone RLE
 * decoder package exists for JavaScript (cornerstone's dicom-image-loader and dcm2niix each
 * carry their own few dozen lines), so this is the same small algorithm, written from the Annex:
 *
 * - G.5: each frame starts with a 64-byte header: the number of segments (UL, ≤ 15) and 15 segment
 *   offsets (UL) from the start of the header; unused offsets are 0.
 * - G.2: one segment per byte of each sample: for each sample (R, G, B…), its most significant
 *   byte first. A 16-bit monochrome image has two segments: high bytes, then low bytes.
 * - G.3.1: a segment is PackBits: header byte n in 0..127 → copy the next n+1 bytes; n in
 *   -127..-1 → repeat the next byte 1-n times; -128 → no operation.
 *
 * Output follows the header's Planar Configuration (0 interleaved, the usual case).
 * Pure TypeScript: usable in the browser as is.
 */
import { KeyholeError, type FrameCodec, type FrameCodecOutput, type IntegerSampleArray, type PixelFormat } from '@keyhole/core';

export function createRleCodec(): FrameCodec {
  return {
    name: 'RLE Lossless (Keyhole, PS3.5 Annex G)',
    decode: (encoded: Uint8Array, format: PixelFormat): Promise<FrameCodecOutput> => {
      try {
        return Promise.resolve({ samples: decodeRle(encoded, format) });
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

export function decodeRle(encoded: Uint8Array, format: PixelFormat): IntegerSampleArray {
  const bytesPerSample = Math.ceil(format.bitsAllocated / 8);
  const pixels = format.rows * format.columns;
  const samplesPerPixel = format.samplesPerPixel;
  if (encoded.length < 64) fail(`the frame has ${encoded.length} bytes, fewer than the 64-byte RLE header`);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.length);
  const segmentCount = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segmentCount !== expected) {
    fail(`the RLE header announces ${segmentCount} segment(s); ${samplesPerPixel} sample(s) of ${bytesPerSample} byte(s) need ${expected}`);
  }
  const offsets: number[] = [];
  for (let i = 0; i < segmentCount; i++) offsets.push(view.getUint32(4 + i * 4, true));
  for (let i = 0; i < segmentCount; i++) {
    const start = offsets[i] as number;
    const end = i + 1 < segmentCount ? (offsets[i + 1] as number) : encoded.length;
    if (start < 64 || end > encoded.length || end < start) fail(`segment ${i} lies at bytes ${start}..${end}, outside the ${encoded.length}-byte frame`);
  }

  const samples = bytesPerSample === 1 ? new Uint8Array(pixels * samplesPerPixel) : bytesPerSample === 2 ? new Uint16Array(pixels * samplesPerPixel) : new Uint32Array(pixels * samplesPerPixel);
  const segment = new Uint8Array(pixels);
  const planar = format.planarConfiguration === 1;
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s] as number;
    const end = s + 1 < segmentCount ? (offsets[s + 1] as number) : encoded.length;
    unpackBits(encoded, start, end, segment, s);
    const sample = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
    const base = planar ? sample * pixels : sample;
    const step = planar ? 1 : samplesPerPixel;
    if (shift === 0 && bytesPerSample === 1) {
      for (let p = 0; p < pixels; p++) samples[base + p * step] = segment[p] as number;
    } else {
      for (let p = 0; p < pixels; p++) {
        const index = base + p * step;
        samples[index] = (samples[index] as number) + (segment[p] as number) * 2 ** shift;
      }
    }
  }
  return samples;
}

/** PackBits (G.3.1) from encoded[start..end) into `target`, which it must fill exactly. */
function unpackBits(encoded: Uint8Array, start: number, end: number, target: Uint8Array, segment: number): void {
  let out = 0;
  let i = start;
  while (i < end && out < target.length) {
    const header = encoded[i++] as number;
    if (header < 128) {
      const count = header + 1;
      if (i + count > end || out + count > target.length) fail(`segment ${segment}: a literal run of ${count} bytes overruns the segment or the image`);
      target.set(encoded.subarray(i, i + count), out);
      i += count;
      out += count;
    } else if (header > 128) {
      const count = 257 - header;
      if (i >= end || out + count > target.length) fail(`segment ${segment}: a replicate run of ${count} bytes overruns the segment or the image`);
      target.fill(encoded[i++] as number, out, out + count);
      out += count;
    }
    // header === 128 (-128): no operation (G.3.1).
  }
  if (out !== target.length) fail(`segment ${segment} decodes to ${out} bytes, the image needs ${target.length}`);
}

function fail(message: string): never {
  throw new KeyholeError('DICOM_DECODE_FAILED', { message: `RLE: ${message}` });
}
