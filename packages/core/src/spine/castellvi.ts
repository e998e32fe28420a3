/**
 * Castellvi classification of the last presacral vertebra from the transverse-process–sacrum relation
 * [pacs, Ars, BMC-LSTV] (clinical reference §9): per side, type I when the transverse process is at least
 * `castellviTransverseHeightMm` (19 mm) tall craniocaudally, II when it meets the sacrum across a joint gap
 * (pseudoarticulation), III when bone runs continuously into the sacrum; a/b one or both sides, IV = II on
 * one side and III on the other. On CT a thin cartilage gap can blur into bone at coarse resolution, so II
 * may read as III; both mean a transitional vertebra, which is what the level count needs.
 */
import type { Vec3 } from '../geometry/vec3.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { CastellviFinding, CastellviSideGrade } from './types.ts';
import type { WorkGrid } from './working-grid.ts';

export interface CastellviOptions {
  readonly grid: WorkGrid;
  readonly segment: Uint8Array;
  /** Segment label (1-based) of the last presacral vertebra and of the sacrum. */
  readonly vertebraLabel: number;
  readonly sacrumLabel: number;
  readonly vertebraName: string;
  readonly axisI: Float64Array;
  /** Column axis direction at the vertebra (unit, cranial). */
  readonly tangent: Vec3;
  readonly transverseHeightMm: number;
  readonly contactMm: number;
}

/**
 * Transverse processes lie beyond this lateral distance from the column axis; the pedicles and the
 * lumbosacral facets (the widest-set facets of the spine) lie within it, so that facet contact with S1
 * does not read as a pseudoarticulation, and only the sacral ala beyond it counts as the sacrum.
 */
const TRANSVERSE_FROM_MM = 35;

export function classifyCastellvi(options: CastellviOptions): CastellviFinding {
  const { grid, segment, vertebraLabel, sacrumLabel, axisI, tangent } = options;
  const { nx, ny, nz, w } = grid;
  const plane = nx * ny;
  const lo = { left: Infinity, right: Infinity }, hi = { left: -Infinity, right: -Infinity };
  const gap = { left: Infinity, right: Infinity };
  const r = Math.ceil(options.contactMm / w) + 1;
  for (let o = 0; o < segment.length; o++) {
    if (segment[o] !== vertebraLabel) continue;
    const i = o % nx, j = ((o - i) / nx) % ny, k = Math.floor(o / plane);
    const dx = (i - axisI[k]!) * w;
    if (Math.abs(dx) < TRANSVERSE_FROM_MM) continue;
    const side: Side = dx >= 0 ? 'left' : 'right';
    const h = (i * tangent[0] + j * tangent[1] + k * tangent[2]) * w;
    lo[side] = Math.min(lo[side], h);
    hi[side] = Math.max(hi[side], h);
    for (let dk = -r; dk <= r; dk++) {
      const kk = k + dk;
      if (kk < 0 || kk >= nz) continue;
      for (let dj = -r; dj <= r; dj++) {
        const jj = j + dj;
        if (jj < 0 || jj >= ny) continue;
        for (let di = -r; di <= r; di++) {
          const ii = i + di;
          if (ii < 0 || ii >= nx) continue;
          if (segment[ii + nx * (jj + ny * kk)] !== sacrumLabel) continue;
          if (Math.abs(ii - axisI[kk]!) * w < TRANSVERSE_FROM_MM) continue;
          // Face-adjacent bone is continuous (gap 0); otherwise the gap is the distance less one voxel.
          const d = Math.hypot(di, dj, dk);
          gap[side] = Math.min(gap[side], d <= 1 ? 0 : (d - 1) * w);
        }
      }
    }
  }
  const sides = {} as Record<Side, CastellviSideGrade>;
  const heights = {} as Record<Side, number>;
  for (const side of ['left', 'right'] as const) {
    heights[side] = hi[side] >= lo[side] ? hi[side] - lo[side] + w : 0;
    if (gap[side] === 0) sides[side] = 'III';
    else if (gap[side] <= options.contactMm) sides[side] = 'II';
    else if (heights[side] >= options.transverseHeightMm) sides[side] = 'I';
    else sides[side] = 'none';
  }
  return {
    vertebra: options.vertebraName,
    type: combine(sides.left, sides.right),
    sides,
    transverseHeightMm: heights,
    gapToSacrumMm: { left: Number.isFinite(gap.left) ? gap.left : -1, right: Number.isFinite(gap.right) ? gap.right : -1 },
  };
}

function combine(left: CastellviSideGrade, right: CastellviSideGrade): CastellviFinding['type'] {
  if (left === 'none' && right === 'none') return 'none';
  if ((left === 'II' && right === 'III') || (left === 'III' && right === 'II')) return 'IV';
  const rank = { none: 0, I: 1, II: 2, III: 3 } as const;
  const top = rank[left] >= rank[right] ? left : right;
  const both = left === right;
  return `${top}${both ? 'b' : 'a'}` as CastellviFinding['type'];
}
