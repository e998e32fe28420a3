import { KeyholeError } from '../../errors/keyhole-error.ts';
import { createVolume } from '../../volume/volume.ts';
import { mat4MulPoint } from '../../geometry/matrix.ts';
import type { Vec3 } from '../../geometry/vec3.ts';
import { TISSUE_CODES } from '../tissue.ts';
import type { RasterizeSceneOptions, RasterizeSceneResult } from './types.ts';

/**
 * Paints a scene onto a voxel grid: structure by structure in ascending priority, each only inside the
 * voxels of its bounding box, so that the last (highest-priority) structure containing a voxel centre wins
 * — the same rule `classify` applies, evaluated at exactly the same LPS coordinates (the voxel centre is
 * computed with the volume's cached index→world affine, term by term as `indexToWorld` does), so the two
 * agree voxel for voxel. Any grid orientation is allowed.
 */
export function rasterizeScene(options: RasterizeSceneOptions): RasterizeSceneResult {
  const { scene, grid } = options;
  const size = grid.size;
  if (size.length !== 3 || !size.every((n) => Number.isInteger(n) && n > 0)) {
    throw new KeyholeError('VALIDATION_FAILED', { message: `grid size must be three positive integers, got [${size.join(', ')}]`, path: 'grid.size' });
  }
  const [ni, nj, nk] = size as unknown as Vec3;
  const count = ni * nj * nk;
  const maxLabel = Math.max(...Object.keys(scene.legend).map(Number));
  const data = maxLabel <= 255 ? new Uint8Array(count) : new Uint16Array(count);
  const labels = createVolume({ size, spacing: grid.spacing, origin: grid.origin, direction: grid.direction ?? [1, 0, 0, 0, 1, 0, 0, 0, 1], data, units: 'label', label: 'phantom labels' });
  const tissue = new Uint8Array(count);
  const m = labels.indexToWorld;
  const m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3];
  const m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7];
  const m8 = m[8], m9 = m[9], m10 = m[10], m11 = m[11];
  for (const part of scene.parts) {
    // Index-space bounds of the part's box: the 8 corners through world→index.
    const { min, max } = part.shape.box;
    let i0 = Infinity, i1 = -Infinity, j0 = Infinity, j1 = -Infinity, k0 = Infinity, k1 = -Infinity;
    for (const x of [min[0], max[0]]) {
      for (const y of [min[1], max[1]]) {
        for (const z of [min[2], max[2]]) {
          const [fi, fj, fk] = mat4MulPoint(labels.worldToIndex, [x, y, z]);
          i0 = Math.min(i0, fi); i1 = Math.max(i1, fi);
          j0 = Math.min(j0, fj); j1 = Math.max(j1, fj);
          k0 = Math.min(k0, fk); k1 = Math.max(k1, fk);
        }
      }
    }
    const ia = Math.max(0, Math.floor(i0)), ib = Math.min(ni - 1, Math.ceil(i1));
    const ja = Math.max(0, Math.floor(j0)), jb = Math.min(nj - 1, Math.ceil(j1));
    const ka = Math.max(0, Math.floor(k0)), kb = Math.min(nk - 1, Math.ceil(k1));
    if (ia > ib || ja > jb || ka > kb) continue;
    const value = part.label;
    const code = TISSUE_CODES[part.tissue];
    const shape = part.shape;
    // Rows along i are horizontal (constant z) when the i axis has no z component: shapes that can say where
    // a horizontal row enters and leaves them are filled span by span, the span ends checked with `contains`.
    const rowFast = m8 === 0 && shape.rowIntervals !== undefined;
    const rowRanged = m8 === 0 && shape.rowRanges !== undefined;
    for (let k = ka; k <= kb; k++) {
      const kx = m2 * k, ky = m6 * k, kz = m10 * k;
      for (let j = ja; j <= jb; j++) {
        const jx = m1 * j, jy = m5 * j, jz = m9 * j;
        const rowStart = ni * (j + nj * k);
        if (rowFast) {
          const z = m8 * ia + jz + kz + m11;
          const intervals = shape.rowIntervals!(jx + kx + m3, jy + ky + m7, z, m0, m4);
          if (intervals !== undefined) {
            const inside = (i: number): boolean => shape.contains(m0 * i + jx + kx + m3, m4 * i + jy + ky + m7, m8 * i + jz + kz + m11);
            for (const [t0, t1] of intervals) {
              let lo = Math.max(ia, Math.ceil(t0));
              let hi = Math.min(ib, Math.floor(t1));
              if (lo > hi) {
                // No voxel centre strictly inside: one may still be inside by rounding.
                const candidate = Math.min(ib, Math.max(ia, Math.round((t0 + t1) / 2)));
                if (!Number.isFinite(candidate) || !inside(candidate)) continue;
                lo = hi = candidate;
              }
              if (inside(lo)) { while (lo - 1 >= ia && inside(lo - 1)) lo--; } else { while (lo <= hi && !inside(lo)) lo++; }
              if (lo > hi) continue;
              if (inside(hi)) { while (hi + 1 <= ib && inside(hi + 1)) hi++; } else { while (hi >= lo && !inside(hi)) hi--; }
              for (let i = lo; i <= hi; i++) {
                data[rowStart + i] = value;
                tissue[rowStart + i] = code;
              }
            }
            continue;
          }
        }
        if (rowRanged) {
          // Candidate ranges (a superset, padded by a voxel against rounding): test each voxel in them.
          const ranges = shape.rowRanges!(jx + kx + m3, jy + ky + m7, m8 * ia + jz + kz + m11, m0, m4);
          if (ranges !== undefined) {
            for (const [t0, t1] of ranges) {
              const lo = Math.max(ia, Math.floor(t0) - 1);
              const hi = Math.min(ib, Math.ceil(t1) + 1);
              for (let i = lo; i <= hi; i++) {
                if (shape.contains(m0 * i + jx + kx + m3, m4 * i + jy + ky + m7, m8 * i + jz + kz + m11)) {
                  data[rowStart + i] = value;
                  tissue[rowStart + i] = code;
                }
              }
            }
            continue;
          }
        }
        let offset = ia + rowStart;
        for (let i = ia; i <= ib; i++, offset++) {
          // Same operation order as mat4MulPoint: ((m0·i + m1·j) + m2·k) + m3.
          const x = m0 * i + jx + kx + m3;
          const y = m4 * i + jy + ky + m7;
          const z = m8 * i + jz + kz + m11;
          if (shape.contains(x, y, z)) {
            data[offset] = value;
            tissue[offset] = code;
          }
        }
      }
    }
  }
  return { labels, tissue };
}
