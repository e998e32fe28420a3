import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { Mat3 } from '../../geometry/matrix.ts';
import type { Vec3 } from '../../geometry/vec3.ts';
import { affineFromGeometry, createVolume, type Volume } from '../../volume/volume.ts';
import { createBiasField } from './bias-field.ts';
import { type ImagingModality } from './contrast.ts';
import { addGaussianNoise, addRicianNoise, gaussianBlur } from './filters.ts';
import type { Random } from './random.ts';

/** A voxel grid in LPS, with the Volume's conventions (direction row-major, columns = axes). */
export interface ImagingGrid {
  readonly size: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  readonly direction: Mat3;
}

export interface SynthesizeImageOptions {
  readonly modality: ImagingModality;
  readonly grid: ImagingGrid;
  /** Nominal slice thickness (mm) along k; the slice profile is a rectangle this wide. */
  readonly sliceThicknessMm: number;
  /** Tissue codes at the voxel centres (the grid as given), one per voxel. */
  readonly centreTissue: Uint8Array;
  /**
   * Tissue codes on another grid (this one moved along k by a fraction of the slice thickness):
   * used to integrate across thick slices (partial volume through the slice). Omit it to skip
   * that integration.
   */
  readonly sampleTissue?: (grid: ImagingGrid) => Uint8Array;
  /** Value per tissue code (HU for CT, stored signal for MR); codes outside are an error. */
  readonly valueOfCode: Float32Array;
  /** Noise σ in output units (HU for CT; σ of each quadrature channel for MR). */
  readonly noiseSigma: number;
  /** In-plane point-spread function FWHM in pixels (default 1). */
  readonly psfFwhmPixels?: number;
  /** MR only: bias-field ripple amplitude (default 0.15) and the coil surface's LPS y (mm). */
  readonly bias?: { readonly amplitude: number; readonly coilY: number; readonly coilDepthMm: number };
  readonly random: Random;
}

export interface SynthesizeImageResult {
  /** CT: int16 HU. MR: uint16 signal. */
  readonly image: Volume;
  /** How many samples across the slice thickness were averaged. */
  readonly slabSamples: number;
}

const FWHM_TO_SIGMA = 1 / (2 * Math.sqrt(2 * Math.log(2)));

/**
 * Forms the image a scanner would reconstruct from a tissue map:
 * 1. tissue → value (HU or spin-echo signal) averaged over `slabSamples` positions across the
 *    slice thickness (partial volume through thick 2D slices, a rectangular slice profile);
 * 2. point-spread blur in plane (FWHM ≈ 1 pixel) and, for thin 3D slices, along k (partial
 *    volume at boundaries within the slice);
 * 3. MR: multiplication by a smooth coil/bias field;
 * 4. noise added last, so it is white with exactly the requested σ (Gaussian for CT, Rician for
 *    MR magnitude images), then rounding to the stored integer type.
 */
export function synthesizeImage(options: SynthesizeImageOptions): SynthesizeImageResult {
  const { grid } = options;
  const count = grid.size[0] * grid.size[1] * grid.size[2];
  if (options.centreTissue.length !== count) {
    throw new KeyholeError('INTERNAL', { message: `tissue map has ${options.centreTissue.length} voxels, grid needs ${count}` });
  }
  const values = new Float32Array(count);
  const slabSamples = options.sampleTissue === undefined ? 1 : slabSampleCount(options.sliceThicknessMm, grid.spacing);
  const axisK: Vec3 = [grid.direction[2], grid.direction[5], grid.direction[8]];
  for (let m = 0; m < slabSamples; m++) {
    const offset = ((m + 0.5) / slabSamples - 0.5) * options.sliceThicknessMm;
    const tissue = Math.abs(offset) < 1e-9 || options.sampleTissue === undefined
      ? options.centreTissue
      : options.sampleTissue({ ...grid, origin: [grid.origin[0] + offset * axisK[0], grid.origin[1] + offset * axisK[1], grid.origin[2] + offset * axisK[2]] });
    accumulate(values, tissue, options.valueOfCode);
  }
  if (slabSamples > 1) for (let n = 0; n < count; n++) values[n]! /= slabSamples;

  const sigmaInPlane = (options.psfFwhmPixels ?? 1) * FWHM_TO_SIGMA;
  // Thin (3D) slices: the PSF along k spans the slice thickness; thick slices were integrated above.
  const sigmaK = slabSamples === 1 ? (options.sliceThicknessMm / grid.spacing[2]) * FWHM_TO_SIGMA : 0;
  gaussianBlur(values, grid.size, [sigmaInPlane, sigmaInPlane, sigmaK]);

  if (options.modality === 'ct') {
    addGaussianNoise(values, options.noiseSigma, options.random);
    const data = new Int16Array(count);
    for (let n = 0; n < count; n++) data[n] = Math.max(-1024, Math.min(32767, Math.round(values[n]!)));
    return { image: createVolume({ ...grid, data, units: 'HU', label: 'CT' }), slabSamples };
  }
  const bias = options.bias ?? { amplitude: 0.15, coilY: 0, coilDepthMm: Infinity };
  applyBiasField(values, grid, createBiasField({ random: options.random, ...bias }));
  addRicianNoise(values, options.noiseSigma, options.random);
  const data = new Uint16Array(count);
  for (let n = 0; n < count; n++) data[n] = Math.min(65535, Math.round(values[n]!));
  return { image: createVolume({ ...grid, data, units: 'signal', label: options.modality === 'mr-t1' ? 'T1w' : 'T2w' }), slabSamples };
}

/**
 * Odd number of samples across the slice so the middle one is the slice centre (reused from the
 * truth rasterisation): about one per millimetre of thickness, at most 5.
 */
export function slabSampleCount(sliceThicknessMm: number, spacing: Vec3): number {
  if (sliceThicknessMm <= 1.5 || sliceThicknessMm <= 1.5 * Math.min(spacing[0], spacing[1])) return 1;
  return Math.min(5, 2 * Math.round((sliceThicknessMm - 1) / 2) + 1);
}

function accumulate(values: Float32Array, tissue: Uint8Array, valueOfCode: Float32Array): void {
  for (let n = 0; n < values.length; n++) {
    const code = tissue[n]!;
    const value = valueOfCode[code];
    if (value === undefined) throw new KeyholeError('INTERNAL', { message: `tissue code ${code} has no imaging value` });
    values[n]! += value;
  }
}

function applyBiasField(values: Float32Array, grid: ImagingGrid, field: (p: Vec3) => number): void {
  const a = affineFromGeometry(grid.origin, grid.spacing, grid.direction);
  const [ni, nj, nk] = grid.size;
  let n = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, n++) {
        values[n]! *= field([
          a[0] * i + a[1] * j + a[2] * k + a[3],
          a[4] * i + a[5] * j + a[6] * k + a[7],
          a[8] * i + a[9] * j + a[10] * k + a[11],
        ]);
      }
    }
  }
}
