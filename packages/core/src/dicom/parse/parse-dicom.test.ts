import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { Tag } from '../tags.ts';
import { parseDicom } from './parse-dicom.ts';
import { buildDicom, imagePixelElements, type TestElement } from './test-support/build-dicom.ts';
import { TransferSyntax } from './transfer-syntax.ts';

const geometry: TestElement[] = [
  { tag: Tag.PatientName, vr: 'PN', value: 'Doe^Jane' },
  { tag: Tag.SeriesInstanceUID, vr: 'UI', value: '1.2.3.999' },
  { tag: Tag.InstanceNumber, vr: 'IS', value: '7' },
  { tag: Tag.ImagePositionPatient, vr: 'DS', value: '-100.5\\-80\\12.25' },
  { tag: Tag.ImageOrientationPatient, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
  { tag: Tag.PixelSpacing, vr: 'DS', value: '0.5\\0.75' },
  { tag: Tag.ImageType, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\AXIAL' },
  { tag: Tag.EffectiveEchoTime, vr: 'FD', value: [4.6] },
  {
    tag: Tag.PerFrameFunctionalGroupsSequence,
    vr: 'SQ',
    value: [
      [{ tag: Tag.PlanePositionSequence, vr: 'SQ', value: [[{ tag: Tag.ImagePositionPatient, vr: 'DS', value: '1\\2\\3' }]] }],
      [{ tag: Tag.PlanePositionSequence, vr: 'SQ', value: [[{ tag: Tag.ImagePositionPatient, vr: 'DS', value: '4\\5\\6' }]] }],
    ],
  },
];
const pixels16 = Uint8Array.from([1, 0, 2, 0, 0xff, 0xff, 4, 1]); // 1, 2, 65535, 260 little endian

function imageFile(transferSyntax: string, littleEndianPixels = pixels16): Uint8Array {
  return buildDicom({
    transferSyntax,
    elements: [...imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16, signed: true }), ...geometry, { tag: Tag.PixelData, vr: 'OW', value: littleEndianPixels }],
  });
}

function expectError(run: () => unknown, code: string, fragment: string | RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyholeError);
    expect((error as KeyholeError).code).toBe(code);
    expect((error as KeyholeError).message).toMatch(fragment);
    return;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

describe('parseDicom reads the data set the same in every native transfer syntax', () => {
  const cases: Array<[string, string]> = [
    ['explicit VR little endian', TransferSyntax.ExplicitVRLittleEndian],
    ['implicit VR little endian', TransferSyntax.ImplicitVRLittleEndian],
    ['explicit VR big endian', TransferSyntax.ExplicitVRBigEndian],
  ];
  for (const [name, syntax] of cases) {
    it(name, () => {
      const big = syntax === TransferSyntax.ExplicitVRBigEndian;
      const stored = big ? Uint8Array.from([0, 1, 0, 2, 0xff, 0xff, 1, 4]) : pixels16;
      const instance = parseDicom({ bytes: imageFile(syntax, stored), source: 'mem/a.dcm' });
      const d = instance.dataset;
      expect(instance.transferSyntaxUid).toBe(syntax);
      expect(instance.sopInstanceUid).toBe('1.2.3.4.5');
      expect(d.string(Tag.PatientName)).toBe('Doe^Jane');
      expect(d.number(Tag.InstanceNumber)).toBe(7);
      expect(d.numbers(Tag.ImagePositionPatient)).toEqual([-100.5, -80, 12.25]);
      expect(d.numbers(Tag.PixelSpacing)).toEqual([0.5, 0.75]);
      expect(d.strings(Tag.ImageType)).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
      expect(d.number(Tag.Rows)).toBe(2);
      expect(d.number(Tag.EffectiveEchoTime)).toBeCloseTo(4.6, 12);
      const frames = d.sequence(Tag.PerFrameFunctionalGroupsSequence);
      expect(frames).toHaveLength(2);
      expect(frames[1]?.sequence(Tag.PlanePositionSequence)[0]?.numbers(Tag.ImagePositionPatient)).toEqual([4, 5, 6]);
      expect(d.sequence(Tag.SharedFunctionalGroupsSequence)).toEqual([]);
      expect(d.has(Tag.SliceThickness)).toBe(false);
      expect(d.number(Tag.SliceThickness)).toBeUndefined();
      const pixelData = instance.pixelData;
      expect(pixelData?.format).toMatchObject({ rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1, numberOfFrames: 1, samplesPerPixel: 1 });
      expect(pixelData?.encapsulated).toBe(false);
      expect(pixelData?.littleEndian).toBe(!big);
      expect(Array.from(pixelData?.frame(0) ?? [])).toEqual(Array.from(stored));
    });
  }

  it('inflates deflated explicit VR little endian (PS3.5 §A.5)', () => {
    const plain = imageFile(TransferSyntax.ExplicitVRLittleEndian);
    const relabelled = imageFile(TransferSyntax.DeflatedExplicitVRLittleEndian);
    // The meta header differs in length between the two (the UID is longer); deflate what follows it.
    const metaEnd = 132 + 12 + new DataView(relabelled.buffer).getUint32(140, true);
    const plainMetaEnd = 132 + 12 + new DataView(plain.buffer).getUint32(140, true);
    const deflated = Uint8Array.from([...relabelled.subarray(0, metaEnd), ...deflateSync(plain.subarray(plainMetaEnd))]);
    const instance = parseDicom({ bytes: deflated, source: 'mem/deflated.dcm' });
    expect(instance.transferSyntaxUid).toBe(TransferSyntax.DeflatedExplicitVRLittleEndian);
    expect(instance.dataset.numbers(Tag.ImagePositionPatient)).toEqual([-100.5, -80, 12.25]);
    expect(Array.from(instance.pixelData?.frame(0) ?? [])).toEqual(Array.from(pixels16));
  });

  it('reads a raw data set without preamble (explicit and implicit VR)', () => {
    for (const syntax of [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian]) {
      const bytes = buildDicom({ transferSyntax: syntax, raw: true, elements: [...imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16 }), ...geometry, { tag: Tag.PixelData, vr: 'OW', value: pixels16 }] });
      const instance = parseDicom({ bytes, source: 'mem/raw' });
      expect(instance.transferSyntaxUid).toBe(syntax);
      expect(instance.dataset.numbers(Tag.PixelSpacing)).toEqual([0.5, 0.75]);
    }
  });

  it('decodes UTF-8 text when the character set is ISO_IR 192', () => {
    const bytes = buildDicom({
      elements: [
        { tag: Tag.SpecificCharacterSet, vr: 'CS', value: 'ISO_IR 192' },
        { tag: Tag.PatientName, vr: 'PN', value: Uint8Array.from([0x4d, 0xc3, 0xbc, 0x6c, 0x6c, 0x65, 0x72, 0x5e, 0x4a, 0x6f]) },
      ],
    });
    expect(parseDicom({ bytes, source: 'mem/utf8' }).dataset.string(Tag.PatientName)).toBe('Müller^Jo');
  });
});

describe('parseDicom pixel data', () => {
  it('gives pixelData undefined when there is none (not an error at parse time)', () => {
    const bytes = buildDicom({ elements: [...imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16 }), ...geometry] });
    expect(parseDicom({ bytes, source: 'mem/nopixels' }).pixelData).toBeUndefined();
  });

  it('hands out native frames as views of the file, without copying', () => {
    const frame0 = Uint8Array.from([1, 2, 3, 4]);
    const frame1 = Uint8Array.from([5, 6, 7, 8]);
    const bytes = buildDicom({ elements: [...imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 8, frames: 2 }), { tag: Tag.PixelData, vr: 'OB', value: Uint8Array.from([...frame0, ...frame1]) }] });
    const pixelData = parseDicom({ bytes, source: 'mem/frames' }).pixelData;
    expect(pixelData?.format.numberOfFrames).toBe(2);
    const second = pixelData?.frame(1);
    expect(Array.from(second ?? [])).toEqual([5, 6, 7, 8]);
    expect(second?.buffer).toBe(bytes.buffer);
    expect(() => pixelData?.frame(2)).toThrow(/frame 2 does not exist/);
  });

  it('splits encapsulated frames by the Basic Offset Table, by fragment, and by codestream markers', () => {
    const jpegA = Uint8Array.from([0xff, 0xd8, 1, 2]);
    const jpegB1 = Uint8Array.from([0xff, 0xd8, 3, 4]);
    const jpegB2 = Uint8Array.from([5, 6, 0xff, 0xd9]);
    const elements = imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 8, frames: 2 });
    const syntax = TransferSyntax.JPEGBaseline8Bit;
    const withTable = parseDicom({ bytes: buildDicom({ transferSyntax: syntax, elements, fragments: [jpegA, jpegB1, jpegB2], basicOffsetTable: [0, 12] }), source: 'mem/bot' });
    expect(withTable.pixelData?.encapsulated).toBe(true);
    expect(Array.from(withTable.pixelData?.frame(1) ?? [])).toEqual([...jpegB1, ...jpegB2]);
    const byMarker = parseDicom({ bytes: buildDicom({ transferSyntax: syntax, elements, fragments: [jpegA, jpegB1, jpegB2] }), source: 'mem/markers' });
    expect(Array.from(byMarker.pixelData?.frame(0) ?? [])).toEqual([...jpegA]);
    expect(Array.from(byMarker.pixelData?.frame(1) ?? [])).toEqual([...jpegB1, ...jpegB2]);
    const perFragment = parseDicom({ bytes: buildDicom({ transferSyntax: syntax, elements, fragments: [jpegA, jpegB1] }), source: 'mem/perfragment' });
    expect(Array.from(perFragment.pixelData?.frame(1) ?? [])).toEqual([...jpegB1]);
    const single = parseDicom({ bytes: buildDicom({ transferSyntax: syntax, elements: imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 8 }), fragments: [jpegB1, jpegB2] }), source: 'mem/single' });
    expect(Array.from(single.pixelData?.frame(0) ?? [])).toEqual([...jpegB1, ...jpegB2]);
  });

  it('refuses pixel data without Rows, naming the attribute', () => {
    const bytes = buildDicom({ elements: [{ tag: Tag.Columns, vr: 'US', value: [2] }, { tag: Tag.BitsAllocated, vr: 'US', value: [8] }, { tag: Tag.PixelData, vr: 'OB', value: Uint8Array.from([1, 2]) }] });
    expectError(() => parseDicom({ bytes, source: 'mem/norows' }), 'DICOM_MISSING_ATTRIBUTE', /mem\/norows.*\(0028,0010\) Rows is missing/);
  });
});

describe('parseDicom errors name the file and the problem', () => {
  const good = imageFile(TransferSyntax.ExplicitVRLittleEndian);

  it('not DICOM: text', () => {
    const text = Uint8Array.from('patient notes, definitely not an image\n'.repeat(10), (c) => c.charCodeAt(0));
    expectError(() => parseDicom({ bytes: text, source: 'notes.txt' }), 'DICOM_NOT_DICOM', /^notes\.txt: not a DICOM file/);
  });

  it('not DICOM: tiny and empty files', () => {
    expectError(() => parseDicom({ bytes: new Uint8Array(0), source: 'empty.dcm' }), 'DICOM_NOT_DICOM', /empty\.dcm.*only 0 bytes/);
    expectError(() => parseDicom({ bytes: Uint8Array.from([1, 2, 3]), source: 'tiny.dcm' }), 'DICOM_NOT_DICOM', /tiny\.dcm/);
  });

  it('truncated at every point after the meta header gives DICOM_TRUNCATED', () => {
    const codes = new Set<string>();
    for (let cut = 140; cut < good.length; cut += 3) {
      try {
        parseDicom({ bytes: good.subarray(0, cut), source: 'cut.dcm' });
        codes.add('parsed');
      } catch (error) {
        expect(error).toBeInstanceOf(KeyholeError);
        expect((error as KeyholeError).message).toMatch(/^cut\.dcm: /);
        codes.add((error as KeyholeError).code);
      }
    }
    // A cut exactly between elements leaves a shorter but valid data set; every other cut is reported as truncated.
    expect([...codes].filter((code) => code !== 'parsed' && code !== 'DICOM_MISSING_ATTRIBUTE')).toEqual(['DICOM_TRUNCATED']);
  });

  it('a file cut inside its pixel data is truncated', () => {
    expectError(() => parseDicom({ bytes: good.subarray(0, good.length - 3), source: 'short.dcm' }), 'DICOM_TRUNCATED', /short\.dcm: the file ends inside a DICOM element/);
  });

  it('garbage after a valid preamble is malformed or truncated, never a crash', () => {
    const bytes = new Uint8Array(400);
    bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
    for (let i = 132; i < bytes.length; i++) bytes[i] = (i * 37) & 0xff;
    try {
      parseDicom({ bytes, source: 'garbage.dcm' });
      throw new Error('garbage parsed');
    } catch (error) {
      expect(error).toBeInstanceOf(KeyholeError);
      expect(['DICOM_MALFORMED', 'DICOM_TRUNCATED']).toContain((error as KeyholeError).code);
      expect((error as KeyholeError).message).toMatch(/^garbage\.dcm: /);
    }
  });
});
