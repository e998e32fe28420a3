/**
 * Agreement between a segmentation and a reference on the same grid, structure by structure: Dice
 * (2|A∩B| / (|A| + |B|)) and the distance between centroids (LPS mm). Structures are matched by name
 * through each map's own value → name table, so maps in different vocabularies compare directly
 * (Keyhole's `L4` against TotalSegmentator's `vertebrae_L4`).
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { compareGrids, indexToWorld, type Volume } from '../volume/volume.ts';
import type { Vec3 } from '../geometry/vec3.ts';

export interface StructureAgreement {
  readonly name: string;
  readonly dice: number;
  /** Distance between the two centroids (mm); NaN when either is empty. */
  readonly centroidErrorMm: number;
  readonly predictedVoxels: number;
  readonly referenceVoxels: number;
}

export interface CompareLabelMapsOptions {
  readonly predicted: Volume;
  /** Value → name of the predicted map. */
  readonly predictedNames: ReadonlyMap<number, string>;
  readonly reference: Volume;
  readonly referenceNames: ReadonlyMap<number, string>;
  /** Names to compare (default: every name of the reference present in it). */
  readonly names?: readonly string[];
}

export function compareLabelMaps(options: CompareLabelMapsOptions): StructureAgreement[] {
  const { predicted, reference } = options;
  if (!compareGrids(predicted, reference, 0.01).same) {
    throw new KeyholeError('GEOMETRY_MISMATCH', { message: 'the segmentation and the reference are on different grids; resample one onto the other first' });
  }
  type Acc = { p: number; r: number; both: number; ps: [number, number, number]; rs: [number, number, number] };
  const byName = new Map<string, Acc>();
  const acc = (name: string): Acc => {
    let a = byName.get(name);
    if (a === undefined) {
      a = { p: 0, r: 0, both: 0, ps: [0, 0, 0], rs: [0, 0, 0] };
      byName.set(name, a);
    }
    return a;
  };
  const [ni, nj, nk] = predicted.size;
  let o = 0;
  for (let k = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, o++) {
    const pv = predicted.data[o]!, rv = reference.data[o]!;
    if (pv === 0 && rv === 0) continue;
    const pn = pv !== 0 ? options.predictedNames.get(pv) : undefined;
    const rn = rv !== 0 ? options.referenceNames.get(rv) : undefined;
    if (pn !== undefined) {
      const a = acc(pn);
      a.p++;
      a.ps[0] += i; a.ps[1] += j; a.ps[2] += k;
      if (pn === rn) a.both++;
    }
    if (rn !== undefined) {
      const a = acc(rn);
      a.r++;
      a.rs[0] += i; a.rs[1] += j; a.rs[2] += k;
    }
  }
  const names = options.names ?? [...byName.entries()].filter(([, a]) => a.r > 0).map(([n]) => n);
  return names.map((name) => {
    const a = byName.get(name) ?? { p: 0, r: 0, both: 0, ps: [0, 0, 0], rs: [0, 0, 0] };
    const pc: Vec3 = [a.ps[0] / a.p, a.ps[1] / a.p, a.ps[2] / a.p];
    const rc: Vec3 = [a.rs[0] / a.r, a.rs[1] / a.r, a.rs[2] / a.r];
    const error = a.p > 0 && a.r > 0 ? distance(indexToWorld(predicted, pc), indexToWorld(reference, rc)) : Number.NaN;
    return { name, dice: a.p + a.r > 0 ? (2 * a.both) / (a.p + a.r) : Number.NaN, centroidErrorMm: error, predictedVoxels: a.p, referenceVoxels: a.r };
  });
}

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A plain-text table of agreements, one structure per line (test output and the eval script print it). */
export function formatAgreementTable(rows: readonly StructureAgreement[]): string {
  const lines = ['structure        Dice   centroid mm   voxels (ours / reference)'];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(14)} ${r.dice.toFixed(3).padStart(6)}   ${Number.isNaN(r.centroidErrorMm) ? '     –' : r.centroidErrorMm.toFixed(2).padStart(6)}        ${r.predictedVoxels} / ${r.referenceVoxels}`);
  }
  return lines.join('\n');
}

export interface OverlapMatch {
  /** Name in the predicted map. */
  readonly predicted: string;
  /** Reference name it overlaps most (undefined when it overlaps no named reference voxel). */
  readonly reference: string | undefined;
  /** Fraction of the predicted voxels inside that reference structure. */
  readonly fraction: number;
}

/**
 * For every predicted structure, the reference structure it overlaps most: the level-labelling check
 * (a vertebra is labelled correctly when its best-overlapping reference vertebra has the same name),
 * independent of how well the masks agree.
 */
export function matchByOverlap(options: Omit<CompareLabelMapsOptions, 'names'> & { readonly predictedFilter?: (name: string) => boolean }): OverlapMatch[] {
  const { predicted, reference } = options;
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  for (let o = 0; o < predicted.data.length; o++) {
    const pv = predicted.data[o]!;
    if (pv === 0) continue;
    const pn = options.predictedNames.get(pv);
    if (pn === undefined || (options.predictedFilter !== undefined && !options.predictedFilter(pn))) continue;
    totals.set(pn, (totals.get(pn) ?? 0) + 1);
    const rn = options.referenceNames.get(reference.data[o]!);
    if (rn === undefined) continue;
    let m = counts.get(pn);
    if (m === undefined) {
      m = new Map();
      counts.set(pn, m);
    }
    m.set(rn, (m.get(rn) ?? 0) + 1);
  }
  return [...totals.entries()].map(([pn, total]) => {
    let best: string | undefined, bestCount = 0;
    for (const [rn, c] of counts.get(pn) ?? []) if (c > bestCount) {
      best = rn;
      bestCount = c;
    }
    return { predicted: pn, reference: best, fraction: bestCount / total };
  });
}
