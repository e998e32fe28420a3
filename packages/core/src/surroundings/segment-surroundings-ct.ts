/**
 * What surrounds the lumbar spine on a plain (native, non-contrast) CT, for the transforaminal planner: the body,
 * subcutaneous fat and abdominal wall, the posterior wall a posterolateral cannula crosses (paraspinal muscles,
 * posterior psoas, the fat between them), and a conservative keep-out for what lies inside the abdominal wall.
 * No learned weights.
 *
 * Why a union and not organs: without contrast the kidneys, unopacified bowel, aorta, IVC and iliac vessels are
 * all 10–50 HU, like muscle; what a native CT does show are fat planes and gas. So the analysis finds, column by
 * column from the back, the wall a needle may cross, and marks everything in front of it as keep-out:
 * - coming in from the posterior skin through the subcutaneous fat, the wall is the run of muscle, bone and thin
 *   intermuscular fat; it ends at gas (bowel: HU < −300) or at the first fat layer ≥ `fatGapMm` met after at least
 *   `minMuscleBeforeGapMm` of muscle (the thin latissimus and its fat under the skin do not end it):
 *   the perirenal/pararenal fat around the kidneys and the retroperitoneal fat in front of the psoas and
 *   quadratus lumborum [Gray's Anatomy, 41st ed., ch. 74 (kidney, Gerota's fascia)]; the clinical reference has no
 *   compartment anatomy;
 * - the wall never reaches further forward than `corridorAnteriorOfBodyCentreMm` in front of the vertebral body
 *   centre: the aorta (left) and IVC (right) lie on the front of the vertebral bodies and the common iliac vessels
 *   in front of L4–L5 and the sacral promontory [Gray's Anatomy, ch. 72, 76], so the anterior psoas and all that
 *   lies before the spine stay keep-out. A transforaminal cannula docks on the posterolateral disc through
 *   Kambin's triangle [clinical reference §7, MIS2017], behind that plane;
 * - muscle of the wall behind the canal centre is paraspinal (erector spinae/multifidus), in front of it psoas
 *   (with the quadratus lumborum lateral to it: passable either way), split left/right at the body centre.
 * Structures at risk with too lateral an entry (bowel, kidneys [Lee2020-JKNS], vessels [Ahn2009]) are inside
 * the keep-out; `retroperitoneal_keep_out` is the part behind a coronal plane `retroperitonealDepthMm` in front
 * of the vertebral bodies (kidneys, great and iliac vessels, ascending/descending colon), `peritoneal_keep_out`
 * the rest: a geometric split for display, both are keep-out.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { labelName } from '../phantom/vocabulary.ts';
import type { SegmentSpineCtResult } from '../spine/segment-ct.ts';
import type { LabelLegend } from '../spine/types.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import { SURROUNDINGS_LABELS as L } from './labels.ts';
import { lpsGridOf, readInWorkOrder } from './lps-grid.ts';
import { DEFAULT_SURROUNDINGS_SETTINGS, type SurroundingsSettings } from './settings.ts';
import { boxMean2d, chamfer2d, fillHoles2d, keepLargestComponent, keepLargestComponent2d } from './slice-ops.ts';
import { bodyWall } from './body-wall.ts';
import { posteriorWall } from './posterior-wall.ts';
import { sliceAnchors, type SliceAnchor } from './spine-anchors.ts';

export interface SegmentSurroundingsCtOptions {
  /** CT in HU (`units: 'HU'`), axial, coronal or sagittal (not oblique). */
  readonly volume: Volume;
  /** `segmentSpineCt`'s result for the same volume (its labels on the same grid). */
  readonly spine: SegmentSpineCtResult;
  readonly settings?: Partial<SurroundingsSettings>;
}

export interface SegmentSurroundingsCtResult {
  /** Label map on the CT's grid: the spine's labels where it has them, the surroundings elsewhere, 0 outside the body. */
  readonly labels: Volume;
  readonly legend: LabelLegend;
  /** Axial slices (of the work grid) where a posterior corridor was opened (those with the spine in view). */
  readonly corridorSlices: number;
  /** What the analysis could not do, in words (shown to the user). */
  readonly notes: readonly string[];
}

const isSpineValue = (v: number): boolean => v >= 1 && v <= 59;

export function segmentSurroundingsCt(options: SegmentSurroundingsCtOptions): SegmentSurroundingsCtResult {
  const { volume, spine } = options;
  const s: SurroundingsSettings = { ...DEFAULT_SURROUNDINGS_SETTINGS, ...options.settings };
  if (volume.units !== 'HU') throw new KeyholeError('INVALID_ARGUMENT', { path: 'volume.units', message: `the surroundings analysis needs a CT in HU, got units "${volume.units}"` });
  const spineLabels = spine.labels;
  if (spineLabels !== undefined && spineLabels.size.some((n, a) => n !== volume.size[a])) {
    throw new KeyholeError('GEOMETRY_MISMATCH', { path: 'spine.labels', message: `the spine label map (${spineLabels.size.join('×')}) is not on the CT's grid (${volume.size.join('×')}); run segmentSpineCt on this CT` });
  }
  const grid = lpsGridOf(volume);
  const [nx, ny, nz] = grid.dims;
  const [sx, sy] = grid.spacing;
  const plane = nx * ny;
  const hu = readInWorkOrder(grid, volume.data);
  const spineLab = spineLabels !== undefined ? readInWorkOrder(grid, spineLabels.data) : new Float32Array(hu.length);
  const notes: string[] = [
    'native CT: kidneys, bowel, aorta, IVC and iliac vessels are not separated from each other; they are covered by retroperitoneal_keep_out / peritoneal_keep_out (treat both as keep-out)',
  ];

  // Body: tissue above bodyMinHu, largest component (drops the table and the air) in 3-D and per slice, holes (gas, lungs) filled per slice.
  const body = new Uint8Array(hu.length);
  for (let o = 0; o < hu.length; o++) body[o] = hu[o]! > s.bodyMinHu ? 1 : 0;
  keepLargestComponent(body, grid.dims);
  for (let z = 0; z < nz; z++) {
    const slice = body.subarray(z * plane, (z + 1) * plane);
    // Opening by `tableGapMm` before the largest component: the table's thin shell touching the back would
    // otherwise join the trunk and the air between them be filled as a hole.
    const open = new Uint8Array(plane);
    const away = chamfer2d(Uint8Array.from(slice, (v) => 1 - v), nx, ny, sx, sy);
    for (let o = 0; o < plane; o++) open[o] = away[o]! > s.tableGapMm ? 1 : 0;
    keepLargestComponent2d(open, nx, ny);
    const near = chamfer2d(open, nx, ny, sx, sy);
    for (let o = 0; o < plane; o++) slice[o] = slice[o] === 1 && near[o]! <= s.tableGapMm + Math.max(sx, sy) ? 1 : 0;
    fillHoles2d(slice, nx, ny);
  }

  const anchors = spine.model.status === 'ok' ? sliceAnchors(spine.model, grid, spineLab, isSpineValue) : new Array<SliceAnchor | undefined>(nz).fill(undefined);
  if (anchors.every((a) => a === undefined)) notes.push('no spine in view: no corridor opened, everything inside the abdominal wall is keep-out');
  const l1 = spine.model.vertebrae.find((v) => v.name === 'L1');
  const l3 = spine.model.vertebrae.find((v) => v.name === 'L3');
  const l1z = l1 !== undefined ? grid.worldToWork(l1.centroid)[2] : Infinity;
  const l3z = l3 !== undefined ? grid.worldToWork(l3.centroid)[2] : -Infinity;
  const l4 = spine.model.vertebrae.find((v) => v.name === 'L4');
  const l4z = l4 !== undefined ? grid.worldToWork(l4.centroid)[2] : -Infinity;
  const nearestAnchor = (z: number): SliceAnchor | undefined => {
    for (let d = 0; d < nz; d++) {
      const a = anchors[z - d] ?? anchors[z + d];
      if (a !== undefined) return a;
    }
    return undefined;
  };

  const out = new Uint16Array(hu.length);
  const isFat = (h: number): boolean => h > s.gasMaxHu && h <= s.fatMaxHu;
  let corridorSlices = 0;

  for (let z = 0; z < nz; z++) {
    const base = z * plane;
    const b = body.subarray(base, base + plane);
    const h = hu.subarray(base, base + plane);
    // Fatty infiltration marbles muscle with fat-density voxels; the wall scan reads tissue after an in-plane
    // box mean over ±smoothingMm, so that only fat layers (not marbling) end the wall.
    const hs = boxMean2d(h, nx, ny, Math.max(1, Math.round(s.smoothingMm / sx)), Math.max(1, Math.round(s.smoothingMm / sy)));
    const outside = new Uint8Array(plane);
    for (let o = 0; o < plane; o++) outside[o] = b[o] === 0 ? 1 : 0;
    const depth = chamfer2d(outside, nx, ny, sx, sy);
    // Skin: the outer ~3 mm. Subcutaneous fat: fat reached from under the skin through fat, no deeper than the setting.
    // Skin: the outer 3 mm or two voxels, whichever is deeper (partial volume with the air at 3 mm reads as gas).
    const skinMm = Math.max(3, 2 * Math.max(sx, sy));
    const { subcutaneous: subcut, muscle: wallMuscle } = bodyWall({ nx, ny, sx, sy, body: b, hu: h, smoothHu: hs, depthMm: depth, skinMm, settings: s });

    // Posterior wall and psoas (posterior-wall.ts).
    const anchor = anchors[z];
    let wall: Uint8Array = new Uint8Array(plane);
    let psoas: Uint8Array = new Uint8Array(plane);
    if (anchor !== undefined) {
      corridorSlices++;
      const found = posteriorWall({
        nx, ny, sx, sy, body: b, hu: h, smoothHu: hs, subcutaneous: subcut, depthMm: depth, skinMm, anchor, settings: s, belowKidneys: z < l4z, belowBifurcation: z < l4z,
        isSpine: (o) => isSpineValue(spineLab[base + o]!),
      });
      wall = found.wall;
      psoas = found.psoas;
    }

    const a = anchor ?? nearestAnchor(z);
    for (let o = 0; o < plane; o++) {
      if (b[o] === 0) continue;
      const v = h[o]!;
      const x = o % nx, y = (o - x) / nx;
      const bone = v >= s.boneHu;
      let label: number;
      if (subcut[o] === 1) label = L.fat;
      else if (wall[o] === 1) {
        if (bone && a !== undefined && z < l3z && Math.abs(x - a.bodyX) * sx > 40) label = x > a.bodyX ? L.ilium_left : L.ilium_right;
        else if (isFat(v) || a === undefined) label = L.fat;
        else if (y > a.canalY) label = x > a.bodyX ? L.paraspinal_left : L.paraspinal_right;
        else if (psoas[o] === 1) label = x > a.bodyX ? L.psoas_left : L.psoas_right;
        else label = L.fat;
      } else if (wallMuscle[o] === 1) label = L.abdominal_wall;
      else if (v <= s.gasMaxHu && z < l1z && depth[o]! > skinMm) label = L.bowel_gas;
      else if (a !== undefined && y >= a.frontY - s.retroperitonealDepthMm / sy) label = L.retroperitoneal_keep_out;
      else label = L.peritoneal_keep_out;
      out[base + o] = label;
    }
    // Fat pads inside the wall farther than `cavityFatMarginMm` from any soft tissue or gas there (the
    // retroperitoneal fat around the psoas, mesenteric fat between loops) hold no organ: passable fat. Organs,
    // vessels and bowel are soft tissue or gas on a native CT, so they and a margin around them stay keep-out.
    if (s.cavityFatMarginMm > 0) {
      const slice = out.subarray(base, base + plane);
      const isKeep = (v: number): boolean => v === L.retroperitoneal_keep_out || v === L.peritoneal_keep_out || v === L.bowel_gas;
      const tissue = new Uint8Array(plane);
      for (let o = 0; o < plane; o++) if (isKeep(slice[o]!) && !(isFat(h[o]!) && isFat(hs[o]!))) tissue[o] = 1;
      const fromTissue = chamfer2d(tissue, nx, ny, sx, sy);
      for (let o = 0; o < plane; o++) if (isKeep(slice[o]!) && fromTissue[o]! > s.cavityFatMarginMm) slice[o] = L.fat;
    }
    // Partial volume and thin fat at the back of the kidneys and colon: the keep-out grows `keepOutGrowMm` into
    // the wall around it (not into the psoas or the spine), so organ rims the scan reached stay covered.
    if (s.keepOutGrowMm > 0) {
      const slice = out.subarray(base, base + plane);
      const isKeep = (v: number): boolean => v === L.retroperitoneal_keep_out || v === L.peritoneal_keep_out || v === L.bowel_gas;
      const keep = Uint8Array.from(slice, (v) => (isKeep(v) ? 1 : 0));
      const near = chamfer2d(keep, nx, ny, sx, sy);
      for (let o = 0; o < plane; o++) {
        const v = slice[o]!;
        if (v === 0 || isKeep(v) || near[o]! > s.keepOutGrowMm || psoas[o] === 1 || isSpineValue(spineLab[base + o]!) || subcut[o] === 1) continue;
        const y = Math.floor(o / nx);
        slice[o] = a !== undefined && y >= a.frontY - s.retroperitonealDepthMm / sy ? L.retroperitoneal_keep_out : L.peritoneal_keep_out;
      }
    }
  }

  // The spine's own labels win where it has them.
  for (let o = 0; o < out.length; o++) {
    const v = spineLab[o]!;
    if (v !== 0) out[o] = v;
  }
  const data = new Uint16Array(out.length);
  for (let o = 0; o < out.length; o++) data[grid.toInput[o]!] = out[o]!;
  const labels = createVolume({ size: volume.size, spacing: volume.spacing, origin: volume.origin, direction: volume.direction, data, units: 'label', label: 'surroundings' });
  const present = new Set<number>(out);
  present.delete(0);
  const surroundingsName = new Map<number, string>(Object.entries(L).map(([n, v]) => [v as number, n]));
  const legend: LabelLegend = {
    labels: [...present].sort((p, q) => p - q).map((value) => ({ value, name: surroundingsName.get(value) ?? spine.legend.labels.find((e) => e.value === value)?.name ?? labelName(value) ?? `label_${value}` })),
  };
  return { labels, legend, corridorSlices, notes };
}
