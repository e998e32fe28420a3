/**
 * The posterior wall of one axial slice: what a posterolateral cannula may cross on its way to the foramen.
 *
 * 1. Column scan from the back (+y is posterior in LPS): through the skin and subcutaneous fat, then muscle,
 *    bone and thin intermuscular fat. The scan ends at gas (bowel), at the corridor's front (a coronal plane
 *    `corridorAnteriorOfBodyCentreMm` in front of the vertebral body centre: the aorta and IVC lie on the front
 *    of the vertebral bodies, the common iliac vessels in front of L4–L5 [Gray's Anatomy, 41st ed., ch. 72, 76]),
 *    and — in the strict scan — at the first fat layer ≥ `fatGapMm` after ≥ `minMuscleBeforeGapMm` of muscle:
 *    the perirenal and posterior pararenal fat between the quadratus lumborum/psoas and the kidney
 *    [Gray's Anatomy, ch. 74]. The clinical reference has no compartment anatomy.
 * 2. The psoas: tissue of at least `psoasMinHu` (box mean) grown from the vertebra, in front of the canal centre
 *    plus `psoasPosteriorReachMm`, within the loose scan (which ignores fat layers). Unenhanced kidney
 *    (≈ 10–30 HU; 11–18 HU mean on the reference CT) is darker than psoas (≈ 40–60; 44–48 HU there).
 * 3. Wall = strict scan behind the canal centre ∪ psoas ∪ (caudal to the L4 centroid, below the kidneys) the
 *    strict scan in front of the canal too ∪, in every column that holds psoas, the loose scan from
 *    the back down to the psoas's front (the fat between the erector spinae and the psoas, the transverse
 *    processes: the corridor itself). In front of the canal centre only the psoas and that fill are wall: what
 *    lies lateral to the psoas there (kidney, colon) stays keep-out.
 */
import type { SurroundingsSettings } from './settings.ts';
import type { SliceAnchor } from './spine-anchors.ts';
import { chamfer2d, flood2d } from './slice-ops.ts';

export interface PosteriorWallInput {
  readonly nx: number;
  readonly ny: number;
  readonly sx: number;
  readonly sy: number;
  /** Body mask of the slice. */
  readonly body: Uint8Array;
  /** Raw HU and box-mean HU of the slice. */
  readonly hu: ArrayLike<number>;
  readonly smoothHu: ArrayLike<number>;
  readonly subcutaneous: Uint8Array;
  /** Distance (mm) from outside the body. */
  readonly depthMm: Float32Array;
  readonly skinMm: number;
  /** Vertebra/disc voxels of the slice. */
  readonly isSpine: (o: number) => boolean;
  readonly anchor: SliceAnchor;
  /** The slice lies below the kidneys (caudal to the L4 centroid; the lower poles reach L3 [Gray's Anatomy, ch. 74]). */
  readonly belowKidneys: boolean;
  /** The slice lies caudal to the aortic bifurcation (taken at the L4 centroid [Gray's Anatomy, ch. 72: lower border of L4]): the common iliac vessels run beside the vertebral bodies. */
  readonly belowBifurcation: boolean;
  readonly settings: SurroundingsSettings;
}

export interface PosteriorWall {
  readonly wall: Uint8Array;
  readonly psoas: Uint8Array;
}

function scan(input: PosteriorWallInput, strict: boolean, fromSpineMm: Float32Array): Uint8Array {
  const { nx, ny, sy, body, hu, smoothHu, subcutaneous, depthMm, skinMm, anchor, settings: s } = input;
  const wall = new Uint8Array(nx * ny);
  const capY = Math.ceil(anchor.bodyY - (input.belowBifurcation ? s.corridorAnteriorBelowBifurcationMm : s.corridorAnteriorOfBodyCentreMm) / sy);
  const gapVox = Math.max(1, Math.round(s.fatGapMm / sy));
  const isFat = (h: number): boolean => h > s.gasMaxHu && h <= s.fatMaxHu;
  for (let x = 0; x < nx; x++) {
    let y0 = -1;
    for (let y = ny - 1; y >= 0; y--) if (body[x + nx * y] === 1) { y0 = y; break; }
    if (y0 < 0) continue;
    let inSkin = true, muscleMm = 0, fatRun = 0;
    for (let y = y0; y >= capY && y >= 0; y--) {
      const o = x + nx * y;
      if (body[o] === 0) break;
      if (inSkin) {
        if (subcutaneous[o] === 1) { wall[o] = 1; continue; }
        inSkin = false;
      }
      if (hu[o]! <= s.gasMaxHu && depthMm[o]! > skinMm) break;
      const v = smoothHu[o]!;
      // Fat next to the vertebra (epidural, foraminal, between the laminae and the multifidus) and fat behind the
      // canal near the midline (interspinous, supraspinous: no viscera lie there) is the corridor's own: it
      // neither ends the wall nor counts toward a fat layer.
      if (isFat(v) && (fromSpineMm[o]! <= s.spineFatMm || (y > anchor.canalY && Math.abs(x - anchor.bodyX) * input.sx <= s.midlineFatMm))) {
        wall[o] = 1;
      } else if (isFat(v)) {
        fatRun++;
        if (strict && muscleMm >= s.minMuscleBeforeGapMm && fatRun >= gapVox) {
          for (let t = 0; t < fatRun - 1; t++) wall[o + nx * (t + 1)] = 0;
          break;
        }
        wall[o] = 1;
      } else {
        fatRun = 0;
        muscleMm += sy;
        wall[o] = 1;
      }
    }
  }
  return wall;
}

export function posteriorWall(input: PosteriorWallInput): PosteriorWall {
  const { nx, ny, sx, sy, smoothHu, anchor, settings: s } = input;
  const plane = nx * ny;
  const spineMask = new Uint8Array(plane);
  for (let o = 0; o < plane; o++) spineMask[o] = input.isSpine(o) ? 1 : 0;
  const fromSpine = chamfer2d(spineMask, nx, ny, sx, sy);
  const strict = scan(input, true, fromSpine);
  const loose = scan(input, false, fromSpine);
  const psoasBackY = anchor.canalY + s.psoasPosteriorReachMm / sy;
  const halfBody = 15 / sx;
  const nearMidline = (o: number): boolean => Math.abs((o % nx) - anchor.bodyX) <= halfBody;
  // Seeds: the vertebra, the midline column in front of the canal (disc slices the spine left unlabelled), and
  // muscle within `psoasSeedReachMm` of the vertebra (a thin fat line often parts the psoas from the body).
  const seeds: number[] = [];
  for (let o = 0; o < plane; o++) {
    const y = Math.floor(o / nx);
    if (spineMask[o] === 1 || (loose[o] === 1 && y <= anchor.canalY && (nearMidline(o) || (fromSpine[o]! <= s.psoasSeedReachMm && smoothHu[o]! >= s.psoasMinHu)))) seeds.push(o);
  }
  const grown = flood2d(nx, ny, (o) => input.isSpine(o) || (loose[o] === 1 && Math.floor(o / nx) <= psoasBackY && (smoothHu[o]! >= s.psoasMinHu || nearMidline(o))), seeds);
  // The box mean erodes the muscle's rim against fat by about a voxel: non-fat neighbours of the grown psoas join it.
  const rim: number[] = [];
  for (let o = 0; o < plane; o++) {
    if (grown[o] === 1 || loose[o] === 0 || input.hu[o]! <= s.fatMaxHu || Math.floor(o / nx) > psoasBackY) continue;
    const x = o % nx;
    if ((x > 0 && grown[o - 1] === 1) || (x < nx - 1 && grown[o + 1] === 1) || grown[o - nx] === 1 || grown[o + nx] === 1) rim.push(o);
  }
  for (const o of rim) grown[o] = 1;
  const psoas = new Uint8Array(plane);
  for (let o = 0; o < plane; o++) if (grown[o] === 1 && !input.isSpine(o) && !nearMidline(o)) psoas[o] = 1;
  const wall = new Uint8Array(plane);
  for (let o = 0; o < plane; o++) if (strict[o] === 1 && Math.floor(o / nx) > anchor.canalY) wall[o] = 1;
  for (let o = 0; o < plane; o++) if (grown[o] === 1) wall[o] = 1;
  // Beside the vertebra (the psoas's attachment, the foramen's exit zone, where the cannula docks) the loose scan
  // is wall within `perivertebralMm`: the kidneys' hila lie 4–5 cm from the midline [Gray's Anatomy, ch. 74].
  for (let o = 0; o < plane; o++) if (loose[o] === 1 && fromSpine[o]! <= s.perivertebralMm) wall[o] = 1;
  // Below the kidneys (caudal to the L4 centroid) the strict scan is wall in front of the canal too: the quadratus
  // lumborum, the fat lateral to the psoas and the iliacus on the ilium; gas and the fat layers still stop it.
  if (input.belowKidneys) for (let o = 0; o < plane; o++) if (strict[o] === 1) wall[o] = 1;
  for (let x = 0; x < nx; x++) {
    let front = -1;
    for (let y = 0; y < ny; y++) if (psoas[x + nx * y] === 1) { front = y; break; }
    if (front < 0) continue;
    for (let y = ny - 1; y >= front; y--) if (loose[x + nx * y] === 1) wall[x + nx * y] = 1;
  }
  return { wall, psoas };
}
