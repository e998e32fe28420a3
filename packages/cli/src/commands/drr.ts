import { encode } from 'fast-png';
import {
  anglesForView,
  annotateDrr,
  DEFAULT_C_ARM_GEOMETRY,
  drrDisplayPixels,
  indexToWorld,
  KeyholeError,
  parseCArmView,
  projectionFromPose,
  type CArmGeometry,
  type DrrOverlay,
  type PatientPosition,
  type Vec3,
} from '@keyhole/core';
import { renderDrrParallel, writeFileAtomic } from '@keyhole/io';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { loadCtVolume } from './drr-input.ts';
import { readPlanOverlay } from './drr-plan.ts';

export interface DrrCommandOptions {
  readonly paths: readonly string[];
  readonly output: string;
  readonly view: string;
  /** Cranial (+) / caudal (−) tilt, degrees. */
  readonly cranial?: string;
  readonly position: string;
  /** "x,y,z" in LPS mm. */
  readonly isocentre?: string;
  readonly plan?: string;
  readonly series?: string;
  readonly sid?: string;
  readonly sod?: string;
  /** Detector size in mm: "300" or "300,240". */
  readonly detector?: string;
  /** Detector pixels: "512" or "512,400". */
  readonly pixels?: string;
  readonly polarity: string;
  readonly threads?: string;
  readonly json: boolean;
}

function numbers(text: string, option: string, count: readonly number[]): number[] {
  const values = text.split(',').map((v) => Number(v.trim()));
  if (!count.includes(values.length) || !values.every((v) => Number.isFinite(v))) {
    throw new KeyholeError('INVALID_ARGUMENT', { path: option, message: `expected ${count.join(' or ')} comma-separated numbers, got "${text}"` });
  }
  return values;
}

function pair(text: string | undefined, option: string, fallback: readonly [number, number]): [number, number] {
  if (text === undefined) return [fallback[0], fallback[1]];
  const v = numbers(text, option, [1, 2]);
  return [v[0]!, v[1] ?? v[0]!];
}

function single(text: string | undefined, option: string, fallback: number): number {
  return text === undefined ? fallback : numbers(text, option, [1])[0]!;
}

function geometryFrom(options: DrrCommandOptions): CArmGeometry {
  return {
    sourceToDetectorMm: single(options.sid, '--sid', DEFAULT_C_ARM_GEOMETRY.sourceToDetectorMm),
    sourceToIsocentreMm: single(options.sod, '--sod', DEFAULT_C_ARM_GEOMETRY.sourceToIsocentreMm),
    detectorSizeMm: pair(options.detector, '--detector', DEFAULT_C_ARM_GEOMETRY.detectorSizeMm),
    detectorPixels: pair(options.pixels, '--pixels', DEFAULT_C_ARM_GEOMETRY.detectorPixels),
  };
}

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * `keyhole drr`: a simulated radiograph (DRR) of a CT for a C-arm view, written as PNG with
 * "SIMULATED" burned in, the patient's sides marked and the plan's cannula and target drawn.
 */
export async function runDrr(options: DrrCommandOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    if (!/\.png$/i.test(options.output)) throw new KeyholeError('INVALID_ARGUMENT', { path: '--output', message: `"${options.output}" must end in .png` });
    if (options.position !== 'supine' && options.position !== 'prone') {
      throw new KeyholeError('INVALID_ARGUMENT', { path: '--position', message: `must be supine or prone, got "${options.position}"` });
    }
    const position: PatientPosition = options.position;
    const view = parseCArmView(options.view);
    const geometry = geometryFrom(options);
    const secondaryDeg = single(options.cranial, '--cranial', 0);
    const threads = options.threads === undefined ? undefined : single(options.threads, '--threads', 1);
    const overlay: DrrOverlay = options.plan !== undefined ? await readPlanOverlay(options.plan) : {};

    const { volume, source } = await loadCtVolume({ paths: options.paths, interactive: ctx.interactive, ...(options.series !== undefined ? { series: options.series } : {}) });
    const centre = indexToWorld(volume, [(volume.size[0] - 1) / 2, (volume.size[1] - 1) / 2, (volume.size[2] - 1) / 2]);
    const isocentre: Vec3 = options.isocentre !== undefined ? (numbers(options.isocentre, '--isocentre', [3]) as unknown as Vec3) : overlay.target ?? centre;
    const angles = anglesForView(view, position);
    const projection = projectionFromPose({ geometry, isocentre, primaryDeg: angles.primaryDeg, secondaryDeg });

    const { image } = await renderDrrParallel(volume, projection, threads !== undefined ? { threads } : {});
    const display = drrDisplayPixels(image, { polarity: options.polarity === 'fluoroscopy' ? 'fluoroscopy' : 'radiograph' });
    const [width, height] = image.size;
    const viewName = view.kind === 'oblique' ? `OBLIQUE ${view.degrees}°` : view.kind === 'lateral' ? `LATERAL (${view.side === 'left' ? 'DETECTOR LEFT' : 'DETECTOR RIGHT'})` : 'AP';
    const tilt = secondaryDeg === 0 ? '' : secondaryDeg > 0 ? ` CRANIAL ${secondaryDeg}°` : ` CAUDAL ${-secondaryDeg}°`;
    const caption = `${viewName}${tilt}, ${position.toUpperCase()}`;
    const drawn = annotateDrr({ pixels: display.pixels, width, height }, projection, { caption, overlay });
    const png = encode({
      width,
      height,
      data: display.pixels,
      depth: 8,
      channels: 1,
      text: {
        Title: 'Simulated radiograph (DRR)',
        Description: 'SIMULATED: digitally reconstructed radiograph computed from CT by Keyhole; not an X-ray image. Supports decisions; never replaces clinical judgement.',
        Software: 'Keyhole 0.1.0',
      },
    });
    await writeFileAtomic(options.output, png);

    const summary = {
      ok: true,
      simulated: true,
      output: options.output,
      source,
      view: options.view,
      position,
      angles: { primaryDeg: angles.primaryDeg, secondaryDeg },
      geometry,
      isocentre: isocentre.map((v) => round(v)),
      magnificationAtIsocentre: round(geometry.sourceToDetectorMm / geometry.sourceToIsocentreMm, 4),
      pixelSpacingAtDetectorMm: projection.pixelSpacingMm,
      window: display.window.map((v) => round(v, 4)),
      ...(drawn.targetPixel !== undefined ? { targetPixel: { i: round(drawn.targetPixel.i), j: round(drawn.targetPixel.j) } } : {}),
      ...(drawn.entryPixel !== undefined ? { entryPixel: { i: round(drawn.entryPixel.i), j: round(drawn.entryPixel.j) } } : {}),
    };
    if (options.json) ctx.out(JSON.stringify(summary, null, 2));
    else {
      ctx.out(`${options.output}: simulated ${caption.toLowerCase()} radiograph, ${width}×${height} px, from ${source}`);
      ctx.out(`  C-arm: primary ${angles.primaryDeg}°, secondary ${secondaryDeg}°, SID ${geometry.sourceToDetectorMm} mm, source–isocentre ${geometry.sourceToIsocentreMm} mm, isocentre [${summary.isocentre.join(', ')}] LPS mm`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}
