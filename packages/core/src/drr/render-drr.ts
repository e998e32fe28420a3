/**
 * CPU DRR (digitally reconstructed radiograph) of a CT volume for a C-arm projection.
 *
 * Split in three so that any number of threads can share one pass:
 * 1. `prepareDrrVolume`: the voxels and the HU → μ table (once per volume and attenuation model);
 * 2. `drrRowJob`: the rays of one projection in the volume's index space (cheap, per pose);
 * 3. `traceDrrRows` (trace-rows.ts): any range of detector rows, on any thread, into one shared image.
 * `renderDrr` runs all three on the calling thread.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { mat4MulPoint, type Mat4 } from '../geometry/matrix.ts';
import { sub, type Vec3 } from '../geometry/vec3.ts';
import { createPlanarImage, type PlanarImage } from '../volume/planar-image.ts';
import type { Volume } from '../volume/volume.ts';
import type { VoxelArray } from '../volume/voxel-array.ts';
import { attenuationTable, attenuationVolume, DEFAULT_ATTENUATION, type AttenuationModel } from './attenuation.ts';
import { detectorPixelToWorld, type DrrProjection } from './projection.ts';
import { traceDrrRows, type DrrRowJob } from './trace-rows.ts';

export interface DrrOptions {
  /** HU → μ model; DEFAULT_ATTENUATION when absent. */
  readonly attenuation?: AttenuationModel;
}

/** A volume made ready for ray casting: what `drrRowJob` needs, and nothing per pose. */
export interface PreparedDrrVolume {
  /** Stored values (with `table`) or μ per voxel (float32, `table` null). */
  readonly voxels: VoxelArray;
  readonly table: Float32Array | null;
  readonly tableOffset: number;
  readonly size: Vec3;
  readonly worldToIndex: Mat4;
  readonly attenuation: AttenuationModel;
}

export interface DrrResult {
  /**
   * Line integrals ∫μ dl (dimensionless; transmitted fraction = exp(−value)) on the detector grid,
   * placed in LPS (`placement`), spacing at the detector with the isocentre magnification.
   */
  readonly image: PlanarImage;
  readonly projection: DrrProjection;
}

export function requireCtVolume(volume: Volume): void {
  if (volume.units !== 'HU') {
    throw new KeyholeError('INVALID_ARGUMENT', {
      path: 'volume.units',
      message: `a DRR needs a CT volume in Hounsfield units, this one holds "${volume.units}" values (an MR or a label map cannot be projected as an X-ray)`,
    });
  }
}

/**
 * Voxels and μ lookup for a CT volume. 8/16-bit (and narrow 32-bit) integers keep their storage and
 * go through a table; floating point data are converted to μ once (`into` may receive them, for
 * example a shared buffer for worker threads).
 */
export function prepareDrrVolume(volume: Volume, options: DrrOptions = {}, into?: Float32Array): PreparedDrrVolume {
  requireCtVolume(volume);
  const attenuation = options.attenuation ?? DEFAULT_ATTENUATION;
  const table = attenuationTable(volume.data, attenuation);
  const base = { size: volume.size, worldToIndex: volume.worldToIndex, attenuation };
  if (table !== undefined) return { ...base, voxels: volume.data, table: table.table, tableOffset: table.offset };
  return { ...base, voxels: attenuationVolume(volume.data, attenuation, into), table: null, tableOffset: 0 };
}

const triple = (v: Vec3): [number, number, number] => [v[0], v[1], v[2]];

/** The rays of `projection` through `prepared`'s grid, in its index space. */
export function drrRowJob(prepared: PreparedDrrVolume, projection: DrrProjection): DrrRowJob {
  const w2i = prepared.worldToIndex;
  const toIndex = (p: Vec3): [number, number, number] => triple(mat4MulPoint(w2i, p));
  const p00 = detectorPixelToWorld(projection, 0, 0);
  const p10 = detectorPixelToWorld(projection, 1, 0);
  const p01 = detectorPixelToWorld(projection, 0, 1);
  const i00 = toIndex(p00);
  const i10 = toIndex(p10);
  const i01 = toIndex(p01);
  return {
    voxels: prepared.voxels,
    table: prepared.table,
    tableOffset: prepared.tableOffset,
    size: triple(prepared.size),
    sourceIndex: toIndex(projection.source),
    pixel00Index: i00,
    columnStepIndex: [i10[0] - i00[0], i10[1] - i00[1], i10[2] - i00[2]],
    rowStepIndex: [i01[0] - i00[0], i01[1] - i00[1], i01[2] - i00[2]],
    sourceWorld: triple(projection.source),
    pixel00World: triple(p00),
    columnStepWorld: triple(sub(p10, p00)),
    rowStepWorld: triple(sub(p01, p00)),
    columns: projection.size[0],
    rows: projection.size[1],
  };
}

/** Wraps line integrals computed for `projection` as a PlanarImage placed in LPS. */
export function drrImage(projection: DrrProjection, lineIntegrals: Float32Array, label = 'DRR (simulated radiograph)'): PlanarImage {
  return createPlanarImage({
    size: projection.size,
    spacing: projection.pixelSpacingMm,
    spacingSource: 'imager-spacing',
    spacingPlane: 'detector',
    magnification: projection.sourceToDetectorMm / projection.sourceToIsocentreMm,
    placement: { origin: detectorPixelToWorld(projection, 0, 0), iDirection: projection.iAxis, jDirection: projection.jAxis },
    frameCount: 1,
    data: lineIntegrals,
    units: 'unitless',
    label,
  });
}

/** Detector rows per call of the ray caster (and per block handed to a worker thread). */
export const DRR_BLOCK_ROWS = 4;

/** The whole DRR on the calling thread. */
export function renderDrr(volume: Volume, projection: DrrProjection, options: DrrOptions = {}): DrrResult {
  const job = drrRowJob(prepareDrrVolume(volume, options), projection);
  const out = new Float32Array(job.columns * job.rows);
  // A few rows per call, so that V8 optimizes the kernel as a function rather than running one long
  // call in on-stack-replaced code (trace-rows.ts).
  for (let row = 0; row < job.rows; row += DRR_BLOCK_ROWS) traceDrrRows(job, row, Math.min(job.rows, row + DRR_BLOCK_ROWS), out);
  return { image: drrImage(projection, out), projection };
}
