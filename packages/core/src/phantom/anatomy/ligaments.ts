import type { Vec3 } from '../../geometry/vec3.ts';
import type { DiscGeom, VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { OrientedBox, Union, frameToWorld } from './shapes.ts';
import { segmentFrame } from './vertebra.ts';
import { stenosisAreaLoss } from './pathology.ts';
import type { PathologyOption, ScenePart } from './types.ts';

export interface LigamentaFlavaOptions {
  /** Discs whose upper and lower vertebrae are both mobile and present. */
  readonly discs: readonly DiscGeom[];
  readonly vertebrae: ReadonlyMap<string, VertebraGeom>;
  readonly pathology: readonly PathologyOption[];
  readonly scale: number;
}

/**
 * Ligamentum flavum at each interlaminar space: two plates (left, right) lining the canal side of the
 * laminae from the pedicle–lamina junction to the midline, spanning the disc level. Normal thickness
 * ~3.5 mm; at a central stenosis it thickens (hypertrophy is a main cause of degenerative stenosis).
 */
export function buildLigamentaFlava(options: LigamentaFlavaOptions): ScenePart[] {
  const parts: ScenePart[] = [];
  for (const disc of options.discs) {
    const upper = options.vertebrae.get(disc.slot.upper);
    const lower = options.vertebrae.get(disc.slot.lower);
    if (upper === undefined) continue;
    const dims = lower === undefined ? upper.dims : {
      canalHalfWidth: (upper.dims.canalHalfWidth + lower.dims.canalHalfWidth) / 2,
      pedicleWidth: (upper.dims.pedicleWidth + lower.dims.pedicleWidth) / 2,
      pedicleLength: (upper.dims.pedicleLength + lower.dims.pedicleLength) / 2,
      canalDepth: (upper.dims.canalDepth + lower.dims.canalDepth) / 2,
      laminaThickness: (upper.dims.laminaThickness + lower.dims.laminaThickness) / 2,
    };
    const lumbar = upper.slot.lumbarType;
    const loss = stenosisAreaLoss(options.pathology, disc.slot.name);
    const thickness = (lumbar ? 3.5 : 2.5) * options.scale * (1 + 0.6 * loss);
    const D = disc.depth;
    const pedicleU = dims.canalHalfWidth + dims.pedicleWidth / 2;
    const laminaMidV = D / 2 + dims.canalDepth + dims.laminaThickness / 2;
    const boxes = (['left', 'right'] as const).map((side) => {
      const s = side === 'left' ? 1 : -1;
      // The lamina line in (u, v), moved towards the canal by half lamina + half ligament.
      const a: [number, number] = [s * (pedicleU + 1), D / 2 + dims.pedicleLength - 1];
      const b: [number, number] = [0, laminaMidV];
      const du = b[0] - a[0], dv = b[1] - a[1];
      const len = Math.hypot(du, dv);
      let nu = -dv / len, nv = du / len;
      if (nv > 0) { nu = -nu; nv = -nv; }
      const shift = dims.laminaThickness / 2 + thickness / 2;
      const pa: Vec3 = frameToWorld(disc.frame, a[0] + nu * shift, a[1] + nv * shift, 0);
      const pb: Vec3 = frameToWorld(disc.frame, b[0] - s * 2 + nu * shift, b[1] + nv * shift, 0);
      const frame = segmentFrame(pa, pb, disc.frame.ez);
      const half = Math.hypot(pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]) / 2;
      const h = disc.middleHeight;
      return new OrientedBox({ ...frame, origin: frameToWorld(frame, 0, 0, -1 * options.scale) }, [half + 1, thickness / 2, h / 2 + 8 * options.scale]);
    });
    parts.push(part('ligamentum_flavum', 'ligament', PRIORITY.ligament, new Union(boxes)));
  }
  return parts;
}
