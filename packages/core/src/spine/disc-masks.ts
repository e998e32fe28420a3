/**
 * Disc segmentation between two vertebral bodies: soft-tissue voxels (not bone, ≥ `discMinHu`) in the slab
 * around the disc's mid-plane (its height plus a margin for wedge-shaped lordotic discs), inside the
 * footprint of the adjacent bodies: an ellipse with the bodies' lateral, anterior and posterior radii
 * measured on the filled bone next to the disc. The posterior radius stops the disc at the canal. The
 * mid-plane starts perpendicular to the line joining the two bodies and is then refitted to the disc's
 * own voxels (`plane-fit.ts`), once.
 */
import { dot, normalize, type Vec3 } from '../geometry/vec3.ts';
import { perpendicularBasis, type ColumnProfile } from './column-profile.ts';
import { fitPlane } from './plane-fit.ts';
import type { VoxelArray } from '../volume/voxel-array.ts';
import { worldToIndex, type Volume } from '../volume/volume.ts';
import { gridToWorld, nearestOffset, type WorkGrid } from './working-grid.ts';

export interface BodyRadii {
  readonly lateral: number;
  readonly anterior: number;
  readonly posterior: number;
}

/** Radii (mm) of the filled bone cross-section at a centre-line sample. */
export function bodyRadiiAt(grid: WorkGrid, bone: Uint8Array, g: Vec3, tangent: Vec3): BodyRadii {
  const [u, v0] = perpendicularBasis(tangent);
  // v points posterior (+y).
  const v: Vec3 = v0[1] >= 0 ? v0 : [-v0[0], -v0[1], -v0[2]];
  // Out from the centre to the last bone before a gap wider than 4 mm (marrow left unfilled inside the
  // body must not cut the radius short).
  const march = (d: Vec3): number => {
    let last = 0;
    for (let r = 0; r < 40 / grid.w; r += 0.5) {
      const o = nearestOffset(grid, g[0] + d[0] * r, g[1] + d[1] * r, g[2] + d[2] * r);
      if (o >= 0 && bone[o]) last = r;
      else if ((r - last) * grid.w > 4) break;
    }
    return (last + 0.5) * grid.w;
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
  /** Centre (centroid of the disc's voxels) in working-grid coordinates (continuous index). */
  readonly centre: Vec3;
  /** Centre of the footprint ellipse, on the mid-plane (grid coordinates). */
  readonly footprintCentre: Vec3;
  /** Unit normal, cranial. */
  readonly normal: Vec3;
  readonly heightMm: number;
  readonly voxels: number;
  /** The disc's footprint: lateral (u) and posterior (v) unit axes, radii (mm) and the slab half-height (mm). */
  readonly u: Vec3;
  readonly v: Vec3;
  readonly radii: BodyRadii;
  readonly halfMm: number;
  readonly label: number;
}

export function paintDiscs(options: DiscMaskOptions): DiscGeometry[] {
  const { grid, bone, profile, labels } = options;
  const { nx, ny, nz, w, hu } = grid;
  const samples = profile.samples;
  const out: DiscGeometry[] = [];
  profile.discs.forEach((run, index) => {
    const a = samples[run.first]!, b = samples[run.last]!;
    const start: Vec3 = [(a.g[0] + b.g[0]) / 2, (a.g[1] + b.g[1]) / 2, (a.g[2] + b.g[2]) / 2];
    // First guess of the mid-plane: perpendicular to the line between the two bodies' middles (steadier
    // than the centre line's local tangent, which wobbles within a body).
    const mid = Math.max(1, Math.round(12 / w));
    const lowBody = samples[Math.max(0, run.first - mid)]!.g, highBody = samples[Math.min(samples.length - 1, run.last + mid)]!.g;
    const guess = normalize([highBody[0] - lowBody[0], highBody[1] - lowBody[1], highBody[2] - lowBody[2]]);
    const step = b.s - a.s + w;
    // Body radii 4 mm beyond each end of the disc: front to back averaged; across, the narrower of the two
    // (below L5–S1 the sacral alae would otherwise take the psoas into the disc).
    const near = Math.max(1, Math.round(4 / w));
    const below = samples[Math.max(0, run.first - near)]!, above = samples[Math.min(samples.length - 1, run.last + near)]!;
    const r1 = bodyRadiiAt(grid, bone, below.g, guess), r2 = bodyRadiiAt(grid, bone, above.g, guess);
    const radii: BodyRadii = { lateral: Math.min(r1.lateral, r2.lateral) + 1, anterior: (r1.anterior + r2.anterior) / 2 + 1, posterior: (r1.posterior + r2.posterior) / 2 };
    const half = step / 2 + 4;
    const label = options.discLabels[index]!;
    const collect = (centre: Vec3, normal: Vec3): number[] => {
      const [u, v0] = perpendicularBasis(normal);
      const v: Vec3 = v0[1] >= 0 ? v0 : [-v0[0], -v0[1], -v0[2]];
      const reach = Math.max(radii.lateral, radii.anterior, radii.posterior, half) / w + 1;
      const found: number[] = [];
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
            found.push(o);
          }
        }
      }
      return found;
    };
    let centre = start, normal = guess;
    let voxels = collect(centre, normal);
    // Refine the mid-plane with the disc itself: the least-squares plane of its voxels.
    const fit = fitPlane(voxelPoints(grid, voxels));
    if (fit !== undefined && voxels.length >= 30) {
      const n = dot(fit.normal, guess) >= 0 ? fit.normal : ([-fit.normal[0], -fit.normal[1], -fit.normal[2]] as Vec3);
      if (dot(n, guess) > Math.cos((30 * Math.PI) / 180)) {
        // Keep the footprint's centre (the radii were measured from it), moved onto the fitted plane.
        const c: Vec3 = [fit.centroid[0] / w, fit.centroid[1] / w, fit.centroid[2] / w];
        const off = ((start[0] - c[0]) * n[0] + (start[1] - c[1]) * n[1] + (start[2] - c[2]) * n[2]);
        centre = [start[0] - off * n[0], start[1] - off * n[1], start[2] - off * n[2]];
        normal = n;
        voxels = collect(centre, normal);
      }
    }
    for (const o of voxels) labels[o] = label;
    const [u, v0] = perpendicularBasis(normal);
    const v: Vec3 = v0[1] >= 0 ? v0 : [-v0[0], -v0[1], -v0[2]];
    const final = fitPlane(voxelPoints(grid, voxels));
    const reported: Vec3 = final !== undefined ? [final.centroid[0] / w, final.centroid[1] / w, final.centroid[2] / w] : centre;
    out.push({ centre: reported, footprintCentre: centre, normal, heightMm: step, voxels: voxels.length, u, v, radii, halfMm: half, label });
  });
  return out;
}

/** Grid offsets → flat x, y, z list in mm from the grid's voxel (0, 0, 0). */
function voxelPoints(grid: WorkGrid, offsets: readonly number[]): Float64Array {
  const { nx, ny, w } = grid;
  const out = new Float64Array(offsets.length * 3);
  offsets.forEach((o, n) => {
    const i = o % nx, j = Math.floor(o / nx) % ny, k = Math.floor(o / (nx * ny));
    out[3 * n] = i * w;
    out[3 * n + 1] = j * w;
    out[3 * n + 2] = k * w;
  });
  return out;
}

export interface PaintDiscsOnInputOptions {
  /** The input volume (HU) and the label map on its grid, painted in place where still 0. */
  readonly input: Volume;
  readonly labels: VoxelArray;
  readonly discs: readonly DiscGeometry[];
  readonly grid: WorkGrid;
  readonly discMinHu: number;
  /** Voxels at or above this HU are bone, not disc (the same surface threshold as the vertebrae). */
  readonly discMaxHu: number;
}

/**
 * The same disc footprints evaluated at the input's own voxels: at the working resolution the voxels next
 * to an endplate blur into bone, which would cost a thin disc a third of its height; at the input's
 * resolution every soft-tissue voxel between the endplates is kept.
 */
export function paintDiscsOnInput(options: PaintDiscsOnInputOptions): void {
  const { input, labels, grid } = options;
  const [si, sj, sk] = input.size;
  for (const disc of options.discs) {
    const c = gridToWorld(grid, disc.footprintCentre[0], disc.footprintCentre[1], disc.footprintCentre[2]);
    const reach = Math.max(disc.radii.lateral, disc.radii.anterior, disc.radii.posterior, disc.halfMm) + 2;
    // Bounding box of the footprint in input indices.
    const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
    for (const dx of [-reach, reach]) for (const dy of [-reach, reach]) for (const dz of [-reach, reach]) {
      const q = worldToIndex(input, [c[0] + dx, c[1] + dy, c[2] + dz]);
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a]!, q[a]!);
        hi[a] = Math.max(hi[a]!, q[a]!);
      }
    }
    const m = input.indexToWorld;
    for (let k = Math.max(0, Math.floor(lo[2]!)); k <= Math.min(sk - 1, Math.ceil(hi[2]!)); k++) {
      for (let j = Math.max(0, Math.floor(lo[1]!)); j <= Math.min(sj - 1, Math.ceil(hi[1]!)); j++) {
        for (let i = Math.max(0, Math.floor(lo[0]!)); i <= Math.min(si - 1, Math.ceil(hi[0]!)); i++) {
          const o = i + si * (j + sj * k);
          if (labels[o] !== 0) continue;
          const h = input.data[o]!;
          if (h < options.discMinHu || h >= options.discMaxHu) continue;
          const d: Vec3 = [
            m[0] * i + m[1] * j + m[2] * k + m[3] - c[0],
            m[4] * i + m[5] * j + m[6] * k + m[7] - c[1],
            m[8] * i + m[9] * j + m[10] * k + m[11] - c[2],
          ];
          if (Math.abs(dot(d, disc.normal)) > disc.halfMm) continue;
          const du = dot(d, disc.u) / disc.radii.lateral;
          const dv = dot(d, disc.v);
          const dvn = dv >= 0 ? dv / disc.radii.posterior : dv / disc.radii.anterior;
          if (du * du + dvn * dvn > 1) continue;
          labels[o] = disc.label;
        }
      }
    }
  }
}
