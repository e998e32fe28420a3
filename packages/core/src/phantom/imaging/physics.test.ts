import { describe, expect, it } from 'vitest';
import { TISSUE_CODES, TISSUES } from '../tissue.ts';
import { MR_SEQUENCES, MR_SIGNAL_GAIN, spinEchoSignal, tissueValues, valuesByCode } from './contrast.ts';
import { addGaussianNoise, addRicianNoise, gaussianBlur } from './filters.ts';
import { createRandom } from './random.ts';
import { synthesizeImage } from './synthesize.ts';
import { cancellousHuForAge, TISSUE_PHYSICS } from './tissue-physics.ts';

function meanAndSd(values: ArrayLike<number>): { mean: number; sd: number } {
  let sum = 0;
  for (let n = 0; n < values.length; n++) sum += values[n]!;
  const mean = sum / values.length;
  let ss = 0;
  for (let n = 0; n < values.length; n++) ss += (values[n]! - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

describe('seeded random numbers', () => {
  it('repeats for a seed and stream, differs across streams', () => {
    const a = createRandom(7, 'noise');
    const b = createRandom(7, 'noise');
    const c = createRandom(7, 'bias');
    const first = [a.uniform(), a.uniform(), a.normal()];
    expect([b.uniform(), b.uniform(), b.normal()]).toEqual(first);
    expect(c.uniform()).not.toBe(first[0]);
  });

  it('draws standard normal deviates', () => {
    const random = createRandom(1, 'normal');
    const draws = Float64Array.from({ length: 200_000 }, () => random.normal());
    const { mean, sd } = meanAndSd(draws);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sd).toBeCloseTo(1, 2);
  });
});

describe('CT attenuation per tissue (HU)', () => {
  const ranges: Record<string, [number, number]> = {
    cortical_bone: [1000, 1800], cancellous_bone: [110, 310], nucleus: [70, 100], annulus: [70, 110], muscle: [40, 60],
    fat: [-120, -80], csf: [0, 15], blood_arterial: [35, 45], kidney: [25, 35], gas: [-1000, -950], air: [-1000, -1000],
  };
  it.each([1, 2, 3, 99])('seed %i draws every tissue inside its documented range', (seed) => {
    const values = tissueValues({ modality: 'ct', ageYears: 50, random: createRandom(seed, 'tissue') });
    for (const [tissue, [low, high]] of Object.entries(ranges)) {
      const value = values[tissue as keyof typeof values];
      expect(value, tissue).toBeGreaterThanOrEqual(low);
      expect(value, tissue).toBeLessThanOrEqual(high);
    }
  });

  it('lowers trabecular bone with age (Pickhardt 2013 trend)', () => {
    expect(cancellousHuForAge(20)).toBe(300);
    expect(cancellousHuForAge(80)).toBeLessThan(160);
    const young = tissueValues({ modality: 'ct', ageYears: 25, random: createRandom(4, 'tissue') });
    const old = tissueValues({ modality: 'ct', ageYears: 80, random: createRandom(4, 'tissue') });
    expect(young.cancellous_bone - old.cancellous_bone).toBeGreaterThan(100);
  });

  it('has physics for every anatomy tissue code', () => {
    const table = valuesByCode(tissueValues({ modality: 'ct', ageYears: 40, random: createRandom(1, 't') }));
    for (const tissue of TISSUES) expect(Number.isFinite(table[TISSUE_CODES[tissue]]!)).toBe(true);
  });
});

describe('MR spin-echo contrast at 1.5 T', () => {
  const t1 = (tissue: keyof typeof TISSUE_PHYSICS): number => spinEchoSignal(TISSUE_PHYSICS[tissue].mr, MR_SEQUENCES['mr-t1']);
  const t2 = (tissue: keyof typeof TISSUE_PHYSICS): number => spinEchoSignal(TISSUE_PHYSICS[tissue].mr, MR_SEQUENCES['mr-t2']);

  it('follows the spin-echo equation', () => {
    const tissue = { pd: 0.8, t1: 1000, t2: 80 };
    const expected = 0.8 * (1 - Math.exp(-550 / 1000)) * Math.exp(-12 / 80);
    expect(spinEchoSignal(tissue, MR_SEQUENCES['mr-t1'])).toBeCloseTo(expected, 12);
  });

  it('T2-weighted: CSF and nucleus bright, muscle and cortex dark, fat bright on TSE', () => {
    expect(t2('csf')).toBeGreaterThan(t2('nucleus'));
    expect(t2('nucleus')).toBeGreaterThan(2 * t2('annulus'));
    expect(t2('nucleus')).toBeGreaterThan(3 * t2('muscle'));
    expect(t2('fat')).toBeGreaterThan(t2('muscle'));
    expect(t2('csf')).toBeGreaterThan(t2('neural')); // the cord and roots stand out dark in bright CSF
    expect(t2('cortical_bone')).toBeLessThan(0.01);
    expect(t2('marrow_edema')).toBeGreaterThan(t2('cancellous_bone'));
  });

  it('T1-weighted: fat brightest, CSF dark, marrow brighter than disc', () => {
    expect(t1('fat')).toBeGreaterThan(t1('cancellous_bone'));
    expect(t1('cancellous_bone')).toBeGreaterThan(t1('nucleus'));
    expect(t1('csf')).toBeLessThan(t1('muscle'));
    expect(t1('marrow_edema')).toBeLessThan(t1('cancellous_bone'));
    expect(t1('blood_arterial')).toBeLessThan(0.05); // spin-echo flow void
  });

  it('scales MR values to stored units', () => {
    const values = tissueValues({ modality: 'mr-t2', ageYears: 40, random: createRandom(1, 't') });
    expect(values.csf).toBeCloseTo(MR_SIGNAL_GAIN * t2('csf'), 6);
  });
});

describe('image-formation filters', () => {
  it('blur keeps a uniform image uniform and a step monotone with a half-value at the edge', () => {
    const size = [20, 3, 2] as const;
    const uniform = new Float32Array(120).fill(7);
    gaussianBlur(uniform, size, [1.2, 0.8, 0.5]);
    for (const v of uniform) expect(v).toBeCloseTo(7, 5);
    const step = Float32Array.from({ length: 120 }, (_, n) => (n % 20 < 10 ? 0 : 100));
    gaussianBlur(step, size, [1, 0, 0]);
    const row = Array.from(step.subarray(0, 20));
    for (let i = 1; i < 20; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]! - 1e-4);
    expect((row[9]! + row[10]!) / 2).toBeCloseTo(50, 3);
  });

  it.each([10, 20])('Gaussian noise: σ measured in a uniform region ≈ requested %i HU', (sigma) => {
    const values = new Float32Array(100_000).fill(40);
    addGaussianNoise(values, sigma, createRandom(3, 'noise'));
    const { mean, sd } = meanAndSd(values);
    expect(mean).toBeCloseTo(40, 0);
    expect(sd / sigma).toBeGreaterThan(0.98);
    expect(sd / sigma).toBeLessThan(1.02);
  });

  it('Rician noise: ≈ Gaussian σ in bright tissue, Rayleigh mean σ·√(π/2) in air', () => {
    const sigma = 30;
    const bright = new Float32Array(100_000).fill(2000);
    addRicianNoise(bright, sigma, createRandom(5, 'noise'));
    const b = meanAndSd(bright);
    expect(b.sd / sigma).toBeGreaterThan(0.97);
    expect(b.sd / sigma).toBeLessThan(1.03);
    const air = new Float32Array(100_000);
    addRicianNoise(air, sigma, createRandom(6, 'noise'));
    expect(meanAndSd(air).mean / (sigma * Math.sqrt(Math.PI / 2))).toBeCloseTo(1, 1);
  });
});

describe('synthesizeImage', () => {
  const grid = { size: [32, 32, 8] as const, spacing: [1, 1, 1] as const, origin: [0, 0, 0] as const, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const };

  it('CT: uniform tissue gives its HU with the requested noise, stored as int16', () => {
    const tissue = new Uint8Array(32 * 32 * 8).fill(TISSUE_CODES.muscle);
    const valueOfCode = valuesByCode(tissueValues({ modality: 'ct', ageYears: 40, random: createRandom(1, 't') }));
    const { image } = synthesizeImage({ modality: 'ct', grid, sliceThicknessMm: 1, centreTissue: tissue, valueOfCode, noiseSigma: 15, random: createRandom(1, 'n') });
    expect(image.data).toBeInstanceOf(Int16Array);
    expect(image.units).toBe('HU');
    const { mean, sd } = meanAndSd(image.data);
    expect(Math.abs(mean - valueOfCode[TISSUE_CODES.muscle]!)).toBeLessThan(1);
    expect(sd).toBeGreaterThan(14.3);
    expect(sd).toBeLessThan(15.7);
  });

  it('integrates thick slices across tissue boundaries (partial volume through the slice)', () => {
    // Tissue changes from fat to muscle at z = 0; a 4 mm slice centred there sees half of each.
    const thickGrid = { ...grid, size: [4, 4, 1] as const, spacing: [1, 1, 4] as const };
    const at = (z: number): number => (z < 0 ? TISSUE_CODES.fat : TISSUE_CODES.muscle);
    const valueOfCode = valuesByCode(tissueValues({ modality: 'ct', ageYears: 40, random: createRandom(1, 't') }));
    const { image, slabSamples } = synthesizeImage({
      modality: 'ct', grid: thickGrid, sliceThicknessMm: 4,
      centreTissue: new Uint8Array(16).fill(at(0)),
      sampleTissue: (g) => new Uint8Array(16).fill(at(g.origin[2])),
      valueOfCode, noiseSigma: 0, random: createRandom(1, 'n'),
    });
    expect(slabSamples).toBe(5);
    // 2 of 5 samples in fat (z = −1.6, −0.8), 3 in muscle (0, 0.8, 1.6).
    const expected = (2 * valueOfCode[TISSUE_CODES.fat]! + 3 * valueOfCode[TISSUE_CODES.muscle]!) / 5;
    expect(image.data[0]).toBe(Math.round(expected));
  });

  it('MR: uint16 magnitude, Rician floor in air, tissue contrast survives the bias field', () => {
    const tissue = new Uint8Array(32 * 32 * 8).map((_, n) => (n % 32 < 16 ? TISSUE_CODES.csf : TISSUE_CODES.muscle));
    tissue.fill(TISSUE_CODES.air, 0, 3 * 32 * 32); // three air slices: the PSF along k reaches two
    const valueOfCode = valuesByCode(tissueValues({ modality: 'mr-t2', ageYears: 40, random: createRandom(1, 't') }));
    const { image } = synthesizeImage({
      modality: 'mr-t2', grid, sliceThicknessMm: 1, centreTissue: tissue, valueOfCode, noiseSigma: 20, psfFwhmPixels: 0,
      bias: { amplitude: 0.15, coilY: 40, coilDepthMm: 150 }, random: createRandom(2, 'n'),
    });
    expect(image.data).toBeInstanceOf(Uint16Array);
    const air = image.data.subarray(0, 32 * 32);
    expect(meanAndSd(air).mean / (20 * Math.sqrt(Math.PI / 2))).toBeCloseTo(1, 1);
    const csf = image.data[32 * 32 * 4 + 32 * 16 + 4]!;
    const muscle = image.data[32 * 32 * 4 + 32 * 16 + 20]!;
    expect(csf).toBeGreaterThan(4 * muscle);
  });
});
