import type { Vec3 } from '../../geometry/vec3.ts';
import type { LabelName } from '../vocabulary.ts';
import type { VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { Tube, frameToWorld } from './shapes.ts';
import type { VertebraBuild } from './vertebra.ts';
import type { Landmark, ScenePart } from './types.ts';

/** How far round the chest each rib reaches (degrees from the back); the last ribs are short "floating" ribs. */
function ribReachDeg(vertebra: string, thoracicCount: number): number {
  const n = Number(vertebra.slice(1));
  const fromLast = thoracicCount - n; // 0 = the last rib
  if (fromLast === 0) return 75;
  if (fromLast === 1) return 105;
  if (fromLast === 2) return 150;
  return 170;
}

export interface RibOptions {
  readonly geom: VertebraGeom;
  readonly build: VertebraBuild;
  readonly thoracicCount: number;
  readonly scale: number;
}

/**
 * A rib pair: head at the upper posterolateral body (costovertebral joint), neck to the front of the
 * transverse process tip (costotransverse joint), then round the chest on an ellipse, dropping as it goes.
 */
export function buildRibs(options: RibOptions): { parts: ScenePart[]; landmarks: Record<string, Landmark> } {
  const { geom, build, scale } = options;
  const { frame, dims } = geom;
  const parts: ScenePart[] = [];
  const landmarks: Record<string, Landmark> = {};
  const reach = ribReachDeg(geom.slot.name, options.thoracicCount);
  const rx = 122 * scale, ry = 75 * scale, vc = -35 * scale;
  const r = 4.5 * scale;
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const at = (u: number, v: number, w: number): Vec3 => frameToWorld(frame, s * u, v, w);
    const points: Vec3[] = [
      at(dims.width / 2 + r - 1, dims.depth / 4, geom.normalHeight / 2 - 3 * scale),
      at(build.local.transverseTipU - 2 * scale, dims.depth / 2 + dims.pedicleLength - 4 * scale - dims.transverseRadius - r + 1, build.local.pedicleW),
    ];
    for (let deg = 25; deg <= reach; deg += 10) {
      const t = (deg * Math.PI) / 180;
      const drop = ((deg - 25) / 145) * 45 * scale;
      points.push(at(rx * Math.sin(t), vc + ry * Math.cos(t), build.local.pedicleW - drop));
    }
    const name = `rib_${geom.slot.name}_${side}` as LabelName;
    parts.push(part(name, 'cortical_bone', PRIORITY.cortical, new Tube(points.map((point) => ({ point, ra: r, rb: r })))));
    parts.push(part(name, 'cancellous_bone', PRIORITY.cancellous, new Tube(points.map((point) => ({ point, ra: r - 1.2, rb: r - 1.2 })))));
    landmarks[`${name}.angle`] = { point: points[4] ?? points[points.length - 1]!, structure: name };
  }
  return { parts, landmarks };
}
