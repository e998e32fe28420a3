/**
 * Bad input on real files: each gives a KeyholeError whose code says what is wrong and whose
 * message names the file (and the frame, for decoding).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, KeyholeError, parseDicom, TransferSyntax, type FrameCodecRegistry } from '@keyhole/core';
import { createNodeCodecRegistry } from './node-codec-registry.ts';
import { decodeRle } from './rle.ts';
import { sharedData } from './test-support/external-tools.ts';

let codecs: FrameCodecRegistry;
beforeAll(async () => {
  codecs = await createNodeCodecRegistry();
});

/** Rewrites the Transfer Syntax UID in the file meta group, fixing the group length (PS3.10 §7.1). */
function withTransferSyntax(file: Uint8Array, uid: string): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const parts: Uint8Array[] = [file.subarray(0, 132)];
  let position = 132;
  const meta: Uint8Array[] = [];
  while (view.getUint16(position, true) === 0x0002) {
    const element = view.getUint16(position + 2, true);
    const vr = String.fromCharCode(file[position + 4] as number, file[position + 5] as number);
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT'].includes(vr);
    const length = long ? view.getUint32(position + 8, true) : view.getUint16(position + 6, true);
    const headerLength = long ? 12 : 8;
    const end = position + headerLength + length;
    if (element === 0x0010) {
      const value = uid.length % 2 === 0 ? uid : `${uid}\0`;
      const rebuilt = new Uint8Array(8 + value.length);
      rebuilt.set(file.subarray(position, position + 6));
      new DataView(rebuilt.buffer).setUint16(6, value.length, true);
      rebuilt.set(Uint8Array.from(value, (c) => c.charCodeAt(0)), 8);
      meta.push(rebuilt);
    } else if (element !== 0x0000) meta.push(file.subarray(position, end));
    position = end;
  }
  const metaLength = meta.reduce((sum, part) => sum + part.length, 0);
  const groupLength = Uint8Array.from([0x02, 0, 0, 0, 0x55, 0x4c, 4, 0, 0, 0, 0, 0]);
  new DataView(groupLength.buffer).setUint32(8, metaLength, true);
  parts.push(groupLength, ...meta, file.subarray(position));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}

async function expectRejection(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(KeyholeError);
  expect((error as KeyholeError).code).toBe(code);
  expect((error as KeyholeError).message).toMatch(pattern);
}

const qa = sharedData('dicom-transfer-syntaxes/In');
describe.skipIf(!qa.ok)(`bad input made from real files ${qa.note}`, () => {
  const read = (n: number): Uint8Array => readFileSync(join(qa.path, `${n}.dcm`));

  it('a truncated file → DICOM_TRUNCATED naming it', () => {
    for (const n of [1, 2, 3, 5, 9]) {
      const bytes = read(n);
      for (const fraction of [0.001, 0.5, 0.99]) {
        const cut = bytes.subarray(0, Math.floor(bytes.length * fraction) + 140);
        expect(() => parseDicom({ bytes: cut, source: `cut-${n}.dcm` }), `${n}.dcm cut at ${fraction}`).toThrow(expect.objectContaining({ code: 'DICOM_TRUNCATED', message: expect.stringMatching(new RegExp(`^cut-${n}\\.dcm: the file ends inside a DICOM element`)) }));
      }
    }
  });

  it('a file rewritten to MPEG2 → DICOM_UNSUPPORTED_TRANSFER_SYNTAX with the UID and its name', async () => {
    const instance = parseDicom({ bytes: withTransferSyntax(read(5), TransferSyntax.MPEG2MPML), source: 'mpeg2.dcm' });
    expect(instance.transferSyntaxUid).toBe(TransferSyntax.MPEG2MPML);
    await expectRejection(decodeFrame({ instance, frame: 0, codecs }), 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX', /^mpeg2\.dcm: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.100 \(MPEG2 Main Profile \/ Main Level\) is not supported/);
  });

  it('the same codestream labelled with another compression → DICOM_DECODE_FAILED naming file and frame', async () => {
    const instance = parseDicom({ bytes: withTransferSyntax(read(9), TransferSyntax.JPEGLSLossless), source: 'mislabelled.dcm' });
    await expectRejection(decodeFrame({ instance, frame: 0, codecs }), 'DICOM_DECODE_FAILED', /^mislabelled\.dcm: frame 0 could not be decoded as 1\.2\.840\.10008\.1\.2\.4\.80 \(JPEG-LS Lossless\) by CharLS/);
  });

  const corruptions: Array<[number, string]> = [[4, 'RLE'], [5, 'JPEG lossless'], [7, 'JPEG-LS'], [9, 'JPEG 2000']];
  for (const [n, name] of corruptions) {
    it(`a corrupted ${name} frame (${n}.dcm, codestream header overwritten) → DICOM_DECODE_FAILED`, async () => {
      const bytes = Uint8Array.from(read(n));
      const instance = parseDicom({ bytes, source: `corrupt-${n}.dcm` });
      const frame = instance.pixelData?.frame(0) as Uint8Array;
      // Keep the first two bytes (SOI/SOC) so the frame is still located, then destroy the headers.
      frame.fill(0xff, 2, 40);
      await expectRejection(decodeFrame({ instance, frame: 0, codecs }), 'DICOM_DECODE_FAILED', new RegExp(`^corrupt-${n}\\.dcm: frame 0`));
    });
  }
});

describe('RLE Lossless (PS3.5 Annex G)', () => {
  const format = { rows: 2, columns: 3, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, numberOfFrames: 1 } as const;

  function rleFrame(segments: number[][]): Uint8Array {
    const header = new Uint8Array(64);
    const view = new DataView(header.buffer);
    view.setUint32(0, segments.length, true);
    let offset = 64;
    segments.forEach((segment, i) => { view.setUint32(4 + i * 4, offset, true); offset += segment.length; });
    return Uint8Array.from([...header, ...segments.flat()]);
  }

  it('decodes literal and replicate runs, high byte segment first', () => {
    // High bytes: replicate 0x01 three times (-2 = 254), then literal [0x02, 0x03, 0x04] (n = 2).
    // Low bytes: literal six bytes (n = 5), with a no-op (-128) first.
    const frame = rleFrame([[254, 0x01, 2, 0x02, 0x03, 0x04], [128, 5, 10, 20, 30, 40, 50, 60]]);
    expect(Array.from(decodeRle(frame, format))).toEqual([0x010a, 0x0114, 0x011e, 0x0228, 0x0332, 0x043c]);
  });

  it('interleaves colour samples for Planar Configuration 0', () => {
    const rgb = { ...format, rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, highBit: 7 } as const;
    const frame = rleFrame([[1, 1, 2], [1, 3, 4], [1, 5, 6]]);
    expect(Array.from(decodeRle(frame, rgb))).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it('refuses a wrong segment count and a short segment', () => {
    expect(() => decodeRle(rleFrame([[5, 1, 2, 3, 4, 5, 6]]), format)).toThrow(/announces 1 segment\(s\)/);
    expect(() => decodeRle(rleFrame([[1, 1, 2], [1, 3, 4]]), format)).toThrow(/segment 0 decodes to 2 bytes, the image needs 6/);
  });
});
