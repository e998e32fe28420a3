/**
 * Independent check of a planned cannula against a label map: the cylinder (axis from entry to target, the
 * cannula's radius) is rasterised on the label grid and every voxel whose centre falls inside it is counted by
 * structure. It shares nothing with the planner's distance fields, so the phantom evaluation runs it on the
 * TRUTH label map to prove that no accepted plan enters a keep-out structure.
 */
import { mat4MulPoint } from '../geometry/matrix.ts';
import { dot, sub, type Vec3 } from '../geometry/vec3.ts';
import { legendEntries, type LegendInput } from '../findings/label-map.ts';
import type { Side } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';
import { keepOutGroupOf, type KeepOutGroup } from './keep-out.ts';

export interface CannulaIntersection {
  readonly structure: string;
  readonly group: KeepOutGroup;
  readonly voxels: number;
}

export interface CannulaCheckOptions {
  readonly labels: Volume;
  readonly legend: LegendInput;
  readonly entry: Vec3;
  readonly target: Vec3;
  readonly radiusMm: number;
  /** Disc `upper-lower` and side (to name the exiting and traversing roots). */
  readonly level: { readonly upper: string; readonly lower: string; readonly lowerLabel: string };
  readonly side: Side;
}

/** Keep-out voxels inside the cylinder, by structure (empty: the cannula is clear). */
export function cannulaIntersections(options: CannulaCheckOptions): CannulaIntersection[] {
  const { labels, entry, target, radiusMm: r } = options;
  const names = new Map(legendEntries(options.legend).map((e) => [e.value, e.name] as const));
  const axis = sub(entry, target);
  const length = Math.hypot(axis[0], axis[1], axis[2]);
  const u: Vec3 = [axis[0] / length, axis[1] / length, axis[2] / length];
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const p of [entry, target]) for (const dx of [-r, r]) for (const dy of [-r, r]) for (const dz of [-r, r]) {
    const idx = mat4MulPoint(labels.worldToIndex, [p[0] + dx, p[1] + dy, p[2] + dz]);
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, idx[a]!);
      hi[a] = Math.max(hi[a]!, idx[a]!);
    }
  }
  const [ni, nj, nk] = labels.size;
  const i0 = Math.max(0, Math.floor(lo[0]!)), i1 = Math.min(ni - 1, Math.ceil(hi[0]!));
  const j0 = Math.max(0, Math.floor(lo[1]!)), j1 = Math.min(nj - 1, Math.ceil(hi[1]!));
  const k0 = Math.max(0, Math.floor(lo[2]!)), k1 = Math.min(nk - 1, Math.ceil(hi[2]!));
  const m = labels.indexToWorld;
  const counts = new Map<number, number>();
  for (let k = k0; k <= k1; k++) for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) {
    const value = labels.data[i + ni * (j + nj * k)]!;
    if (value === 0) continue;
    const p: Vec3 = [m[0] * i + m[1] * j + m[2] * k + m[3], m[4] * i + m[5] * j + m[6] * k + m[7], m[8] * i + m[9] * j + m[10] * k + m[11]];
    const d = sub(p, target);
    const t = dot(d, u);
    if (t < 0 || t > length) continue;
    const radial2 = dot(d, d) - t * t;
    if (radial2 >= r * r) continue;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const out: CannulaIntersection[] = [];
  for (const [value, voxels] of counts) {
    const structure = names.get(value) ?? String(value);
    const group = keepOutGroupOf(structure, options.level, options.side);
    if (group !== undefined) out.push({ structure, group, voxels });
  }
  return out.sort((a, b) => b.voxels - a.voxels);
}
