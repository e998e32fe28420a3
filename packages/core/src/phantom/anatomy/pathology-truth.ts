import { dot, sub, type Vec3 } from '../../geometry/vec3.ts';
import type { ColumnGeom, VertebraGeom } from './column.ts';
import { frameToWorld, type Frame, type Shape } from './shapes.ts';
import type { VertebraLocal } from './vertebra.ts';
import type { HerniationZone } from './types.ts';

/**
 * The phantom's truth by the clinical definitions, computed from the generator's exact geometry (never from the
 * rasterised label map): the zone where a herniation's material lies once any fragment has been moved, and the
 * Genant grade of a compression fracture against the heights expected from its neighbours. The generated shapes
 * are not changed by anything here; these are records only.
 */

/** Medial and lateral edges (mm from the disc's midline, ≥ 0) of one pedicle of the vertebra above a disc. */
export interface PedicleEdgesMm {
  readonly medialMm: number;
  readonly lateralMm: number;
}

/**
 * Edges of the generated pedicle (the outer, cortical tube of `buildVertebra`) where it leaves the posterior wall of
 * the body (v = depth/2), in the plane of that wall: the disc material at a herniation lies at the disc's posterior
 * margin, in front of the foramen, so the zones' sagittal boundaries are taken there. The pedicle converges forwards
 * (medial angulation), so its section by a coronal plane is its width ÷ the cosine of its angle to the AP axis.
 * Offsets are along the disc frame's lateral axis from the disc frame's origin (the midline), signed by `sign`.
 */
export function pedicleEdgesAtWall(options: { vertebra: VertebraGeom; local: VertebraLocal; scale: number; disc: Frame; sign: 1 | -1 }): PedicleEdgesMm {
  const { vertebra, local, scale, disc, sign } = options;
  const { dims } = vertebra;
  const D = dims.depth;
  // The pedicle tube's axis in the vertebra frame: (u, v) from (pedicleU − 2·scale, D/2 − 5·scale) to (pedicleU, D/2 + pedicleLength).
  const uA = local.pedicleU - 2 * scale, vA = D / 2 - 5 * scale;
  const uB = local.pedicleU, vB = D / 2 + dims.pedicleLength;
  const t = (D / 2 - vA) / (vB - vA);
  const uc = uA + t * (uB - uA);
  const cos = (vB - vA) / Math.hypot(uB - uA, vB - vA);
  const half = dims.pedicleWidth / 2 / cos;
  const lateralOf = (u: number): number => sign * dot(sub(frameToWorld(vertebra.frame, sign * u, D / 2, local.pedicleW), disc.origin), disc.ex);
  return { medialMm: lateralOf(uc - half), lateralMm: lateralOf(uc + half) };
}

/** Centroid of a shape's material, sampled on a regular grid of `stepMm` (cell centres). */
export function shapeCentroid(shape: Shape, stepMm: number): { centroid: Vec3; volumeMm3: number } | undefined {
  const { min, max } = shape.box;
  let sx = 0, sy = 0, sz = 0, n = 0;
  for (let x = min[0] + stepMm / 2; x < max[0]; x += stepMm) for (let y = min[1] + stepMm / 2; y < max[1]; y += stepMm) for (let z = min[2] + stepMm / 2; z < max[2]; z += stepMm) {
    if (!shape.contains(x, y, z)) continue;
    sx += x; sy += y; sz += z; n++;
  }
  if (n === 0) return undefined;
  return { centroid: [sx / n, sy / n, sz / n], volumeMm3: n * stepMm ** 3 };
}

/**
 * Axial zone of disc material at `offsetMm` from the midline [Radiopaedia-Nom] (clinical reference §3a names the zones;
 * the boundaries are Fardon's): foraminal between the medial and lateral edges of the pedicle, extraforaminal beyond
 * the lateral edge. Inside the medial edge the phantom has no separate medial facet line, so the generator's aim
 * (central or subarticular) stands there; material aimed further out that lies inside the medial edge is subarticular.
 */
export function zoneOfMaterial(offsetMm: number, edges: PedicleEdgesMm, aimed: HerniationZone): HerniationZone {
  const u = Math.abs(offsetMm);
  if (u >= edges.lateralMm) return 'extraforaminal';
  if (u >= edges.medialMm) return 'foraminal';
  return aimed === 'central' || aimed === 'subarticular' ? aimed : 'subarticular';
}

/**
 * Genant's semiquantitative grades (Genant HK, Wu CY, van Kuijk C, Nevitt MC. Vertebral fracture assessment using a
 * semiquantitative technique. J Bone Miner Res 1993;8:1137–48): grade 1 (mild) about 20–25% reduction of the
 * anterior, middle and/or posterior height, grade 2 (moderate) 25–40%, grade 3 (severe) over 40%. Genant 1993 is NOT
 * in the clinical reference (`/work/shared/clinical-reference.md`); the boundaries are the paper's and match the
 * findings step's defaults (`genantMild`/`genantModerate`/`genantSevere`: 20% counts as grade 1, 25% as grade 1,
 * 40% as grade 2).
 */
export const GENANT_1993 = { mild: 0.2, moderate: 0.25, severe: 0.4 } as const;

export function genantGradeOf(reduction: number): 0 | 1 | 2 | 3 {
  if (reduction > GENANT_1993.severe) return 3;
  if (reduction > GENANT_1993.moderate) return 2;
  if (reduction >= GENANT_1993.mild) return 1;
  return 0;
}

export interface BodyHeightsMm {
  readonly anterior: number;
  readonly middle: number;
  readonly posterior: number;
}

export interface GenantTruth {
  /** Genant grade from the largest of the three reductions (Genant 1993). */
  readonly grade: 0 | 1 | 2 | 3;
  /** Largest reduction (%) of the anterior, middle or posterior height against the expected one. */
  readonly reductionPercent: number;
  readonly reductionsPercent: BodyHeightsMm;
  /** The fractured body's generated heights (middle: halfway between the two endplate planes). */
  readonly heightsMm: BodyHeightsMm;
  /** Expected heights: the mean of the same heights of the nearest non-fractured comparable vertebra above and below. */
  readonly expectedHeightsMm: BodyHeightsMm;
  /** Vertebrae the expected heights come from (empty: none available, the body's own pre-fracture heights are used). */
  readonly referenceVertebrae: readonly string[];
}

const heightsOf = (g: Pick<VertebraGeom, 'anteriorHeight' | 'posteriorHeight'>): BodyHeightsMm => ({
  anterior: g.anteriorHeight,
  middle: (g.anteriorHeight + g.posteriorHeight) / 2,
  posterior: g.posteriorHeight,
});

/**
 * Bodies of the same kind: lumbar-type with lumbar-type, else the same region. The phantom builds thoracic bodies
 * about 20% shorter than lumbar ones (`morphometry.ts`: T12 15 + 0.6·11 = 21.6 mm against 27 mm at L1–L5), a step at
 * the thoracolumbar junction that is the regions' difference, not a deformity; a body across it is no estimate of the
 * expected height (the sacrum neither).
 */
function comparable(a: VertebraGeom, b: VertebraGeom): boolean {
  return a.slot.lumbarType === b.slot.lumbarType && (a.slot.lumbarType || a.slot.region === b.slot.region);
}

/**
 * Genant grade of a fractured body by Genant's definition (Genant 1993): the reduction of its anterior, middle and
 * posterior heights against the heights expected for it, estimated from the adjacent vertebrae — here the nearest
 * non-fractured comparable vertebra on each side (fractured ones are skipped; a body of another region ends the
 * search, see `comparable`), height for height, from the generator's exact body geometry.
 */
export function genantTruth(options: { level: string; column: ColumnGeom; order: readonly string[]; fractured: ReadonlySet<string> }): GenantTruth {
  const { level, column, order, fractured } = options;
  const own = column.vertebrae.get(level)!;
  const index = order.indexOf(level);
  const reference: VertebraGeom[] = [];
  const names: string[] = [];
  for (const step of [-1, 1]) {
    for (let j = index + step; j >= 0 && j < order.length; j += step) {
      const name = order[j]!;
      const geom = column.vertebrae.get(name);
      if (geom === undefined || !comparable(own, geom)) break;
      if (fractured.has(name)) continue;
      reference.push(geom);
      names.push(name);
      break;
    }
  }
  const heights = heightsOf(own);
  const expected: BodyHeightsMm = reference.length === 0
    ? heightsOf({ anteriorHeight: own.dims.anteriorHeight, posteriorHeight: own.dims.posteriorHeight })
    : (() => {
        const hs = reference.map(heightsOf);
        const mean = (k: keyof BodyHeightsMm): number => hs.reduce((a, h) => a + h[k], 0) / hs.length;
        return { anterior: mean('anterior'), middle: mean('middle'), posterior: mean('posterior') };
      })();
  const r = (k: keyof BodyHeightsMm): number => 1 - heights[k] / expected[k];
  const reductions = { anterior: r('anterior'), middle: r('middle'), posterior: r('posterior') };
  const largest = Math.max(reductions.anterior, reductions.middle, reductions.posterior);
  return {
    grade: genantGradeOf(largest),
    reductionPercent: 100 * largest,
    reductionsPercent: { anterior: 100 * reductions.anterior, middle: 100 * reductions.middle, posterior: 100 * reductions.posterior },
    heightsMm: heights,
    expectedHeightsMm: expected,
    referenceVertebrae: names,
  };
}
