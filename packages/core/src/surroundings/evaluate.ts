/**
 * Evaluation of the surroundings keep-out against a reference segmentation (TotalSegmentator on the real CT):
 * - coverage: per reference structure, the fraction of its voxels inside our keep-out — overall, within
 *   `nearMm` (40) of the reference L3–S1 vertebrae (where the L3–L4 … L5–S1 trajectories run), and there again
 *   with our keep-out dilated by `dilationMm` (5: the planner keeps every cannula at least its 5 mm viscera
 *   margin from a keep-out, `../plan/settings.ts`, so a reference voxel within 5 mm of our keep-out is still
 *   kept off the cannula's axis… but not off its wall: the dilated figure is reported beside, not instead);
 * - the corridor left open: the fraction of the reference psoas's posterior half (per slice and side, behind
 *   the midpoint of its AP extent) and of the reference paraspinal (autochthon) muscles NOT in our keep-out,
 *   overall and within `nearMm` of L3–S1.
 * Distances with the exact EDT the planner uses [Felzenszwalb & Huttenlocher 2012].
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { distanceTransform } from '../plan/distance-transform.ts';
import type { Volume } from '../volume/volume.ts';
import { lpsGridOf, readInWorkOrder } from './lps-grid.ts';

export interface EvaluateSurroundingsOptions {
  readonly ours: Volume;
  /** Our label value → name. */
  readonly ourNames: ReadonlyMap<number, string>;
  /** Which of our names are keep-out. */
  readonly isKeepOut: (name: string) => boolean;
  readonly reference: Volume;
  readonly referenceNames: ReadonlyMap<number, string>;
  /** Reference structures whose coverage is measured (reference names). */
  readonly keepOutStructures: readonly string[];
  /** Reference vertebrae that define "near" (default vertebrae_L3 … vertebrae_S1). */
  readonly nearVertebrae?: readonly string[];
  readonly nearMm?: number;
  readonly dilationMm?: number;
  /** Reference psoas names, left then right (default iliopsoas_left, iliopsoas_right). */
  readonly psoas?: readonly string[];
  /** Reference paraspinal names (default autochthon_left, autochthon_right). */
  readonly paraspinal?: readonly string[];
}

export interface CoverageRow {
  readonly name: string;
  readonly voxels: number;
  readonly covered: number;
  readonly nearVoxels: number;
  readonly nearCovered: number;
  readonly nearCoveredDilated: number;
}

export interface OpenRow {
  readonly name: string;
  readonly voxels: number;
  readonly open: number;
  readonly nearVoxels: number;
  readonly nearOpen: number;
}

export interface SurroundingsEvaluation {
  readonly coverage: readonly CoverageRow[];
  readonly open: readonly OpenRow[];
  readonly nearMm: number;
  readonly dilationMm: number;
}

export function evaluateSurroundings(options: EvaluateSurroundingsOptions): SurroundingsEvaluation {
  const { ours, reference } = options;
  if (ours.size.some((n, a) => n !== reference.size[a])) {
    throw new KeyholeError('GEOMETRY_MISMATCH', { path: 'reference', message: `our label map (${ours.size.join('×')}) and the reference (${reference.size.join('×')}) are not on one grid` });
  }
  const nearMm = options.nearMm ?? 40;
  const dilationMm = options.dilationMm ?? 5;
  const grid = lpsGridOf(reference);
  const [nx, ny, nz] = grid.dims;
  const box = { lo: [0, 0, 0] as const, dims: grid.dims };
  const ourWork = readInWorkOrder(grid, ours.data);
  const refWork = readInWorkOrder(grid, reference.data);
  const keepOutValue = new Set([...options.ourNames].filter(([, n]) => options.isKeepOut(n)).map(([v]) => v));
  const keepOut = (o: number): boolean => keepOutValue.has(ourWork[o]!);
  const valuesOf = (names: readonly string[]): Set<number> => new Set([...options.referenceNames].filter(([, n]) => names.includes(n)).map(([v]) => v));
  const near = valuesOf(options.nearVertebrae ?? ['vertebrae_L3', 'vertebrae_L4', 'vertebrae_L5', 'vertebrae_S1']);
  const nearField = distanceTransform(box, grid.spacing, (o) => near.has(refWork[o]!));
  const ourField = distanceTransform(box, grid.spacing, keepOut);
  const isNear = (o: number): boolean => !nearField.empty && nearField.distanceMm[o]! <= nearMm;

  const coverage = options.keepOutStructures.map((name): CoverageRow => {
    const values = valuesOf([name]);
    let voxels = 0, covered = 0, nearVoxels = 0, nearCovered = 0, nearCoveredDilated = 0;
    for (let o = 0; o < refWork.length; o++) {
      if (!values.has(refWork[o]!)) continue;
      const k = keepOut(o);
      voxels++;
      if (k) covered++;
      if (isNear(o)) {
        nearVoxels++;
        if (k) nearCovered++;
        if (!ourField.empty && ourField.distanceMm[o]! <= dilationMm) nearCoveredDilated++;
      }
    }
    return { name, voxels, covered, nearVoxels, nearCovered, nearCoveredDilated };
  });

  const openRow = (name: string, member: (o: number) => boolean): OpenRow => {
    let voxels = 0, open = 0, nearVoxels = 0, nearOpen = 0;
    for (let o = 0; o < refWork.length; o++) {
      if (!member(o)) continue;
      const k = keepOut(o);
      voxels++;
      if (!k) open++;
      if (isNear(o)) {
        nearVoxels++;
        if (!k) nearOpen++;
      }
    }
    return { name, voxels, open, nearVoxels, nearOpen };
  };
  const open: OpenRow[] = [];
  for (const name of options.psoas ?? ['iliopsoas_left', 'iliopsoas_right']) {
    const values = valuesOf([name]);
    // Per axial slice, the AP midpoint of the muscle: +y is posterior (LPS), so the posterior half is y ≥ mid.
    const mid = new Float64Array(nz).fill(Infinity);
    for (let z = 0; z < nz; z++) {
      let lo = Infinity, hi = -Infinity;
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
        if (!values.has(refWork[x + nx * (y + ny * z)]!)) continue;
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
      if (hi >= lo) mid[z] = (lo + hi) / 2;
    }
    open.push(openRow(`${name} (posterior half)`, (o) => {
      if (!values.has(refWork[o]!)) return false;
      const y = Math.floor(o / nx) % ny, z = Math.floor(o / (nx * ny));
      return y >= mid[z]!;
    }));
  }
  for (const name of options.paraspinal ?? ['autochthon_left', 'autochthon_right']) {
    const values = valuesOf([name]);
    open.push(openRow(name, (o) => values.has(refWork[o]!)));
  }
  return { coverage, open, nearMm, dilationMm };
}

const pct = (a: number, b: number): string => (b === 0 ? '     —' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

/** A readable table (committed as the golden text of the real-CT evaluation). */
export function formatSurroundingsEvaluation(e: SurroundingsEvaluation): string {
  const lines = [
    `Keep-out coverage of the reference structures (near = within ${e.nearMm} mm of the reference L3–S1 vertebrae; dilated = our keep-out grown by ${e.dilationMm} mm)`,
    'structure                       voxels  covered   near  near covered  near dilated',
  ];
  for (const r of e.coverage) {
    lines.push(`${r.name.padEnd(30)} ${String(r.voxels).padStart(7)}  ${pct(r.covered, r.voxels)} ${String(r.nearVoxels).padStart(6)}  ${pct(r.nearCovered, r.nearVoxels).padStart(12)}  ${pct(r.nearCoveredDilated, r.nearVoxels).padStart(12)}`);
  }
  lines.push('', 'Corridor left open (not keep-out)', 'structure                                voxels    open   near  near open');
  for (const r of e.open) {
    lines.push(`${r.name.padEnd(38)} ${String(r.voxels).padStart(7)}  ${pct(r.open, r.voxels)} ${String(r.nearVoxels).padStart(6)}  ${pct(r.nearOpen, r.nearVoxels).padStart(9)}`);
  }
  return `${lines.join('\n')}\n`;
}
