/**
 * Rendered images (PS3.18 §8.3.5.1 "rendered" resources, §8.3.5.1.3 window parameter): one
 * decoded frame → 8-bit greyscale (or RGB) → PNG or JPEG.
 *
 * Greyscale pipeline (PS3.3 §C.11.2, the VOI LUT function "LINEAR", PS3.3 §C.11.2.1.2.1):
 * stored value → modality LUT (RescaleSlope/Intercept) → window (center, width) → 0..255, then
 * MONOCHROME1 inverted. The window is the request's `window=center,width,linear`, else the file's
 * first WindowCenter/WindowWidth, else the frame's min..max.
 *
 * Encoders: fast-png (pure TypeScript, typed, synchronous, works in Node and browsers; pngjs was the
 * alternative but is built on Node streams and ships no types) and jpeg-js (the maintained pure-JS
 * baseline JPEG encoder; no native build step, unlike sharp).
 */
import { decodeFrame, KeyholeError, Tag, type DicomInstance, type FrameCodecRegistry } from '@keyhole/core';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';

export type RenderedType = 'image/png' | 'image/jpeg';

export interface Window {
  readonly center: number;
  readonly width: number;
}

export interface RenderFrameOptions {
  readonly instance: DicomInstance;
  readonly frame: number;
  readonly codecs: FrameCodecRegistry;
  readonly type: RenderedType;
  readonly window?: Window;
  /** JPEG quality 1–100 (PS3.18 `quality` parameter); default 90. */
  readonly quality?: number;
}

export interface RenderedImage {
  readonly type: RenderedType;
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Parses `window=center,width,function` (only linear is supported, as the standard's default). */
export function parseWindow(value: string | undefined): Window | undefined {
  if (value === undefined || value === '') return undefined;
  const [center, width, fn = 'linear'] = value.split(',').map((v) => v.trim());
  const c = Number(center);
  const w = Number(width);
  if (!Number.isFinite(c) || !Number.isFinite(w) || w <= 0) throw new KeyholeError('VALIDATION_FAILED', { path: 'querystring.window', message: `expected "center,width[,linear]" with a positive width, got "${value}"` });
  if (fn.toLowerCase() !== 'linear') throw new KeyholeError('VALIDATION_FAILED', { path: 'querystring.window', message: `only the linear VOI LUT function is supported, got "${fn}"` });
  return { center: c, width: w };
}

export async function renderFrame(options: RenderFrameOptions): Promise<RenderedImage> {
  const { instance } = options;
  const decoded = await decodeFrame({ instance, frame: options.frame, codecs: options.codecs });
  const { rows: height, columns: width, samplesPerPixel, photometricInterpretation, planarConfiguration } = decoded.format;
  const pixels = decoded.pixels;
  const count = width * height;
  let rgba: Uint8Array;
  let grey: Uint8Array | undefined;
  if (samplesPerPixel === 1) {
    const slope = instance.dataset.number(Tag.RescaleSlope) ?? 1;
    const intercept = instance.dataset.number(Tag.RescaleIntercept) ?? 0;
    const window = options.window ?? fileWindow(instance) ?? rangeWindow(pixels, count, slope, intercept);
    // PS3.3 §C.11.2.1.2.1: linear window with center c and width w.
    const low = window.center - 0.5 - (window.width - 1) / 2;
    const scale = 255 / Math.max(window.width - 1, 1e-6);
    const invert = photometricInterpretation === 'MONOCHROME1';
    grey = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const value = (pixels[i] as number) * slope + intercept;
      let v = (value - low) * scale;
      v = v < 0 ? 0 : v > 255 ? 255 : v;
      grey[i] = invert ? 255 - Math.round(v) : Math.round(v);
    }
    rgba = new Uint8Array(count * 4);
    for (let i = 0; i < count; i++) {
      const g = grey[i]!;
      rgba[i * 4] = g;
      rgba[i * 4 + 1] = g;
      rgba[i * 4 + 2] = g;
      rgba[i * 4 + 3] = 255;
    }
  } else if (samplesPerPixel === 3 && (photometricInterpretation === 'RGB' || photometricInterpretation.startsWith('YBR') === false)) {
    rgba = new Uint8Array(count * 4);
    const max = decoded.format.bitsStored > 8 ? 2 ** decoded.format.bitsStored - 1 : 255;
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < 3; c++) {
        const index = planarConfiguration === 1 ? c * count + i : i * 3 + c;
        rgba[i * 4 + c] = Math.round(((pixels[index] as number) * 255) / max);
      }
      rgba[i * 4 + 3] = 255;
    }
  } else {
    throw new KeyholeError('DICOM_UNSUPPORTED_PIXEL_FORMAT', { file: instance.source, message: `cannot render ${samplesPerPixel} samples per pixel with photometric interpretation ${photometricInterpretation}` });
  }
  if (options.type === 'image/png') {
    const bytes = grey !== undefined ? encodePng({ width, height, data: grey, channels: 1, depth: 8 }) : encodePng({ width, height, data: rgba, channels: 4, depth: 8 });
    return { type: 'image/png', bytes, width, height };
  }
  const encoded = jpeg.encode({ data: rgba, width, height }, options.quality ?? 90);
  return { type: 'image/jpeg', bytes: new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength), width, height };
}

function fileWindow(instance: DicomInstance): Window | undefined {
  const center = instance.dataset.number(Tag.WindowCenter);
  const width = instance.dataset.number(Tag.WindowWidth);
  return center !== undefined && width !== undefined && width > 0 ? { center, width } : undefined;
}

function rangeWindow(pixels: ArrayLike<number>, count: number, slope: number, intercept: number): Window {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = pixels[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const a = min * slope + intercept;
  const b = max * slope + intercept;
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  return { center: (low + high) / 2 + 0.5, width: Math.max(high - low + 1, 2) };
}
