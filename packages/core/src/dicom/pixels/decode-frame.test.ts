import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { parseDicom } from '../parse/parse-dicom.ts';
import { buildDicom, imagePixelElements } from '../parse/test-support/build-dicom.ts';
import { TransferSyntax } from '../parse/transfer-syntax.ts';
import { Tag } from '../tags.ts';
import { decodeFrame } from './decode-frame.ts';
import type { FrameCodec, FrameCodecRegistry } from './frame-codec.ts';

const noCodecs: FrameCodecRegistry = new Map();

function le16(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  values.forEach((v, i) => { bytes[2 * i] = v & 0xff; bytes[2 * i + 1] = (v >> 8) & 0xff; });
  return bytes;
}

interface NativeCase {
  rows?: number; columns?: number; bitsAllocated: number; bitsStored?: number; highBit?: number; signed?: boolean; frames?: number;
  pixels: Uint8Array; syntax?: string; vr?: string;
}

async function decodeNative(c: NativeCase, frame = 0) {
  const bytes = buildDicom({
    transferSyntax: c.syntax ?? TransferSyntax.ExplicitVRLittleEndian,
    elements: [
      ...imagePixelElements({ rows: c.rows ?? 2, columns: c.columns ?? 2, bitsAllocated: c.bitsAllocated, ...(c.bitsStored !== undefined ? { bitsStored: c.bitsStored } : {}), ...(c.highBit !== undefined ? { highBit: c.highBit } : {}), signed: c.signed ?? false, ...(c.frames !== undefined ? { frames: c.frames } : {}) }),
      { tag: Tag.PixelData, vr: c.vr ?? (c.bitsAllocated > 8 ? 'OW' : 'OB'), value: c.pixels },
    ],
  });
  return decodeFrame({ instance: parseDicom({ bytes, source: 'mem/x.dcm' }), frame, codecs: noCodecs });
}

describe('decodeFrame returns stored values in the natural type (native syntaxes)', () => {
  it('16-bit signed, full width', async () => {
    const { pixels } = await decodeNative({ bitsAllocated: 16, signed: true, pixels: le16([0, 1, 0xffff, 0x8000]) });
    expect(pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(pixels)).toEqual([0, 1, -1, -32768]);
  });

  it('12 of 16 bits: masks bits above High Bit (overlay garbage) for unsigned', async () => {
    const { pixels } = await decodeNative({ bitsAllocated: 16, bitsStored: 12, pixels: le16([0xf000 | 4095, 0x1000 | 7, 0, 2048]) });
    expect(pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(pixels)).toEqual([4095, 7, 0, 2048]);
  });

  it('12 of 16 bits: garbage in either half of a 32-bit word, or in the odd last pixel, is found and masked', async () => {
    // 3×3 = 9 pixels: the scan ORs pixel pairs through a 32-bit view, and pixel 8 has no partner.
    for (const dirty of [0, 1, 4, 7, 8]) {
      const values = Array.from({ length: 9 }, (_, i) => 100 * i);
      values[dirty] = (values[dirty] ?? 0) | 0x2000;
      const { pixels } = await decodeNative({ rows: 3, columns: 3, bitsAllocated: 16, bitsStored: 12, pixels: le16(values) });
      expect(Array.from(pixels), `dirty pixel ${dirty}`).toEqual(Array.from({ length: 9 }, (_, i) => 100 * i));
    }
    // Clean 12-bit data is returned as a view of the file's bytes, not copied.
    const clean = await decodeNative({ rows: 3, columns: 3, bitsAllocated: 16, bitsStored: 12, pixels: le16([1, 2, 3, 4, 5, 6, 7, 8, 4095]) });
    expect(Array.from(clean.pixels)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 4095]);
  });

  it('12 of 16 bits signed: sign-extends from bit 11', async () => {
    const { pixels } = await decodeNative({ bitsAllocated: 16, bitsStored: 12, signed: true, pixels: le16([0x0fff, 0x0800, 0x07ff, 0xf001]) });
    expect(pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(pixels)).toEqual([-1, -2048, 2047, 1]);
  });

  it('12 bits stored at High Bit 15: shifts the value down', async () => {
    const { pixels } = await decodeNative({ bitsAllocated: 16, bitsStored: 12, highBit: 15, pixels: le16([0xfff0, 0x0010, 0x000f, 0x8000]) });
    expect(Array.from(pixels)).toEqual([4095, 1, 0, 2048]);
  });

  it('explicit VR big endian 16-bit is byte-swapped', async () => {
    const { pixels } = await decodeNative({ bitsAllocated: 16, signed: true, syntax: TransferSyntax.ExplicitVRBigEndian, pixels: Uint8Array.from([0x01, 0x02, 0xff, 0xfe, 0x00, 0x00, 0x80, 0x00]) });
    expect(Array.from(pixels)).toEqual([0x0102, -2, 0, -32768]);
  });

  it('implicit VR little endian reads the same', async () => {
    const { pixels } = await decodeNative({ bitsAllocated: 16, syntax: TransferSyntax.ImplicitVRLittleEndian, pixels: le16([1, 2, 3, 65535]) });
    expect(Array.from(pixels)).toEqual([1, 2, 3, 65535]);
  });

  it('8-bit signed and unsigned', async () => {
    expect(Array.from((await decodeNative({ bitsAllocated: 8, pixels: Uint8Array.from([0, 127, 128, 255]) })).pixels)).toEqual([0, 127, 128, 255]);
    const signed = await decodeNative({ bitsAllocated: 8, signed: true, pixels: Uint8Array.from([0, 127, 128, 255]) });
    expect(signed.pixels).toBeInstanceOf(Int8Array);
    expect(Array.from(signed.pixels)).toEqual([0, 127, -128, -1]);
  });

  it('32-bit signed', async () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setInt32(0, -5, true);
    new DataView(bytes.buffer).setInt32(4, 2_000_000_000, true);
    const { pixels } = await decodeNative({ bitsAllocated: 32, signed: true, pixels: bytes });
    expect(pixels).toBeInstanceOf(Int32Array);
    expect(Array.from(pixels)).toEqual([-5, 2_000_000_000, 0, 0]);
  });

  it('1-bit pixels are unpacked LSB first (PS3.5 D.1) to one byte each', async () => {
    const { pixels, format } = await decodeNative({ rows: 2, columns: 4, bitsAllocated: 1, pixels: Uint8Array.from([0b10100101, 0]) });
    expect(Array.from(pixels)).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
    expect(format.bitsAllocated).toBe(8);
  });

  it('picks the right frame of a multi-frame image', async () => {
    const { pixels } = await decodeNative({ bitsAllocated: 16, frames: 3, pixels: le16([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]) }, 2);
    expect(Array.from(pixels)).toEqual([3, 3, 3, 3]);
  });

  it('Float Pixel Data (7FE0,0008) comes back as Float32Array', async () => {
    const values = Float32Array.from([1.5, -2.25, 0, 1e6]);
    const bytes = buildDicom({
      elements: [
        { tag: Tag.Rows, vr: 'US', value: [2] }, { tag: Tag.Columns, vr: 'US', value: [2] }, { tag: Tag.BitsAllocated, vr: 'US', value: [32] },
        { tag: Tag.FloatPixelData, vr: 'OF', value: new Uint8Array(values.buffer) },
      ],
    });
    const { pixels } = await decodeFrame({ instance: parseDicom({ bytes, source: 'mem/float.dcm' }), frame: 0, codecs: noCodecs });
    expect(pixels).toBeInstanceOf(Float32Array);
    expect(Array.from(pixels)).toEqual([1.5, -2.25, 0, 1e6]);
  });
});

describe('decodeFrame with codecs', () => {
  const elements = imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 12, signed: true });
  const file = (syntax: string) => parseDicom({ bytes: buildDicom({ transferSyntax: syntax, elements, fragments: [Uint8Array.from([0xff, 0xd8, 0, 0])] }), source: 'mem/compressed.dcm' });
  const codec = (decode: FrameCodec['decode']): FrameCodecRegistry => new Map([[TransferSyntax.JPEGLSLossless, { name: 'fake', decode }]]);

  it('sign-extends a codec\'s raw 12-bit output', async () => {
    const registry = codec(() => Promise.resolve({ samples: Uint16Array.from([0x0fff, 0x0800, 5, 0]) }));
    const { pixels, format } = await decodeFrame({ instance: file(TransferSyntax.JPEGLSLossless), frame: 0, codecs: registry });
    expect(pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(pixels)).toEqual([-1, -2048, 5, 0]);
    expect(format.highBit).toBe(11);
  });

  it('unknown or unregistered syntax → DICOM_UNSUPPORTED_TRANSFER_SYNTAX naming the UID and its name', async () => {
    await expect(decodeFrame({ instance: file(TransferSyntax.MPEG2MPML), frame: 0, codecs: noCodecs })).rejects.toMatchObject({
      code: 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      message: expect.stringMatching(/^mem\/compressed\.dcm: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.100 \(MPEG2 Main Profile \/ Main Level\) is not supported/),
    });
    await expect(decodeFrame({ instance: file('1.2.3.4.5.6'), frame: 0, codecs: noCodecs })).rejects.toMatchObject({ code: 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX', message: expect.stringContaining('1.2.3.4.5.6 (unknown transfer syntax)') });
  });

  it('a decoder exception → DICOM_DECODE_FAILED naming file and frame', async () => {
    const registry = codec(() => Promise.reject(new Error('bad marker')));
    await expect(decodeFrame({ instance: file(TransferSyntax.JPEGLSLossless), frame: 0, codecs: registry })).rejects.toMatchObject({
      code: 'DICOM_DECODE_FAILED',
      message: expect.stringMatching(/^mem\/compressed\.dcm: frame 0 could not be decoded .* by fake: bad marker/),
    });
  });

  it('a wrong output length → DICOM_DECODE_FAILED', async () => {
    const registry = codec(() => Promise.resolve({ samples: new Uint16Array(3) }));
    await expect(decodeFrame({ instance: file(TransferSyntax.JPEGLSLossless), frame: 0, codecs: registry })).rejects.toMatchObject({ code: 'DICOM_DECODE_FAILED', message: expect.stringContaining('frame 0 decoded to 3 samples, expected 4') });
  });

  it('no pixel data → DICOM_MISSING_PIXEL_DATA', async () => {
    const instance = parseDicom({ bytes: buildDicom({ elements }), source: 'mem/sr.dcm' });
    await expect(decodeFrame({ instance, frame: 0, codecs: noCodecs })).rejects.toBeInstanceOf(KeyholeError);
    await expect(decodeFrame({ instance, frame: 0, codecs: noCodecs })).rejects.toMatchObject({ code: 'DICOM_MISSING_PIXEL_DATA', message: expect.stringContaining('mem/sr.dcm') });
  });

  it('native pixel data shorter than the header needs → DICOM_DECODE_FAILED', async () => {
    await expect(decodeNative({ rows: 4, columns: 4, bitsAllocated: 16, pixels: le16([1, 2, 3]) })).rejects.toMatchObject({ code: 'DICOM_DECODE_FAILED', message: expect.stringContaining('frame 0') });
  });
});
