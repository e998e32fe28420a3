/**
 * loadVolume's output type and values on its fast paths (see load-volume.ts): whole-number frames
 * go straight into int16; a frame that leaves int16 widens the volume to float32 once, and the
 * result is the same as loading everything in float32 and deciding at the end.
 */
import { describe, expect, it } from 'vitest';
import type { PixelFormat } from '../instance.ts';
import { describeDicom, listVolumeSets } from './describe-dicom.ts';
import { loadVolume } from './load-volume.ts';
import { toInt16Values, toRealValues } from './real-values.ts';
import { pixelsFrom, syntheticInstances, type SyntheticSlice } from './test-support/synthetic-dicom.ts';

const noCodecs = new Map();
const columns = 7;
const rows = 5;

function slices(count: number, pixels: (k: number) => Int16Array | Uint16Array, extra: (k: number) => Record<string, unknown> = () => ({})): SyntheticSlice[] {
  return Array.from({ length: count }, (_, k) => ({
    position: [-10, -20, 3 * k] as const,
    orientation: [1, 0, 0, 0, 1, 0],
    pixelSpacing: [0.5, 0.5] as const,
    rows,
    columns,
    pixels: pixels(k),
    instanceNumber: k + 1,
    modality: 'MR' as const,
    extra: extra(k),
  }));
}

async function load(stack: SyntheticSlice[], fill?: number) {
  const [entry] = listVolumeSets(describeDicom({ instances: syntheticInstances(stack) }));
  return loadVolume({ volume: entry!.set.volumes[0]!, codecs: noCodecs, ...(fill !== undefined ? { fill } : {}) });
}

const at = (i: number, j: number, k: number): number => i + columns * (j + rows * k);

describe('loadVolume output type', () => {
  it('whole-number rescale (slope 2, intercept −1024) stays int16 with exact values', async () => {
    const volume = await load(slices(3, (k) => pixelsFrom(columns, rows, (i, j) => i + 10 * j + 100 * k), () => ({ RescaleSlope: '2', RescaleIntercept: '-1024' })));
    expect(volume.data).toBeInstanceOf(Int16Array);
    expect(volume.data[at(4, 3, 2)]).toBe(2 * (4 + 30 + 200) - 1024);
  });

  it('a later frame beyond int16 (16-bit unsigned) widens the whole volume to float32, earlier frames intact', async () => {
    const stack = slices(3, (k) => pixelsFrom(columns, rows, (i, j) => (k === 2 && i === 6 && j === 4 ? 40000 : i + 10 * j + 100 * k), false));
    const volume = await load(stack);
    expect(volume.data).toBeInstanceOf(Float32Array);
    expect(volume.data[at(6, 4, 2)]).toBe(40000);
    expect(volume.data[at(1, 2, 0)]).toBe(21);
    expect(volume.data[at(3, 1, 1)]).toBe(113);
    expect(volume.data[at(0, 0, 2)]).toBe(200);
  });

  it('an intercept that pushes values below int16 also widens to float32', async () => {
    const volume = await load(slices(2, (k) => pixelsFrom(columns, rows, (i) => i + k), () => ({ RescaleIntercept: '-40000', RescaleSlope: '1' })));
    expect(volume.data).toBeInstanceOf(Float32Array);
    expect(volume.data[at(3, 0, 1)]).toBe(-40000 + 4);
  });

  it('a fractional slope that happens to give whole numbers in range is still int16', async () => {
    const volume = await load(slices(2, (k) => pixelsFrom(columns, rows, (i, j) => 2 * (i + j + k)), () => ({ RescaleSlope: '0.5', RescaleIntercept: '0' })));
    expect(volume.data).toBeInstanceOf(Int16Array);
    expect(volume.data[at(2, 3, 1)]).toBe(6);
  });

  it('a fill that int16 cannot hold keeps the result float32, as before', async () => {
    const volume = await load(slices(2, (k) => pixelsFrom(columns, rows, (i) => i + k)), 0.5);
    expect(volume.data).toBeInstanceOf(Float32Array);
    expect(volume.data[at(6, 0, 1)]).toBe(7);
  });
});

describe('toInt16Values agrees with toRealValues', () => {
  const format = (photometricInterpretation: string, pixelRepresentation: 0 | 1, bitsStored: number): PixelFormat => ({
    rows: 16, columns: 16, samplesPerPixel: 1, bitsAllocated: 16, bitsStored, highBit: bitsStored - 1,
    pixelRepresentation, photometricInterpretation, planarConfiguration: 0, numberOfFrames: 1,
  });
  const cases: Array<{ name: string; signed: boolean; bits: number; pi: string; slope: number; intercept: number; below?: number }> = [
    { name: 'unsigned 12-bit, slope 1, intercept −1024', signed: false, bits: 12, pi: 'MONOCHROME2', slope: 1, intercept: -1024 },
    { name: 'signed 16-bit, slope 1, intercept 0', signed: true, bits: 16, pi: 'MONOCHROME2', slope: 1, intercept: 0 },
    { name: 'unsigned 12-bit, slope 3, intercept −7', signed: false, bits: 12, pi: 'MONOCHROME2', slope: 3, intercept: -7 },
    { name: 'unsigned 12-bit MONOCHROME1, slope −2, intercept 5', signed: false, bits: 12, pi: 'MONOCHROME1', slope: -2, intercept: 5 },
    { name: 'signed 12-bit MONOCHROME1', signed: true, bits: 12, pi: 'MONOCHROME1', slope: 1, intercept: 0 },
    { name: 'signed 8-bit, slope 1, intercept 0 (plain copy)', signed: true, bits: 8, pi: 'MONOCHROME2', slope: 1, intercept: 0 },
    // Bits Stored 16 unsigned could overflow int16: the checked loop, values drawn below 32768.
    { name: 'unsigned 16-bit (checked), slope 1, intercept −1024', signed: false, bits: 16, pi: 'MONOCHROME2', slope: 1, intercept: -1024, below: 32768 },
    { name: 'unsigned 16-bit MONOCHROME1 (checked)', signed: false, bits: 16, pi: 'MONOCHROME1', slope: 1, intercept: -40000, below: 32768 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const n = 256;
      let seed = 12345;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const half = 2 ** (c.bits - 1);
      const pixels = c.signed ? Int16Array.from({ length: n }, () => Math.floor(next() * 2 * half) - half) : Uint16Array.from({ length: n }, () => Math.floor(next() * Math.min(2 * half, c.below ?? Infinity)));
      const f = format(c.pi, c.signed ? 1 : 0, c.bits);
      const mapping = { slope: c.slope, intercept: c.intercept };
      const real = toRealValues({ pixels, format: f, mapping, source: 'x' });
      const target = new Int16Array(n);
      const fast = toInt16Values({ pixels, format: f, mapping, source: 'x', target });
      expect(fast.fits).toBe(true);
      expect(real.integral).toBe(true);
      expect(Array.from(target)).toEqual(Array.from(real.values));
    });
  }

  it('16-bit pairs path: odd pixel count, unaligned views, and a loose OR bound settled exactly', () => {
    const check = (pixels: Uint16Array, rows: number, columns: number, intercept: number, fits: boolean): void => {
      const f = { ...format('MONOCHROME2', 0, 16), rows, columns };
      const mapping = { slope: 1, intercept };
      const target = new Int16Array(rows * columns);
      expect(toInt16Values({ pixels, format: f, mapping, source: 'x', target }).fits).toBe(fits);
      if (fits) expect(Array.from(target)).toEqual(Array.from(toRealValues({ pixels, format: f, mapping, source: 'x' }).values));
    };
    const odd = Uint16Array.from({ length: 15 * 15 }, (_, i) => (i * 131) % 30000);
    odd[224] = 29999;
    check(odd, 15, 15, -1024, true);
    const unaligned = new Uint16Array(new ArrayBuffer(2 + 2 * 64), 2, 64).map((_, i) => i * 500);
    check(unaligned, 8, 8, -1024, true);
    // OR of 32769 and 1024 is 33793: above 32767 + 1024, but the real maximum 32769 − 1024 fits.
    const loose = Uint16Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 32769 : 1024));
    check(loose, 8, 8, -1024, true);
    const over = Uint16Array.from({ length: 64 }, (_, i) => (i === 63 ? 33792 : 5));
    check(over, 8, 8, -1024, false);
  });

  it('reports values outside int16 instead of keeping wrapped ones', () => {
    const f = format('MONOCHROME2', 0, 16);
    const pixels = new Uint16Array(256).fill(100);
    pixels[7] = 65535;
    const result = toInt16Values({ pixels, format: f, mapping: { slope: 1, intercept: 0 }, source: 'x', target: new Int16Array(256) });
    expect(result.fits).toBe(false);
  });

  it('refuses colour frames like toRealValues, naming the file', () => {
    const f = { ...format('RGB', 0, 8), samplesPerPixel: 3, bitsAllocated: 8 };
    expect(() => toInt16Values({ pixels: new Uint8Array(768), format: f, mapping: { slope: 1, intercept: 0 }, source: 'colour.dcm', target: new Int16Array(256) })).toThrow(/colour\.dcm.*colour image|colour image/);
  });
});
