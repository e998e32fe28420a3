/**
 * Height of the iliac crest at the lumbosacral junction, read as on a lateral radiograph (world z) against the
 * pedicles of the last lumbar-type vertebra (clinical reference §6):
 * - Choi: a high crest has its apex above the middle of the L5 pedicle [HIC-Def] (same line as "above the
 *   lower half of the L5 pedicle" [Thieme2024]);
 * - Song 2021 groups: I below the top of the L5 pedicle; II between the lower edge of the L4 pedicle and the
 *   top of the L5 pedicle; III above the lower edge of the L4 pedicle [Song2021].
 * "L5" is the vertebra directly above the sacrum (L6 in a six-lumbar spine, a lumbarized S1), "L4" the one above.
 * Pedicles are found in the label map as the vertebra's bone beside the anterior part of the dural sac (the
 * canal's lateral walls), so any segmentation in the vocabulary can be measured.
 */
import type { Side } from '../phantom/vocabulary.ts';
import type { PlanAnatomy } from './plan-anatomy.ts';

export interface PedicleSpan {
  readonly vertebra: string;
  /** World z (mm) of the pedicle's lower edge, middle and top. */
  readonly bottomZ: number;
  readonly middleZ: number;
  readonly topZ: number;
}

export interface IliacCrestMeasurement {
  /** The last lumbar-type vertebra ("L5" of the definitions) and the one above. */
  readonly lastLumbar: PedicleSpan;
  readonly aboveLastLumbar?: PedicleSpan;
  /** World z of the crest apex (the higher ilium, or the planned side's when given). */
  readonly apexZ: number;
  /** Apex height above (+) the middle of the last lumbar pedicle, mm. */
  readonly aboveMidPedicleMm: number;
  /** High by Choi [HIC-Def] (with `PlanSettings.highCrestAboveMidPedicleMm`). */
  readonly highByChoi: boolean;
  /** Song group [Song2021], when the vertebra above was measured. */
  readonly songGroup?: 'I' | 'II' | 'III';
  readonly side: Side | 'higher';
}

const VERTEBRAE = ['T12', 'T13', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'S1'];
const SAC = new Set(['dural_sac', 'cauda_equina', 'spinal_cord', 'conus']);

/** Mobile vertebrae in the label map, cranial first, ending with the one above the sacrum. */
function presacral(anatomy: PlanAnatomy): string[] {
  return VERTEBRAE.filter((v) => anatomy.namesPresent.has(v));
}

/**
 * z-span of a vertebra's pedicles: per 1 mm slab of world z, the vertebra's bone lateral to the dural sac and
 * within the sac's own AP extent in that slab (the canal's lateral walls; at the foramina there is none). The
 * span is the full width at half maximum of that bone's profile along z.
 */
export function pedicleSpan(anatomy: PlanAnatomy, vertebra: string): PedicleSpan | undefined {
  const { labels, nameOfValue } = anatomy;
  const vValues = new Set([...nameOfValue].filter(([, n]) => n === vertebra).map(([v]) => v));
  const sValues = new Set([...nameOfValue].filter(([, n]) => SAC.has(n)).map(([v]) => v));
  const [ni, nj, nk] = labels.size;
  const m = labels.indexToWorld;
  const vPts: number[] = [], sPts: number[] = [];
  for (let k = 0, o = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, o++) {
    const value = labels.data[o]!;
    const isV = vValues.has(value);
    if (!isV && !sValues.has(value)) continue;
    const x = m[0] * i + m[1] * j + m[2] * k + m[3], y = m[4] * i + m[5] * j + m[6] * k + m[7], z = m[8] * i + m[9] * j + m[10] * k + m[11];
    (isV ? vPts : sPts).push(x, y, z);
  }
  if (vPts.length === 0 || sPts.length === 0) return undefined;
  let zMin = Infinity, zMax = -Infinity;
  for (let q = 2; q < vPts.length; q += 3) {
    zMin = Math.min(zMin, vPts[q]!);
    zMax = Math.max(zMax, vPts[q]!);
  }
  // Slabs as thick as the coarsest voxel side, so that every slab holds voxels of an axial grid.
  const w = Math.max(1, labels.spacing[0], labels.spacing[1], labels.spacing[2]);
  const bins = Math.floor((zMax - zMin) / w) + 1;
  const binOf = (z: number): number => Math.floor((z - zMin) / w);
  const yLo = new Float64Array(bins).fill(Infinity), yHi = new Float64Array(bins).fill(-Infinity);
  const xLo = new Float64Array(bins).fill(Infinity), xHi = new Float64Array(bins).fill(-Infinity);
  for (let q = 0; q < sPts.length; q += 3) {
    const b = binOf(sPts[q + 2]!);
    if (b < 0 || b >= bins) continue;
    yLo[b] = Math.min(yLo[b]!, sPts[q + 1]!);
    yHi[b] = Math.max(yHi[b]!, sPts[q + 1]!);
    xLo[b] = Math.min(xLo[b]!, sPts[q]!);
    xHi[b] = Math.max(xHi[b]!, sPts[q]!);
  }
  const count = new Float64Array(bins);
  for (let q = 0; q < vPts.length; q += 3) {
    const b = binOf(vPts[q + 2]!);
    if (b < 0 || b >= bins || !Number.isFinite(yLo[b]!)) continue;
    const cx = (xLo[b]! + xHi[b]!) / 2, half = (xHi[b]! - xLo[b]!) / 2;
    const dx = Math.abs(vPts[q]! - cx), y = vPts[q + 1]!;
    if (y >= yLo[b]! && y <= yHi[b]! && dx >= half - 1 && dx <= half + 10) count[b]!++;
  }
  // Three-slab moving average, then the full width at half maximum around the peak.
  const smooth = count.map((_, b) => (count[Math.max(0, b - 1)]! + count[b]! + count[Math.min(bins - 1, b + 1)]!) / 3);
  let peak = 0;
  for (let b = 1; b < bins; b++) if (smooth[b]! > smooth[peak]!) peak = b;
  if (smooth[peak]! < 5) return undefined;
  const floor = smooth[peak]! / 2;
  let lo = peak, hi = peak;
  while (lo > 0 && smooth[lo - 1]! >= floor) lo--;
  while (hi < bins - 1 && smooth[hi + 1]! >= floor) hi++;
  const bottomZ = zMin + lo * w, topZ = zMin + (hi + 1) * w;
  return { vertebra, bottomZ, topZ, middleZ: (bottomZ + topZ) / 2 };
}

export function measureIliacCrest(anatomy: PlanAnatomy, options: { side?: Side; highCrestAboveMidPedicleMm?: number } = {}): IliacCrestMeasurement | undefined {
  const mobile = presacral(anatomy);
  const lastName = mobile[mobile.length - 1];
  if (lastName === undefined) return undefined;
  const last = pedicleSpan(anatomy, lastName);
  if (last === undefined) return undefined;
  const aboveName = mobile[mobile.length - 2];
  const above = aboveName !== undefined ? pedicleSpan(anatomy, aboveName) : undefined;
  const { labels, nameOfValue } = anatomy;
  const want = options.side !== undefined ? new Set([`ilium_${options.side}`, `hip_${options.side}`]) : new Set(['ilium_left', 'ilium_right', 'hip_left', 'hip_right']);
  const values = new Set([...nameOfValue].filter(([, n]) => want.has(n)).map(([v]) => v));
  if (values.size === 0) return undefined;
  const [ni, nj, nk] = labels.size;
  const m = labels.indexToWorld;
  let apexZ = -Infinity;
  for (let k = 0, o = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, o++) {
    if (!values.has(labels.data[o]!)) continue;
    const z = m[8] * i + m[9] * j + m[10] * k + m[11];
    if (z > apexZ) apexZ = z;
  }
  if (!Number.isFinite(apexZ)) return undefined;
  const aboveMid = apexZ - last.middleZ;
  const song = above === undefined ? undefined : apexZ < last.topZ ? 'I' : apexZ <= above.bottomZ ? 'II' : 'III';
  return {
    lastLumbar: last,
    ...(above !== undefined ? { aboveLastLumbar: above } : {}),
    apexZ,
    aboveMidPedicleMm: aboveMid,
    highByChoi: aboveMid > (options.highCrestAboveMidPedicleMm ?? 0),
    ...(song !== undefined ? { songGroup: song } : {}),
    side: options.side ?? 'higher',
  } as IliacCrestMeasurement;
}
