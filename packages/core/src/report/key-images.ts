import { add, normalize, scale, type Vec3 } from '../geometry/vec3.ts';
import { legendEntries, type LegendInput } from '../findings/label-map.ts';
import type { FindingsResult } from '../findings/types.ts';
import type { Volume } from '../volume/volume.ts';
import { encodePng } from './png.ts';
import { renderSlice, type RenderedSlice } from './slice-render.ts';

/**
 * The report's key images: a mid-sagittal slice through the lumbar column and, per finding, the slice the findings
 * step chose for it (`FindingsResult.keyImages`: the disc mid-plane, axial-oblique, for disc findings; a sagittal
 * plane through the body for fractures and slips), each with the label outlines, the vertebra names and the
 * finding's own structure drawn thicker.
 */
export interface ReportKeyImage {
  /** `mid-sagittal`, or the finding's kind. */
  readonly kind: string;
  /** Disc or vertebra (`L4-L5`, `L1`); the column's range for the mid-sagittal slice. */
  readonly level: string;
  /** Index into `findings.findings`, for per-finding images. */
  readonly finding?: number;
  readonly caption: string;
  readonly orientation: 'axial' | 'sagittal' | 'coronal';
  readonly width: number;
  readonly height: number;
  readonly png: Uint8Array;
  /** Vertebra names drawn on the image. */
  readonly names: readonly string[];
}

export interface RenderKeyImagesOptions {
  readonly image: Volume;
  readonly labels: Volume;
  readonly legend: LegendInput;
  readonly result: FindingsResult;
  /** Pixel size (mm); default 0.5. */
  readonly pixelMm?: number;
  /** Most per-finding images (the mid-sagittal slice comes on top); default 12. */
  readonly maxFindingImages?: number;
}

function ctWindow(image: Volume): { centre: number; width: number } | undefined {
  // CT in HU: a bone–soft-tissue window (W 1500 / L 300), where discs, sac and bone all read; other modalities: per slice.
  return image.units === 'HU' ? { centre: 300, width: 1500 } : undefined;
}

export function renderKeyImages(options: RenderKeyImagesOptions): ReportKeyImage[] {
  const { image, labels, result } = options;
  const names = new Map<number, string>(legendEntries(options.legend).map((e) => [e.value, e.name]));
  const valuesOf = (name: string): Set<number> => new Set([...names].filter(([, n]) => n === name || n === `herniation_${name}`).map(([v]) => v));
  const pixelMm = options.pixelMm ?? 0.5;
  const win = ctWindow(image);
  const out: ReportKeyImage[] = [];
  const pack = (slice: RenderedSlice, meta: Omit<ReportKeyImage, 'png' | 'width' | 'height' | 'orientation' | 'names'>): ReportKeyImage => ({
    ...meta,
    orientation: slice.axes.orientation,
    width: slice.width,
    height: slice.height,
    png: encodePng(slice),
    names: slice.names.map((n) => n.text),
  });

  // Mid-sagittal: through the mean body centre, the plane spanned by the column's mean superior and posterior axes,
  // shifted back so the canal is in the middle of the picture.
  const verts = result.vertebrae.filter((v) => Number.isFinite(v.bodyCentre[0]));
  if (verts.length > 0) {
    const mean = (f: (v: (typeof verts)[number]) => Vec3): Vec3 => scale(verts.reduce<Vec3>((a, v) => add(a, f(v)), [0, 0, 0]), 1 / verts.length);
    const left = normalize(mean((v) => v.axes.left));
    const superior = normalize(mean((v) => v.axes.superior));
    const posterior = normalize(mean((v) => v.axes.posterior));
    const centre = add(mean((v) => v.bodyCentre), scale(posterior, 12));
    const span = verts.reduce((a, v) => Math.max(a, Math.abs((v.bodyCentre[0] - centre[0]) * superior[0] + (v.bodyCentre[1] - centre[1]) * superior[1] + (v.bodyCentre[2] - centre[2]) * superior[2])), 0);
    const slice = renderSlice({ image, labels, names, plane: { point: centre, normal: left }, widthMm: 120, heightMm: Math.min(320, 2 * span + 50), pixelMm, ...(win !== undefined ? { greyWindow: win } : {}) });
    const range = `${verts[0]!.name}–${verts[verts.length - 1]!.name}`;
    out.push(pack(slice, { kind: 'mid-sagittal', level: range, caption: `Mid-sagittal slice, ${range}: vertebrae (yellow), discs (blue), dural sac (green), herniated material (red)` }));
  }

  for (const key of result.keyImages.slice(0, options.maxFindingImages ?? 12)) {
    const disc = result.discs.find((d) => d.name === key.level);
    const axial = Math.abs(key.plane.normal[2]) >= Math.max(Math.abs(key.plane.normal[0]), Math.abs(key.plane.normal[1]));
    // Axial disc slices are centred on the disc and canal (so a lateral fragment and both foramina show), sagittal ones on the finding.
    const vertebra = result.vertebrae.find((v) => v.name === (disc?.upper ?? key.level));
    const point = axial && disc?.midPlane !== undefined ? add(disc.midPlane.point, scale(vertebra?.axes.posterior ?? [0, 1, 0], 10)) : key.point;
    const slice = renderSlice({
      image, labels, names,
      plane: { point, normal: key.plane.normal },
      widthMm: axial ? 110 : 100,
      heightMm: axial ? 90 : 110,
      // Finer pixels for the per-finding views: they are shown at the same size as the longer mid-sagittal slice.
      pixelMm: pixelMm * 0.7,
      highlight: valuesOf(key.level),
      title: key.level,
      ...(win !== undefined ? { greyWindow: win } : {}),
    });
    out.push(pack(slice, { kind: key.kind, level: key.level, finding: key.finding, caption: key.caption }));
  }
  return out;
}
