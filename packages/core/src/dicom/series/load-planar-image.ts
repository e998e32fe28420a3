/**
 * PlanarImageDescriptor (headers) → PlanarImage (pixels): decodes every frame and maps stored values
 * through the Modality LUT (RescaleSlope/Intercept, identity when absent — most DX/XA carry none),
 * MONOCHROME1 inverted as for volumes. int16 when integral and in range, else float32.
 */
import { createPlanarImage, type PlanarImage } from '../../volume/planar-image.ts';
import { decodeFrame, type DecodedFrame, type DecodeFrameOptions } from '../pixels/decode-frame.ts';
import type { FrameCodecRegistry } from '../pixels/frame-codec.ts';
import type { LoadProgress } from './load-volume.ts';
import type { PlanarImageDescriptor } from './planar-header.ts';
import { toRealValues } from './real-values.ts';
import { SERIES_TAGS as T } from './series-tags.ts';

export interface LoadPlanarImageOptions {
  readonly image: PlanarImageDescriptor;
  readonly codecs: FrameCodecRegistry;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly decode?: (options: DecodeFrameOptions) => Promise<DecodedFrame>;
}

export async function loadPlanarImage(options: LoadPlanarImageOptions): Promise<PlanarImage> {
  const { image } = options;
  const decode = options.decode ?? decodeFrame;
  const ds = image.instance.dataset;
  const mapping = { slope: ds.number(T.rescaleSlope) ?? 1, intercept: ds.number(T.rescaleIntercept) ?? 0 };
  const [ni, nj] = image.size;
  const values = new Float32Array(ni * nj * image.frameCount);
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  for (let f = 0; f < image.frameCount; f++) {
    const decoded = await decode({ instance: image.instance, frame: f, codecs: options.codecs });
    const real = toRealValues({ pixels: decoded.pixels, format: decoded.format, mapping, source: image.source, target: values.subarray(ni * nj * f, ni * nj * (f + 1)) });
    integral &&= real.integral;
    min = Math.min(min, real.min);
    max = Math.max(max, real.max);
    options.onProgress?.({ done: f + 1, total: image.frameCount });
  }
  const data = integral && min >= -32768 && max <= 32767 ? Int16Array.from(values) : values;
  return createPlanarImage({
    size: image.size,
    spacing: image.spacing,
    spacingSource: image.spacingSource,
    spacingPlane: image.spacingPlane,
    ...(image.magnification !== undefined ? { magnification: image.magnification } : {}),
    ...(image.placement !== undefined ? { placement: image.placement } : {}),
    ...(image.frameTimeMs !== undefined ? { frameTimeMs: image.frameTimeMs } : {}),
    frameCount: image.frameCount,
    data,
    units: image.units,
    label: image.label,
  });
}
