/**
 * The planner's view of a label map: value → structure name (the legend, normalised to the phantom vocabulary
 * as the findings step does), the disc level resolved to its label values, and a one-pass bounding box per
 * name. Any segmentation whose legend speaks the vocabulary (phantom truth, `keyhole segment`, an imported
 * TotalSegmentator map) feeds the planner.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { legendEntries, type LegendInput } from '../findings/label-map.ts';
import { fitPlane } from '../spine/plane-fit.ts';
import { discFrame } from '../findings/disc-geometry.ts';
import { dot, type Vec3 } from '../geometry/vec3.ts';
import type { Volume } from '../volume/volume.ts';
import { lowerVertebraLabelName } from './keep-out.ts';

export interface DiscLevel {
  /** Disc name as asked, e.g. `L4-L5`. */
  readonly name: string;
  readonly upper: string;
  readonly lower: string;
  /** Label name of the vertebra below (`sacrum` for L5-S1 unless S1 is its own label). */
  readonly lowerLabel: string;
}

/** The disc's frame (LPS unit vectors) and centre. */
export interface DiscFrameLps {
  readonly centre: Vec3;
  readonly superior: Vec3;
  readonly posterior: Vec3;
  readonly left: Vec3;
  /** Half the disc's extent along posterior and left, mm (from its voxels). */
  readonly apRadiusMm: number;
  readonly lateralRadiusMm: number;
}

export interface PlanAnatomy {
  readonly labels: Volume;
  /** Normalised name of each label value present in the legend. */
  readonly nameOfValue: ReadonlyMap<number, string>;
  readonly namesPresent: ReadonlySet<string>;
  /** Voxel counts per name (names with no voxels are absent). */
  readonly voxelCount: ReadonlyMap<string, number>;
}

export function buildPlanAnatomy(labels: Volume, legend: LegendInput): PlanAnatomy {
  const nameOfValue = new Map<number, string>();
  for (const e of legendEntries(legend)) if (e.value !== 0 && Number.isInteger(e.value) && e.value >= 0) nameOfValue.set(e.value, e.name);
  const maxValue = Math.max(0, ...nameOfValue.keys());
  const counts = new Float64Array(maxValue + 1);
  const data = labels.data;
  for (let o = 0; o < data.length; o++) {
    const v = data[o]!;
    if (v > 0 && v <= maxValue) counts[v]!++;
  }
  const voxelCount = new Map<string, number>();
  for (const [value, name] of nameOfValue) if (counts[value]! > 0) voxelCount.set(name, (voxelCount.get(name) ?? 0) + counts[value]!);
  return { labels, nameOfValue, namesPresent: new Set(voxelCount.keys()), voxelCount };
}

const DISC = /^([CTL]\d+|S1)-([CTL]\d+|S\d)$/;

/** Resolves a disc name against the model; a level it does not hold is refused (PLAN_LEVEL_NOT_IN_MODEL). */
export function resolveDiscLevel(anatomy: PlanAnatomy, level: string): DiscLevel {
  const match = DISC.exec(level.trim());
  const present = [...anatomy.namesPresent].filter((n) => DISC.test(n));
  if (match === null) {
    throw new KeyholeError('INVALID_ARGUMENT', { path: 'level', message: `"${level}" is not a disc level name; use the form L4-L5 (discs in this model: ${present.join(', ') || 'none'})` });
  }
  const name = `${match[1]}-${match[2]}`;
  if (!anatomy.namesPresent.has(name)) {
    throw new KeyholeError('PLAN_LEVEL_NOT_IN_MODEL', { path: 'level', message: `the anatomy model has no disc ${name}; discs in this model: ${present.join(', ') || 'none'}`, details: { level: name, discs: present } });
  }
  const upper = match[1]!, lower = match[2]!;
  return { name, upper, lower, lowerLabel: lowerVertebraLabelName(lower, anatomy.namesPresent) };
}

/** World points (flat x,y,z) of the voxels whose name passes `want`. */
export function pointsOf(anatomy: PlanAnatomy, want: (name: string) => boolean): Float64Array {
  const maxValue = Math.max(0, ...anatomy.nameOfValue.keys());
  const table = new Uint8Array(maxValue + 1);
  let count = 0;
  for (const [value, name] of anatomy.nameOfValue) {
    if (!want(name)) continue;
    table[value] = 1;
    count += anatomy.voxelCount.get(name) !== undefined ? 1 : 0;
  }
  if (count === 0) return new Float64Array(0);
  const { labels } = anatomy;
  const [ni, nj, nk] = labels.size;
  const m = labels.indexToWorld;
  const out: number[] = [];
  const data = labels.data;
  for (let k = 0, o = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, o++) {
    const v = data[o]!;
    if (v > maxValue || table[v] === 0) continue;
    out.push(m[0] * i + m[1] * j + m[2] * k + m[3], m[4] * i + m[5] * j + m[6] * k + m[7], m[8] * i + m[9] * j + m[10] * k + m[11]);
  }
  return Float64Array.from(out);
}

/** The disc's centre and frame: normal = axis of least spread (PCA [Golub & Van Loan]) oriented superior, posterior = LPS +y made orthogonal. */
export function discFrameOf(points: Float64Array): DiscFrameLps {
  const fit = fitPlane(points);
  if (fit === undefined) throw new KeyholeError('PLAN_LEVEL_NOT_IN_MODEL', { path: 'level', message: 'the disc has too few voxels to place it' });
  const normal: Vec3 = fit.normal[2] < 0 ? [-fit.normal[0], -fit.normal[1], -fit.normal[2]] : fit.normal;
  const frame = discFrame(normal);
  let pMin = Infinity, pMax = -Infinity, lMin = Infinity, lMax = -Infinity;
  for (let q = 0; q < points.length; q += 3) {
    const d: Vec3 = [points[q]! - fit.centroid[0], points[q + 1]! - fit.centroid[1], points[q + 2]! - fit.centroid[2]];
    const p = dot(d, frame.posterior), l = dot(d, frame.left);
    if (p < pMin) pMin = p;
    if (p > pMax) pMax = p;
    if (l < lMin) lMin = l;
    if (l > lMax) lMax = l;
  }
  return { centre: fit.centroid, superior: frame.superior, posterior: frame.posterior, left: frame.left, apRadiusMm: (pMax - pMin) / 2, lateralRadiusMm: (lMax - lMin) / 2 };
}

/** Centroid of every disc in the model (one pass), cranial order not guaranteed: for level labels on a DRR. */
export function discCentroids(anatomy: PlanAnatomy): Array<{ readonly name: string; readonly centre: Vec3 }> {
  const slots = new Map<number, number>();
  const names: string[] = [];
  for (const [value, name] of anatomy.nameOfValue) {
    if (!DISC.test(name)) continue;
    if (!names.includes(name)) names.push(name);
    slots.set(value, names.indexOf(name));
  }
  const sums = names.map(() => [0, 0, 0, 0]);
  const { labels } = anatomy;
  const [ni, nj, nk] = labels.size;
  const m = labels.indexToWorld;
  for (let k = 0, o = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, o++) {
    const s = slots.get(labels.data[o]!);
    if (s === undefined) continue;
    const acc = sums[s]!;
    acc[0]! += m[0] * i + m[1] * j + m[2] * k + m[3];
    acc[1]! += m[4] * i + m[5] * j + m[6] * k + m[7];
    acc[2]! += m[8] * i + m[9] * j + m[10] * k + m[11];
    acc[3]!++;
  }
  return names.flatMap((name, s) => {
    const [x, y, z, n] = sums[s]! as [number, number, number, number];
    return n > 0 ? [{ name, centre: [x / n, y / n, z / n] as Vec3 }] : [];
  });
}
