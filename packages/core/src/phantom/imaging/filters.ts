import type { Vec3 } from '../../geometry/vec3.ts';
import type { Random } from './random.ts';

/**
 * Image-formation filters on float voxel arrays laid out like a Volume (`i + ni·(j + nj·k)`).
 */

/**
 * Separable Gaussian blur in place, sigma per axis in voxels (0 skips an axis). Models the
 * scanner's point-spread function: a reconstructed voxel is a weighted average of its
 * neighbourhood, which is what softens tissue boundaries into partial-volume values.
 * Edges are clamped (the nearest voxel repeats), so a uniform image stays uniform.
 */
export function gaussianBlur(values: Float32Array, size: Vec3, sigmaVoxels: Vec3): void {
  for (let axis = 0 as 0 | 1 | 2; axis < 3; axis = (axis + 1) as 0 | 1 | 2) {
    const sigma = sigmaVoxels[axis];
    if (sigma > 0.05 && size[axis] > 1) blurAxis(values, size, axis, sigma);
  }
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let n = -radius; n <= radius; n++) {
    const w = Math.exp(-(n * n) / (2 * sigma * sigma));
    kernel[n + radius] = w;
    sum += w;
  }
  for (let n = 0; n < kernel.length; n++) kernel[n]! /= sum;
  return kernel;
}

function blurAxis(values: Float32Array, size: Vec3, axis: 0 | 1 | 2, sigma: number): void {
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const [ni, nj, nk] = size;
  const length = size[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? ni : ni * nj;
  const line = new Float32Array(length);
  // Every line along `axis` starts at an offset whose coordinate along `axis` is 0.
  const lines = axis === 0 ? nj * nk : axis === 1 ? ni * nk : ni * nj;
  for (let l = 0; l < lines; l++) {
    const start = axis === 0 ? l * ni : axis === 1 ? (l % ni) + Math.floor(l / ni) * ni * nj : l;
    for (let n = 0; n < length; n++) line[n] = values[start + n * stride]!;
    for (let n = 0; n < length; n++) {
      let acc = 0;
      for (let m = -radius; m <= radius; m++) {
        const at = Math.min(length - 1, Math.max(0, n + m));
        acc += kernel[m + radius]! * line[at]!;
      }
      values[start + n * stride] = acc;
    }
  }
}

/** Adds white Gaussian noise N(0, σ²) in place (CT quantum and electronic noise, simplified). */
export function addGaussianNoise(values: Float32Array, sigma: number, random: Random): void {
  if (!(sigma > 0)) return;
  for (let n = 0; n < values.length; n++) values[n]! += sigma * random.normal();
}

/**
 * Rician noise in place: an MR magnitude image is |S + n_re + i·n_im| with independent Gaussian
 * noise of σ in the real and imaginary channels (Gudbjartsson & Patz, "The Rician distribution
 * of noisy MRI data", MRM 1995;34:910–914). In bright tissue the noise is ≈ Gaussian with σ; in
 * air it is Rayleigh with mean σ·√(π/2).
 */
export function addRicianNoise(values: Float32Array, sigma: number, random: Random): void {
  if (!(sigma > 0)) return;
  for (let n = 0; n < values.length; n++) {
    const re = values[n]! + sigma * random.normal();
    const im = sigma * random.normal();
    values[n] = Math.hypot(re, im);
  }
}
