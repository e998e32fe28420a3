/**
 * HU → linear attenuation coefficient μ (1/mm).
 *
 * The Hounsfield scale is linear in μ by definition: HU = 1000·(μ − μ_water)/(μ_water − μ_air), so
 * with μ_air ≈ 0, μ = μ_water·(1 + HU/1000). That holds at the CT scanner's effective energy; the
 * DRR uses it at one effective energy for the whole beam (no beam hardening, no energy dependence
 * of bone versus water between the CT's and the C-arm's spectra, no scatter) — the standard DRR
 * simplification (plastimatch uses the same linear model).
 *
 * Defaults: μ_water = 0.0206 /mm, water's mass attenuation coefficient at 60 keV
 * (0.2059 cm²/g, NIST XCOM / Hubbell & Seltzer tables), about the effective energy of a CT beam;
 * values at or below −1000 HU (air) give μ = 0 and μ is never negative. plastimatch's own
 * conversion (drr.cxx: 0.022 /mm, water at 50 keV, and everything at or below −800 HU set to 0,
 * which also removes lung) is available as PLASTIMATCH_ATTENUATION to compare absolute values.
 * Only the scale of the line integrals depends on μ_water; the picture's contrast does not.
 */
import type { VoxelArray } from '../volume/voxel-array.ts';

export interface AttenuationModel {
  /** μ of water, 1/mm. */
  readonly muWaterPerMm: number;
  /** Voxels at or below this value (HU) count as air: μ = 0. */
  readonly airCutoffHu: number;
}

export const DEFAULT_ATTENUATION: AttenuationModel = { muWaterPerMm: 0.0206, airCutoffHu: -1000 };

/** plastimatch drr's default HU conversion (`-P preprocess`), for comparisons in absolute units. */
export const PLASTIMATCH_ATTENUATION: AttenuationModel = { muWaterPerMm: 0.022, airCutoffHu: -800 };

export function muFromHu(hu: number, model: AttenuationModel = DEFAULT_ATTENUATION): number {
  if (hu <= model.airCutoffHu) return 0;
  const mu = model.muWaterPerMm * (1 + hu / 1000);
  return mu > 0 ? mu : 0;
}

/** μ for every stored value of an integer voxel array: `table[value - offset]`. */
export interface AttenuationTable {
  readonly table: Float32Array;
  readonly offset: number;
}

/** Largest value range looked up through a table rather than converted voxel by voxel. */
export const MAX_TABLE_ENTRIES = 1 << 17;

/**
 * A lookup table for 8- and 16-bit integer data (the whole type range, no scan needed), or for
 * 32-bit integer data whose values span at most MAX_TABLE_ENTRIES; undefined otherwise (floating
 * point data are converted voxel by voxel instead). A table keeps the voxels in their stored type,
 * half or a quarter of the memory of a float copy, and the table itself fits in the CPU cache.
 */
export function attenuationTable(data: VoxelArray, model: AttenuationModel): AttenuationTable | undefined {
  let lo: number;
  let hi: number;
  if (data instanceof Int16Array) [lo, hi] = [-32768, 32767];
  else if (data instanceof Uint16Array) [lo, hi] = [0, 65535];
  else if (data instanceof Int8Array) [lo, hi] = [-128, 127];
  else if (data instanceof Uint8Array) [lo, hi] = [0, 255];
  else if (data instanceof Int32Array || data instanceof Uint32Array) {
    lo = Infinity;
    hi = -Infinity;
    for (let n = 0; n < data.length; n++) {
      const v = data[n]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (data.length === 0) [lo, hi] = [0, 0];
    if (hi - lo + 1 > MAX_TABLE_ENTRIES) return undefined;
  } else return undefined;
  const table = new Float32Array(hi - lo + 1);
  for (let v = lo; v <= hi; v++) table[v - lo] = muFromHu(v, model);
  return { table, offset: lo };
}

/** μ of every voxel as float32 (for floating point data or integers with a very wide range). */
export function attenuationVolume(data: VoxelArray, model: AttenuationModel, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(data.length);
  for (let n = 0; n < data.length; n++) out[n] = muFromHu(data[n]!, model);
  return out;
}
