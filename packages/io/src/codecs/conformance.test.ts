/**
 * Conformance of parsing + decoding against real files and real reference tools:
 * - dcm_qa_ts (one MR image in nine transfer syntaxes): every file decodes to exactly the
 *   pixels of the uncompressed 1.dcm, which equal what pydicom reads; each compressed file also
 *   equals what DCMTK/GDCM decompress it to.
 * - The real CT slice (JPEG 2000 lossless) equals pydicom's decode.
 * - Fixtures made at test time from the CT slice with DCMTK (dcmconv, dcmcrle, dcmcjpeg, dcmcjpls),
 *   GDCM (lossy JPEG 2000) and OpenJPH (HTJ2K): lossless ones decode exactly, lossy ones within
 *   a bound of the reference tool's own decode.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, parseDicom, Tag, TransferSyntax, type DicomInstance, type FrameCodecRegistry, type StoredPixelArray } from '@keyhole/core';
import { buildDicom, imagePixelElements } from '../../../core/src/dicom/parse/test-support/build-dicom.ts';
import { createNodeCodecRegistry } from './node-codec-registry.ts';
import { pythonWithPydicom, run, sharedData, tempFolder, tools } from './test-support/external-tools.ts';

let codecs: FrameCodecRegistry;
beforeAll(async () => {
  codecs = await createNodeCodecRegistry();
});

function parseFile(path: string): DicomInstance {
  return parseDicom({ bytes: readFileSync(path), source: path });
}

async function decodeFile(path: string, frame = 0): Promise<StoredPixelArray> {
  return (await decodeFrame({ instance: parseFile(path), frame, codecs })).pixels;
}

/** pydicom's pixel_array, as int32 values (independent reader; Debian's python3-pydicom). */
function pydicomPixels(path: string, folder: string): Int32Array {
  const python = pythonWithPydicom() as string;
  const out = join(folder, `pydicom-${Math.abs(hash(path))}.raw`);
  run(python, ['-c', 'import sys, pydicom, numpy; a = pydicom.dcmread(sys.argv[1]).pixel_array; open(sys.argv[2], "wb").write(a.astype("<i4").tobytes())', path, out]);
  const bytes = readFileSync(out);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function expectSamePixels(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  expect(maxAbsDifference(actual, expected)).toBe(0);
}

const qa = sharedData('dicom-transfer-syntaxes/In');
const qaFile = (n: number): string => join(qa.path, `${n}.dcm`);

describe.skipIf(!qa.ok)(`dcm_qa_ts: nine transfer syntaxes decode to the same pixels ${qa.note}`, () => {
  const expectedSyntax: Record<number, string> = {
    1: TransferSyntax.ExplicitVRLittleEndian,
    2: TransferSyntax.ImplicitVRLittleEndian,
    3: TransferSyntax.ExplicitVRBigEndian,
    4: TransferSyntax.RLELossless,
    5: TransferSyntax.JPEGLosslessSV1,
    6: TransferSyntax.JPEGLosslessSV1,
    7: TransferSyntax.JPEGLSLossless,
    8: TransferSyntax.JPEGLSLossless,
    9: TransferSyntax.JPEG2000Lossless,
  };

  for (const n of [2, 3, 4, 5, 6, 7, 8, 9]) {
    it(`${n}.dcm (${expectedSyntax[n]}) equals 1.dcm pixel for pixel`, async () => {
      const instance = parseFile(qaFile(n));
      expect(instance.transferSyntaxUid).toBe(expectedSyntax[n]);
      const reference = await decodeFile(qaFile(1));
      const pixels = (await decodeFrame({ instance, frame: 0, codecs })).pixels;
      expect(pixels).toBeInstanceOf(Uint16Array);
      expect(pixels.length).toBe(384 * 384);
      expectSamePixels(pixels, reference);
    });
  }

  it('1.dcm reads the header the way dcmdump does', () => {
    const d = parseFile(qaFile(1)).dataset;
    expect(d.number(Tag.Rows)).toBe(384);
    expect(d.numbers(Tag.PixelSpacing)).toEqual([3.25, 3.25]);
    expect(d.number(Tag.SiemensNumberOfImagesInMosaic)).toBe(35);
    expect(d.strings(Tag.ImageType)).toContain('MOSAIC');
  });
});

const pydicomGate = tools(['python3+pydicom']);
describe.skipIf(!qa.ok || !pydicomGate.ok)(`the uncompressed pixels equal pydicom's ${qa.note} ${pydicomGate.note}`, () => {
  const folder = tempFolder('pydicom');
  afterAll(folder.remove);

  for (const n of [1, 2, 3]) {
    it(`${n}.dcm`, async () => {
      expectSamePixels(await decodeFile(qaFile(n)), pydicomPixels(qaFile(n), folder.path));
    });
  }
});

const dcmtkGate = tools(['dcmdjpeg', 'dcmdrle', 'dcmdjpls', 'gdcmconv']);
describe.skipIf(!qa.ok || !dcmtkGate.ok)(`compressed files equal what DCMTK and GDCM decompress them to ${qa.note} ${dcmtkGate.note}`, () => {
  const folder = tempFolder('dcmtk');
  afterAll(folder.remove);
  const decompressors: Array<[number, string, (input: string, output: string) => string[]]> = [
    [4, 'dcmdrle', (i, o) => [i, o]],
    [5, 'dcmdjpeg', (i, o) => [i, o]],
    [6, 'dcmdjpeg', (i, o) => [i, o]],
    [7, 'dcmdjpls', (i, o) => [i, o]],
    [8, 'dcmdjpls', (i, o) => [i, o]],
    [9, 'gdcmconv', (i, o) => ['--raw', i, o]],
  ];
  for (const [n, tool, args] of decompressors) {
    it(`${n}.dcm vs ${tool}`, async () => {
      const output = join(folder.path, `${n}-${tool}.dcm`);
      run(tool, args(qaFile(n), output));
      const reference = parseFile(output);
      expect(reference.pixelData?.encapsulated).toBe(false);
      expectSamePixels(await decodeFile(qaFile(n)), await decodeFile(output));
    });
  }
});

const ct = sharedData('ct-dicom-series/dicom');
describe.skipIf(!ct.ok || !pydicomGate.ok)(`real CT series (JPEG 2000 lossless) equals pydicom's decode ${ct.note} ${pydicomGate.note}`, () => {
  const folder = tempFolder('ct');
  afterAll(folder.remove);
  it('first, middle and last slice', async () => {
    const files = readdirSync(ct.path).sort();
    for (const name of [files[0], files[Math.floor(files.length / 2)], files[files.length - 1]]) {
      const path = join(ct.path, name as string);
      const pixels = await decodeFile(path);
      expect(pixels).toBeInstanceOf(Uint16Array);
      expectSamePixels(pixels, pydicomPixels(path, folder.path));
    }
  });
});

const fixtureGate = tools(['dcmconv', 'dcmcrle', 'dcmcjpeg', 'dcmdjpeg', 'dcmcjpls', 'dcmdjpls', 'gdcmconv', 'ojph_compress', 'ojph_expand']);
describe.skipIf(!ct.ok || !fixtureGate.ok)(`fixtures encoded at test time by DCMTK, GDCM and OpenJPH ${ct.note} ${fixtureGate.note}`, () => {
  const folder = tempFolder('fixtures');
  afterAll(folder.remove);
  const at = (name: string): string => join(folder.path, name);
  let truth12: Uint16Array;
  let truth8: Uint8Array;
  const rows = 512;
  const columns = 512;

  beforeAll(async () => {
    // The native source: the real CT slice's stored values (12 of 16 bits, unsigned), written as
    // explicit VR little endian with the CT's own pixel module, so every encoder starts from the same truth.
    const slice = join(ct.path, readdirSync(ct.path).sort()[0] as string);
    truth12 = (await decodeFile(slice)) as Uint16Array;
    writeFileSync(at('source16.dcm'), buildDicom({
      elements: [...imagePixelElements({ rows, columns, bitsAllocated: 16, bitsStored: 12 }), { tag: Tag.PixelData, vr: 'OW', value: new Uint8Array(truth12.buffer, truth12.byteOffset, truth12.byteLength) }],
    }));
    truth8 = Uint8Array.from(truth12, (v) => Math.min(255, v >> 3));
    writeFileSync(at('source8.dcm'), buildDicom({
      elements: [...imagePixelElements({ rows, columns, bitsAllocated: 8 }), { tag: Tag.PixelData, vr: 'OB', value: truth8 }],
    }));
  });

  const lossless: Array<[string, string, string, string[]]> = [
    ['deflated explicit VR little endian', TransferSyntax.DeflatedExplicitVRLittleEndian, 'dcmconv', ['+td']],
    ['explicit VR big endian', TransferSyntax.ExplicitVRBigEndian, 'dcmconv', ['+tb']],
    ['implicit VR little endian', TransferSyntax.ImplicitVRLittleEndian, 'dcmconv', ['+ti']],
    ['RLE lossless', TransferSyntax.RLELossless, 'dcmcrle', []],
    ['JPEG lossless SV1', TransferSyntax.JPEGLosslessSV1, 'dcmcjpeg', ['+e1']],
    ['JPEG lossless process 14', TransferSyntax.JPEGLossless, 'dcmcjpeg', ['+el']],
    ['JPEG-LS lossless', TransferSyntax.JPEGLSLossless, 'dcmcjpls', ['+el']],
    ['JPEG 2000 lossless', TransferSyntax.JPEG2000Lossless, 'gdcmconv', ['--j2k']],
  ];
  for (const [name, syntax, tool, options] of lossless) {
    it(`${name} (${tool} ${options.join(' ')}) decodes exactly, 16-bit and 8-bit`, async () => {
      for (const [source, truth] of [['source16.dcm', truth12], ['source8.dcm', truth8]] as const) {
        const output = at(`${name.replace(/\W+/g, '-')}-${source}`);
        run(tool, [...options, at(source), output]);
        const instance = parseFile(output);
        expect(instance.transferSyntaxUid).toBe(syntax);
        const decoded = await decodeFrame({ instance, frame: 0, codecs });
        expect(decoded.pixels).toBeInstanceOf(truth instanceof Uint8Array ? Uint8Array : Uint16Array);
        expectSamePixels(decoded.pixels, truth);
      }
    });
  }

  it('JPEG baseline 8-bit (dcmcjpeg +eb): within 1 of dcmdjpeg\'s decode, and close to the source', async () => {
    run('dcmcjpeg', ['+eb', at('source8.dcm'), at('baseline.dcm')]);
    run('dcmdjpeg', [at('baseline.dcm'), at('baseline-dcmtk.dcm')]);
    const instance = parseFile(at('baseline.dcm'));
    expect(instance.transferSyntaxUid).toBe(TransferSyntax.JPEGBaseline8Bit);
    const ours = await decodeFile(at('baseline.dcm'));
    // libjpeg-turbo and DCMTK's IJG 6b may round the inverse DCT differently by one grey level.
    expect(maxAbsDifference(ours, await decodeFile(at('baseline-dcmtk.dcm')))).toBeLessThanOrEqual(1);
    expect(maxAbsDifference(ours, truth8)).toBeLessThanOrEqual(40);
  });

  it('JPEG extended, 8-bit samples (dcmcjpeg +ee) decodes with libjpeg-turbo', async () => {
    run('dcmcjpeg', ['+ee', at('source8.dcm'), at('extended8.dcm')]);
    run('dcmdjpeg', [at('extended8.dcm'), at('extended8-dcmtk.dcm')]);
    expect(parseFile(at('extended8.dcm')).transferSyntaxUid).toBe(TransferSyntax.JPEGExtended12Bit);
    expect(maxAbsDifference(await decodeFile(at('extended8.dcm')), await decodeFile(at('extended8-dcmtk.dcm')))).toBeLessThanOrEqual(1);
  });

  it('JPEG extended 12-bit (dcmcjpeg +ee) is refused with the reason', async () => {
    run('dcmcjpeg', ['+ee', at('source16.dcm'), at('extended12.dcm')]);
    const instance = parseFile(at('extended12.dcm'));
    expect(instance.transferSyntaxUid).toBe(TransferSyntax.JPEGExtended12Bit);
    await expect(decodeFrame({ instance, frame: 0, codecs })).rejects.toMatchObject({
      code: 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      message: expect.stringMatching(/extended12\.dcm: frame 0: .*1\.2\.840\.10008\.1\.2\.4\.51.*12-bit.*no maintained 12-bit JPEG decoder/),
    });
  });

  it('JPEG-LS near-lossless (dcmcjpls +en +md 3): equals dcmdjpls\'s decode, within NEAR=3 of the source', async () => {
    run('dcmcjpls', ['+en', '+md', '3', at('source16.dcm'), at('near.dcm')]);
    run('dcmdjpls', [at('near.dcm'), at('near-dcmtk.dcm')]);
    expect(parseFile(at('near.dcm')).transferSyntaxUid).toBe(TransferSyntax.JPEGLSNearLossless);
    const ours = await decodeFile(at('near.dcm'));
    expectSamePixels(ours, await decodeFile(at('near-dcmtk.dcm')));
    expect(maxAbsDifference(ours, truth12)).toBeLessThanOrEqual(3);
    expect(maxAbsDifference(ours, truth12)).toBeGreaterThan(0);
  });

  it('JPEG 2000 lossy (gdcmconv --j2k --lossy): within 1 of GDCM\'s decode', async () => {
    run('gdcmconv', ['--j2k', '--lossy', '-q', '40', at('source16.dcm'), at('j2k-lossy.dcm')]);
    run('gdcmconv', ['--raw', at('j2k-lossy.dcm'), at('j2k-lossy-gdcm.dcm')]);
    expect(parseFile(at('j2k-lossy.dcm')).transferSyntaxUid).toBe(TransferSyntax.JPEG2000);
    const ours = await decodeFile(at('j2k-lossy.dcm'));
    expect(maxAbsDifference(ours, await decodeFile(at('j2k-lossy-gdcm.dcm')))).toBeLessThanOrEqual(1);
  });

  /** A 16-bit PGM (big-endian samples, PNM spec) for OpenJPH's ojph_compress. */
  function writePgm(path: string, values: Uint16Array, maxValue: number): void {
    const header = Buffer.from(`P5\n${columns} ${rows}\n${maxValue}\n`, 'ascii');
    const body = Buffer.alloc(values.length * 2);
    values.forEach((v, i) => body.writeUInt16BE(v, i * 2));
    writeFileSync(path, Buffer.concat([header, body]));
  }

  function htj2kDicom(codestream: Uint8Array, syntax: string): DicomInstance {
    const bytes = buildDicom({ transferSyntax: syntax, elements: imagePixelElements({ rows, columns, bitsAllocated: 16, bitsStored: 12 }), fragments: [codestream] });
    return parseDicom({ bytes, source: `htj2k-${syntax}.dcm` });
  }

  it('HTJ2K lossless (ojph_compress -reversible true, wrapped as 1.2.840.10008.1.2.4.201 and .202) decodes exactly', async () => {
    writePgm(at('ct.pgm'), truth12, 4095);
    run('ojph_compress', ['-i', at('ct.pgm'), '-o', at('ct.j2c'), '-reversible', 'true']);
    const codestream = readFileSync(at('ct.j2c'));
    for (const syntax of [TransferSyntax.HTJ2KLossless, TransferSyntax.HTJ2KLosslessRPCL]) {
      const decoded = await decodeFrame({ instance: htj2kDicom(codestream, syntax), frame: 0, codecs });
      expectSamePixels(decoded.pixels, truth12);
    }
  });

  it('HTJ2K lossy (ojph_compress -qstep 0.01, as 1.2.840.10008.1.2.4.203): within 1 of ojph_expand\'s decode', async () => {
    writePgm(at('ct.pgm'), truth12, 4095);
    run('ojph_compress', ['-i', at('ct.pgm'), '-o', at('ct-lossy.j2c'), '-qstep', '0.01']);
    run('ojph_expand', ['-i', at('ct-lossy.j2c'), '-o', at('ct-lossy.pgm')]);
    const pgm = readFileSync(at('ct-lossy.pgm'));
    const reference = new Uint16Array(rows * columns);
    const bodyStart = pgm.length - reference.length * 2;
    for (let i = 0; i < reference.length; i++) reference[i] = pgm.readUInt16BE(bodyStart + i * 2);
    const ours = (await decodeFrame({ instance: htj2kDicom(readFileSync(at('ct-lossy.j2c')), TransferSyntax.HTJ2K), frame: 0, codecs })).pixels;
    expect(maxAbsDifference(ours, reference)).toBeLessThanOrEqual(1);
    expect(maxAbsDifference(ours, truth12)).toBeGreaterThan(0);
  });
});
