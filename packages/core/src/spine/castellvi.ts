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
  /** Bone (filled) mask and the joint-space voxels, for the bar test; without them only contact is used. */
  readonly bone?: Uint8Array;
  /** Centre of the disc between the vertebra and the sacrum (grid coordinates) and its cranial normal. */
  readonly discCentre?: Vec3;
  readonly discNormal?: Vec3;
}

/**
 * A bar of bone from the transverse process down to the ala, beside the L5–S1 disc: bone of the vertebra
 * or the sacrum, beyond the facets (≥ 35 mm across), running from the transverse processes' height (12 mm
 * or more above the disc centre) to the ala (at or below it). The partition between the two labels may cut
 * a fused bar anywhere, so both labels count. Bone that joins only across a one-voxel gap is a
 * pseudoarticulation (II); continuous bone is fusion (III).
 */
function findBar(options: CastellviOptions, side: Side): 'none' | 'II' | 'III' {
  const { grid, segment, vertebraLabel, sacrumLabel, axisI } = options;
  const centre = options.discCentre, normal = options.discNormal, bone = options.bone;
  if (centre === undefined || normal === undefined || bone === undefined) return 'none';
  const { nx, ny, nz, w } = grid;
  const plane = nx * ny;
  const s = side === 'left' ? 1 : -1;
  const heightOf = (i: number, j: number, k: number): number => ((i - centre[0]) * normal[0] + (j - centre[1]) * normal[1] + (k - centre[2]) * normal[2]) * w;
  const inZone = (i: number, j: number, k: number): boolean => {
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return false;
    const o = i + nx * (j + ny * k);
    const label = segment[o];
    if (!bone[o]) return false;
    const dx = s * (i - axisI[k]!) * w;
    if (dx < TRANSVERSE_FROM_MM) return false;
    // Bone of the two, or bone that neither claimed (a bar lost to the "not spine" marker) short of the
    // sacroiliac joints, where an ilium would bridge every height.
    if (label !== vertebraLabel && label !== sacrumLabel && !(label === 0 && dx <= BAR_MAX_MM)) return false;
    const h = heightOf(i, j, k);
    return h >= -15 && h <= 40;
  };
  const search = (jump: boolean): boolean => {
    const seen = new Uint8Array(segment.length);
    const r = Math.ceil(50 / w);
    const ci = Math.round(centre[0] + s * ((TRANSVERSE_FROM_MM + 15) / w)), cj = Math.round(centre[1]), ck = Math.round(centre[2]);
    for (let k = Math.max(0, ck - r); k <= Math.min(nz - 1, ck + r); k++) for (let j = Math.max(0, cj - r); j <= Math.min(ny - 1, cj + r); j++) {
      for (let i = Math.max(0, ci - r); i <= Math.min(nx - 1, ci + r); i++) {
        const start = i + nx * (j + ny * k);
        if (seen[start] || !inZone(i, j, k) || heightOf(i, j, k) < 12) continue;
        // Flood from the transverse-process height; a bar reaches the ala's height.
        const stack = [start];
        seen[start] = 1;
        while (stack.length > 0) {
          const o = stack.pop()!;
          const oi = o % nx, oj = Math.floor(o / nx) % ny, ok = Math.floor(o / plane);
          if (heightOf(oi, oj, ok) <= 0) return true;
          for (let dk = -1; dk <= 1; dk++) for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
            if (di === 0 && dj === 0 && dk === 0) continue;
            const steps = jump ? [1, 2] : [1];
            for (const m of steps) {
              const qi = oi + m * di, qj = oj + m * dj, qk = ok + m * dk;
              if (!inZone(qi, qj, qk)) continue;
              const q = qi + nx * (qj + ny * qk);
              if (seen[q]) continue;
              seen[q] = 1;
              stack.push(q);
            }
          }
        }
      }
    }
    return false;
  };
  if (search(false)) return 'III';
  // A joint space is bridged by a one-voxel jump only where that voxel is within the contact distance.
  return 2 * w <= options.contactMm && search(true) ? 'II' : 'none';
}

/**
 * Transverse processes lie beyond this lateral distance from the column axis; the pedicles and the
 * lumbosacral facets (the widest-set facets of the spine) lie within it, so that facet contact with S1
 * does not read as a pseudoarticulation, and only the sacral ala beyond it counts as the sacrum.
 */
const TRANSVERSE_FROM_MM = 35;

/** Unclaimed bone counts towards a bar only this close to the axis (mm): the ilia lie beyond. */
const BAR_MAX_MM = 50;

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
    const bar = findBar(options, side);
    if (bar !== 'none') sides[side] = bar;
    else if (gap[side] === 0) sides[side] = 'III';
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
