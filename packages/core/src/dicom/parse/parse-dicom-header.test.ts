import { describe, expect, it } from 'vitest';
import { Tag } from '../tags.ts';
import { parseDicom } from './parse-dicom.ts';
import { parseDicomHeader } from './parse-dicom-header.ts';
import { buildDicom, imagePixelElements } from './test-support/build-dicom.ts';
import { TransferSyntax } from './transfer-syntax.ts';

const ROWS = 160;
const COLUMNS = 120;

function pixels(frames = 1): Uint8Array {
  const words = new Uint16Array(ROWS * COLUMNS * frames);
  for (let i = 0; i < words.length; i++) words[i] = (i * 7919) % 4096;
  return new Uint8Array(words.buffer);
}

function file(options: { transferSyntax?: string; frames?: number } = {}): Uint8Array {
  const frames = options.frames ?? 1;
  return buildDicom({
    ...(options.transferSyntax !== undefined ? { transferSyntax: options.transferSyntax } : {}),
    elements: [
      { tag: Tag.PatientName, vr: 'PN', value: 'HEADER^FIRST' },
      ...imagePixelElements({ rows: ROWS, columns: COLUMNS, bitsAllocated: 16, bitsStored: 12, highBit: 11, frames }),
      { tag: Tag.PixelData, vr: 'OW', value: pixels(frames) },
    ],
  });
}

/** A reader over the whole file, counting what it is asked for, as io's file reader would read it. */
function reader(bytes: Uint8Array): { readRange: (offset: number, length: number) => Uint8Array; readRangeInto: (offset: number, target: Uint8Array) => void; reads: number[][] } {
  const reads: number[][] = [];
  return {
    reads,
    readRange: (offset, length) => {
      reads.push([offset, length]);
      return bytes.slice(offset, offset + length);
    },
    readRangeInto: (offset, target) => {
      reads.push([offset, target.length]);
      target.set(bytes.subarray(offset, offset + target.length));
    },
  };
}

describe('parseDicomHeader: the header from the start of a file, frames read on demand', () => {
  it('gives the same data set and frames as parsing the whole file, reading only the frame asked for', () => {
    const bytes = file({ frames: 3 });
    const whole = parseDicom({ bytes, source: 'whole.dcm' });
    const io = reader(bytes);
    const header = parseDicomHeader({ bytes: bytes.subarray(0, 2048), source: 'deferred.dcm', fileSize: bytes.length, ...io });
    expect(header).toBeDefined();
    expect(header?.dataset.string(Tag.PatientName)).toBe('HEADER^FIRST');
    expect(header?.pixelData?.format).toEqual(whole.pixelData?.format);
    expect(io.reads).toEqual([]);
    for (const frame of [2, 0, 1]) expect(header?.pixelData?.frame(frame)).toEqual(whole.pixelData?.frame(frame));
    const frameBytes = ROWS * COLUMNS * 2;
    expect(io.reads.map(([, length]) => length)).toEqual([frameBytes, frameBytes, frameBytes]);
    const into = new Uint8Array(frameBytes);
    header?.pixelData?.readFrameInto?.(1, into);
    expect(into).toEqual(whole.pixelData?.frame(1));
  });

  it('says undefined (read the whole file) whenever the start cannot settle it', () => {
    const bytes = file();
    const io = reader(bytes);
    const at = (start: Uint8Array, fileSize = bytes.length, source = 'x.dcm') => parseDicomHeader({ bytes: start, source, fileSize, ...io });
    // The start ends inside the header.
    expect(at(bytes.subarray(0, 200))).toBeUndefined();
    // The pixel data would run past the end of the file: a truncated file, for parseDicom to report.
    expect(at(bytes.subarray(0, 2048), 4096)).toBeUndefined();
    // No preamble: a raw data set is parsed whole.
    expect(at(bytes.subarray(128, 2048), bytes.length - 128)).toBeUndefined();
    // Encapsulated and deflated syntaxes need the whole file.
    const rle = buildDicom({ transferSyntax: TransferSyntax.RLELossless, elements: imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 8 }), fragments: [new Uint8Array(64)] });
    expect(at(rle, rle.length)).toBeUndefined();
  });

  it('reads big-endian and implicit-VR native files header first too', () => {
    for (const transferSyntax of [TransferSyntax.ExplicitVRBigEndian, TransferSyntax.ImplicitVRLittleEndian]) {
      const bytes = file({ transferSyntax });
      const whole = parseDicom({ bytes, source: 'whole.dcm' });
      const header = parseDicomHeader({ bytes: bytes.subarray(0, 4096), source: 'deferred.dcm', fileSize: bytes.length, ...reader(bytes) });
      expect(header?.transferSyntaxUid).toBe(transferSyntax);
      expect(header?.pixelData?.littleEndian).toBe(whole.pixelData?.littleEndian);
      expect(header?.pixelData?.frame(0)).toEqual(whole.pixelData?.frame(0));
    }
  });
});
