/**
 * VolumeDescriptor (headers) → Volume (voxels): decodes every frame, maps stored values to real
 * values per frame (rescale or Philips floating point; MONOCHROME1 inverted), places the frames on
 * the grid computed by computeStackGeometry — copied slice by slice, or resampled when the geometry
 * step asked for it (gantry tilt, allowed gaps) — and picks the output type:
 * int16 when every value is a whole number within int16 (CT HU, most MR), else float32.
 * Resampled integer data is rounded back to int16, as dcm2niix keeps tilt-corrected CT in int16.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { createVolume, type Volume } from '../../volume/volume.ts';
import { decodeFrame, type DecodedFrame, type DecodeFrameOptions } from '../pixels/decode-frame.ts';
import type { FrameCodecRegistry } from '../pixels/frame-codec.ts';
import { toRealValues } from './real-values.ts';
import { resampleSliceStack, type StackPlane } from './resample-stack.ts';
import type { VolumeDescriptor } from './split-series.ts';

export interface LoadProgress {
  readonly done: number;
  readonly total: number;
}

export interface LoadVolumeOptions {
  readonly volume: VolumeDescriptor;
  readonly codecs: FrameCodecRegistry;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Value for resampled voxels that fall outside every slice; default: the smallest value in the data (air in CT). */
  readonly fill?: number;
  /** Frame decoder; default `decodeFrame` (dicom/pixels). Injected by tests and worker pools. */
  readonly decode?: (options: DecodeFrameOptions) => Promise<DecodedFrame>;
  /** Label of the resulting volume; default the descriptor's. */
  readonly label?: string;
}

const INT16_MIN = -32768;
const INT16_MAX = 32767;

export async function loadVolume(options: LoadVolumeOptions): Promise<Volume> {
  const { volume: descriptor, codecs } = options;
  const decode = options.decode ?? decodeFrame;
  const { geometry } = descriptor;
  const slices = geometry.slices;
  const [ni, nj, nk] = geometry.grid.size;
  const planeSize = ni * nj;
  const direct = geometry.sampling.kind === 'direct';
  const stack = direct ? new Float32Array(planeSize * nk) : undefined;
  const planes: StackPlane[] = [];
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < slices.length; k++) {
    const slice = slices[k]!;
    const decoded = await decode({ instance: slice.instance, frame: slice.frame, codecs });
    if (decoded.format.rows !== slice.rows || decoded.format.columns !== slice.columns) {
      throw new KeyholeError('DICOM_SERIES_INCONSISTENT', {
        file: slice.source,
        message: `decoded frame is ${decoded.format.columns}×${decoded.format.rows}, the header says ${slice.columns}×${slice.rows}`,
      });
    }
    const target = stack?.subarray(planeSize * k, planeSize * (k + 1));
    const real = toRealValues({ pixels: decoded.pixels, format: decoded.format, mapping: slice.valueMapping, source: slice.source, ...(target !== undefined ? { target } : {}) });
    integral &&= real.integral;
    min = Math.min(min, real.min);
    max = Math.max(max, real.max);
    if (!direct) planes.push({ position: slice.position, columns: slice.columns, rows: slice.rows, pixelSpacing: slice.pixelSpacing, values: real.values });
    options.onProgress?.({ done: k + 1, total: slices.length });
  }
  let values: Float32Array;
  if (stack !== undefined) values = stack;
  else values = resampleSliceStack({ planes, axes: geometry.axes, grid: geometry.grid, fill: options.fill ?? min }).values;
  const fitsInt16 = integral && min >= INT16_MIN && max <= INT16_MAX && (options.fill === undefined || (Number.isInteger(options.fill) && options.fill >= INT16_MIN && options.fill <= INT16_MAX));
  const data = fitsInt16 ? Int16Array.from(values, (v) => Math.round(v)) : values;
  const label = options.label ?? descriptor.label;
  return createVolume({ ...geometry.grid, data, units: descriptor.units, ...(label !== '' ? { label } : {}) });
}
