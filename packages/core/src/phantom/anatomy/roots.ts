import { normalize, sub, type Vec3 } from '../../geometry/vec3.ts';
import { LABELS, type LabelName, type NerveName, type Side } from '../vocabulary.ts';
import type { SacralSegment, VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { Superellipsoid, Tube, frameToWorld, type Frame } from './shapes.ts';
import type { VertebraLocal } from './vertebra.ts';
import type { RootInfo, ScenePart } from './types.ts';

/**
 * The spinal nerve that leaves under a vertebra's pedicle: thoracic and lumbar roots are named for the
 * pedicle above their foramen (the Ln root exits below the Ln pedicle [Witek]); cervical roots for the
 * vertebra below (C8 exits at C7–T1 [Mostoufi]).
 */
export function nerveBelowPedicle(vertebra: string): NerveName | undefined {
  if (vertebra.startsWith('C')) return `C${Number(vertebra.slice(1)) + 1}` as NerveName;
  if (/^(T|L)\d+$/.test(vertebra) || vertebra === 'S1') return vertebra as NerveName;
  return undefined;
}

export interface RootBuild {
  readonly parts: ScenePart[];
  readonly infos: RootInfo[];
}

function rootParts(nerve: NerveName, side: Side, path: readonly Vec3[], radius: number, drgCentre: Vec3, drgRadii: Vec3, sacral: boolean): ScenePart[] {
  const rootName = `root_${nerve}_${side}` as LabelName;
  const drgName = `drg_${nerve}_${side}` as LabelName;
  const dir = normalize(sub(path[path.length - 2]!, path[1]!));
  const up: Vec3 = Math.abs(dir[2]) < 0.9 ? [0, 0, 1] : [0, 1, 0];
  const ey = normalize([up[1] * dir[2] - up[2] * dir[1], up[2] * dir[0] - up[0] * dir[2], up[0] * dir[1] - up[1] * dir[0]]);
  const ez: Vec3 = [dir[1] * ey[2] - dir[2] * ey[1], dir[2] * ey[0] - dir[0] * ey[2], dir[0] * ey[1] - dir[1] * ey[0]];
  const drgFrame: Frame = { origin: drgCentre, ex: dir, ey, ez };
  return [
    part(rootName, 'neural', sacral ? PRIORITY.sacralRoot : PRIORITY.root, new Tube(path.map((point) => ({ point, ra: radius, rb: radius })))),
    part(drgName, 'ganglion', sacral ? PRIORITY.sacralGanglion : PRIORITY.ganglion, new Superellipsoid(drgFrame, drgRadii)),
  ];
}

export interface VertebraRootOptions {
  readonly geom: VertebraGeom;
  readonly local: VertebraLocal;
  /** Where each root leaves the dural sac (inside the sac, at the level of the disc above). */
  readonly takeoff: Readonly<Record<Side, Vec3>>;
  readonly discBelowMm: number;
  /** Name of the disc (foramen) below. */
  readonly foramen: string;
  readonly scale: number;
}

/**
 * Left and right roots leaving under this vertebra's pedicles: from the lateral dural sac at the disc
 * above, down the lateral recess medial to the pedicle, under the pedicle into the upper foramen where the
 * dorsal root ganglion lies (inside Kambin's triangle in all 210 MRIs [Dannebrock2023]), then
 * anterolaterally and caudally out of the foramen over the disc below.
 */
export function buildVertebraRoots(options: VertebraRootOptions): RootBuild {
  const { geom, local, scale } = options;
  const nerve = nerveBelowPedicle(geom.slot.name);
  if (nerve === undefined) return { parts: [], infos: [] };
  const { frame, dims } = geom;
  const D = dims.depth, H = geom.normalHeight, W = dims.width;
  const hB = options.discBelowMm;
  const region = geom.slot.lumbarType ? 'lumbar' : geom.slot.region;
  const rr = (region === 'lumbar' ? 2.5 : region === 'cervical' ? 2 : 1.6) * scale;
  const drgRadii: Vec3 = region === 'lumbar' ? [4.5 * scale, 3 * scale, 3 * scale] : [3 * scale, 2 * scale, 2 * scale];
  const cw = dims.canalHalfWidth;
  const pedBottom = local.pedicleW - dims.pedicleHeight / 2;
  const parts: ScenePart[] = [];
  const infos: RootInfo[] = [];
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const at = (u: number, v: number, w: number): Vec3 => frameToWorld(frame, s * u, v, w);
    const drg = at(local.pedicleU + dims.pedicleWidth / 2 + 2.5 * scale, D / 2 + 0.5 + rr, pedBottom - rr - 2 * scale);
    const path: Vec3[] = [
      options.takeoff[side],
      at(cw - rr - 0.8, D / 2 + 1.5 + rr, 0),
      at(local.pedicleU, D / 2 + 1 + rr, pedBottom - rr - 1.2 * scale),
      drg,
      at(W / 2 + 7 * scale, D / 2 - 7 * scale, -H / 2 - 0.35 * hB),
      at(W / 2 + 16 * scale, -2 * scale, -H / 2 - hB - 6 * scale),
    ];
    parts.push(...rootParts(nerve, side, path, rr, drg, drgRadii, false));
    infos.push({
      name: `root_${nerve}_${side}`,
      nerve,
      side,
      label: LABELS[`root_${nerve}_${side}` as LabelName],
      ganglionLabel: LABELS[`drg_${nerve}_${side}` as LabelName],
      pedicleOf: geom.slot.name,
      foramen: options.foramen,
      level: options.foramen,
      path,
      radiusMm: rr,
      ganglionCentre: drg,
    });
  }
  return { parts, infos };
}

export interface SacralRootOptions {
  readonly segment: SacralSegment;
  /** S1 normally; S2 under a lumbarized S1. */
  readonly nerve: NerveName;
  /** Where each root leaves the dural sac (at the lumbosacral disc). */
  readonly takeoff: Readonly<Record<Side, Vec3>>;
  readonly canalHalfWidth: number;
  readonly scale: number;
}

/**
 * The first sacral root: from the sac at the lumbosacral disc down the sacral canal, its ganglion at the
 * canal's lateral edge, out through the first anterior sacral foramen (carved through the lateral mass:
 * sacral roots are painted over bone).
 */
export function buildSacralRoots(options: SacralRootOptions): RootBuild {
  const { segment, nerve, scale } = options;
  const { frame, depth: D, height: H } = segment;
  const rr = 2.5 * scale;
  const cw = options.canalHalfWidth;
  const parts: ScenePart[] = [];
  const infos: RootInfo[] = [];
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const at = (u: number, v: number, w: number): Vec3 => frameToWorld(frame, s * u, v, w);
    const drg = at(cw - 2 * scale, D / 2 + 3 * scale, -0.05 * H);
    const path: Vec3[] = [
      options.takeoff[side],
      at(cw - rr - 1, D / 2 + 4 * scale, H / 4),
      drg,
      at(cw + 6 * scale, -D / 2 + 2 * scale, -0.3 * H),
      at(cw + 14 * scale, -D / 2 - 10 * scale, -0.9 * H),
    ];
    parts.push(...rootParts(nerve, side, path, rr, drg, [4 * scale, 3 * scale, 3 * scale], true));
    infos.push({
      name: `root_${nerve}_${side}`,
      nerve,
      side,
      label: LABELS[`root_${nerve}_${side}` as LabelName],
      ganglionLabel: LABELS[`drg_${nerve}_${side}` as LabelName],
      pedicleOf: 'sacrum',
      foramen: `${nerve} sacral foramen`,
      level: `${nerve} sacral foramen`,
      path,
      radiusMm: rr,
      ganglionCentre: drg,
    });
  }
  return { parts, infos };
}
