/**
 * Disc segmentation between two vertebral bodies: soft-tissue voxels (not bone, ≥ `discMinHu`) in the slab
 * around the disc's mid-plane (its height plus a margin for wedge-shaped lordotic discs), inside the
 * footprint of the adjacent bodies: an ellipse with the bodies' lateral, anterior and posterior radii
 * measured on the filled bone next to the disc. The posterior radius stops the disc at the canal.
 */
import { dot, type Vec3 } from '../geometry/vec3.ts';
import { perpendicularBasis, type ColumnProfile } from './column-profile.ts';
import { nearestOffset, type WorkGrid } from './working-grid.ts';

export interface BodyRadii {
  readonly lateral: number;
  readonly anterior: number;
  readonly posterior: number;
}

/** Radii (mm) of the filled bone cross-section at a centre-line sample: march out from the centre until bone ends. */
export function bodyRadiiAt(grid: WorkGrid, bone: Uint8Array, g: Vec3, tangent: Vec3): BodyRadii {
  const [u, v0] = perpendicularBasis(tangent);
  // v points posterior (+y).
  const v: Vec3 = v0[1] >= 0 ? v0 : [-v0[0], -v0[1], -v0[2]];
  const march = (d: Vec3): number => {
    for (let r = 0; r < 40 / grid.w; r += 0.5) {
      const o = nearestOffset(grid, g[0] + d[0] * r, g[1] + d[1] * r, g[2] + d[2] * r);
      if (o < 0 || !bone[o]) return r * grid.w;
    }
    return 40;
  };
  const left = march(u), right = march([-u[0], -u[1], -u[2]]);
  return { lateral: (left + right) / 2, anterior: march([-v[0], -v[1], -v[2]]), posterior: march(v) };
}

export interface DiscMaskOptions {
  readonly grid: WorkGrid;
  readonly bone: Uint8Array;
  readonly profile: ColumnProfile;
  /** Label to write into `labels` for each disc run (same order as `profile.discs`). */
  readonly discLabels: readonly number[];
  readonly labels: Uint16Array;
  readonly discMinHu: number;
  readonly boneHu: number;
}

export interface DiscGeometry {
  readonly centre: Vec3;
  /** Unit normal, cranial. */
  readonly normal: Vec3;
  readonly heightMm: number;
  readonly voxels: number;
}

export function paintDiscs(options: DiscMaskOptions): DiscGeometry[] {
  const { grid, bone, profile, labels } = options;
  const { nx, ny, nz, w, hu } = grid;
  const samples = profile.samples;
  const out: DiscGeometry[] = [];
  profile.discs.forEach((run, index) => {
    const a = samples[run.first]!, b = samples[run.last]!;
    const mid = samples[Math.round((run.first + run.last) / 2)]!;
    const centre: Vec3 = [(a.g[0] + b.g[0]) / 2, (a.g[1] + b.g[1]) / 2, (a.g[2] + b.g[2]) / 2];
    const normal = mid.tangent;
    const step = b.s - a.s + w;
    // Body radii 4 mm beyond each end of the disc, averaged.
    const near = Math.max(1, Math.round(4 / w));
    const below = samples[Math.max(0, run.first - near)]!, above = samples[Math.min(samples.length - 1, run.last + near)]!;
    const r1 = bodyRadiiAt(grid, bone, below.g, below.tangent), r2 = bodyRadiiAt(grid, bone, above.g, above.tangent);
    const radii: BodyRadii = { lateral: (r1.lateral + r2.lateral) / 2 + 1, anterior: (r1.anterior + r2.anterior) / 2 + 1, posterior: (r1.posterior + r2.posterior) / 2 };
    const [u, v0] = perpendicularBasis(normal);
    const v: Vec3 = v0[1] >= 0 ? v0 : [-v0[0], -v0[1], -v0[2]];
    const half = step / 2 + 4;
    const reach = Math.max(radii.lateral, radii.anterior, radii.posterior, half) / w + 1;
    const label = options.discLabels[index]!;
    let voxels = 0;
    for (let k = Math.max(0, Math.floor(centre[2] - reach)); k <= Math.min(nz - 1, Math.ceil(centre[2] + reach)); k++) {
      for (let j = Math.max(0, Math.floor(centre[1] - reach)); j <= Math.min(ny - 1, Math.ceil(centre[1] + reach)); j++) {
        for (let i = Math.max(0, Math.floor(centre[0] - reach)); i <= Math.min(nx - 1, Math.ceil(centre[0] + reach)); i++) {
          const o = i + nx * (j + ny * k);
          if (bone[o] || labels[o] || hu[o]! < options.discMinHu || hu[o]! >= options.boneHu) continue;
          const d: Vec3 = [(i - centre[0]) * w, (j - centre[1]) * w, (k - centre[2]) * w];
          if (Math.abs(dot(d, normal)) > half) continue;
          const du = dot(d, u) / radii.lateral;
          const dv = dot(d, v);
          const dvn = dv >= 0 ? dv / radii.posterior : dv / radii.anterior;
          if (du * du + dvn * dvn > 1) continue;
          labels[o] = label;
          voxels++;
        }
      }
    }
    out.push({ centre, normal, heightMm: step, voxels });
  });
  return out;
}
