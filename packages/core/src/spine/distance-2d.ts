/**
 * Exact Euclidean distance (mm) from every foreground voxel to the nearest background voxel, in each
 * axial slice separately: the inscribed radius of the bone cross-section. Felzenszwalb & Huttenlocher,
 * "Distance transforms of sampled functions", Theory of Computing 8 (2012): two passes of the 1D lower
 * envelope of parabolas.
 */
import type { WorkGrid } from './working-grid.ts';

const BIG = 1e20;

function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -BIG;
  z[1] = BIG;
  for (let q = 1; q < n; q++) {
    let s = ((f[q]! + q * q) - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = ((f[q]! + q * q) - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = BIG;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const dq = q - v[k]!;
    d[q] = dq * dq + f[v[k]!]!;
  }
}

/** Inscribed radius (mm) of `mask` per axial slice; 0 outside the mask. */
export function sliceDistance(grid: WorkGrid, mask: Uint8Array): Float32Array {
  const { nx, ny, nz, w } = grid;
  const out = new Float32Array(nx * ny * nz);
  const m = Math.max(nx, ny);
  const f = new Float64Array(m), d = new Float64Array(m), z = new Float64Array(m + 1);
  const v = new Int32Array(m);
  const tmp = new Float64Array(nx * ny);
  for (let k = 0; k < nz; k++) {
    const base = k * nx * ny;
    // Columns (along j) first, then rows (along i).
    for (let i = 0; i < nx; i++) {
      for (let j = 0; j < ny; j++) f[j] = mask[base + i + nx * j] ? BIG : 0;
      edt1d(f, ny, d, v, z);
      for (let j = 0; j < ny; j++) tmp[i + nx * j] = d[j]!;
    }
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) f[i] = tmp[i + nx * j]!;
      edt1d(f, nx, d, v, z);
      for (let i = 0; i < nx; i++) out[base + i + nx * j] = mask[base + i + nx * j] ? Math.sqrt(d[i]!) * w : 0;
    }
  }
  return out;
}
