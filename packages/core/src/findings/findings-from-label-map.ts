import type { ImagingFinding, ImagingFindings } from '../clinical/findings.ts';
import { validateFindings } from '../clinical/validate-findings.ts';
import { KeyholeError } from '../errors/keyhole-error.ts';
import { add, dot, normalize, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import { compareGrids, type Volume } from '../volume/volume.ts';
import { lordoticAngleDeg, measureDiscSpace, measureSlip, type DiscSpace } from './disc-geometry.ts';
import { genantGrade, lurie, meyerding } from './grades.ts';
import { detectHerniation } from './herniation.ts';
import { discBetween, erodeMask, indexLabelMap, inside, maskPoints, unionMasks, type Mask } from './label-map.ts';
import { extentAlongV, planeSection } from './plane-section.ts';
import { resolveFindingsSettings, type FindingsSettings } from './settings.ts';
import type { DiscMeasurements, FindingsFromLabelMapOptions, FindingsResult, KeyImage, Measurement, FindingUnit, VertebraMeasurements } from './types.ts';
import {
  bodyCentre,
  centroidOf,
  fitEndplates,
  frameFromSuperior,
  heightThrough,
  pedicleEdges,
  splitBody,
  superiorAxes,
  totalSegmentatorHeights,
  type Frame,
} from './vertebra-geometry.ts';

const PRODUCER = 'keyhole findings 1 (label map)';

/**
 * Measurements and graded findings per level from a spine label map in Keyhole's vocabulary (phantom truth, an
 * imported TotalSegmentator map, the anatomy pipeline's output) and, optionally, the image on the same grid.
 * Pure: no I/O. The findings are validated with `validateFindings` (the correlation's input).
 */
export function findingsFromLabelMap(options: FindingsFromLabelMapOptions): FindingsResult {
  const settings = resolveFindingsSettings(options.settings);
  const { labels, image } = options;
  if (image !== undefined) {
    const cmp = compareGrids(image, labels, 0.01);
    if (!cmp.same) throw new KeyholeError('GEOMETRY_MISMATCH', { message: `the label map is not on the image's grid (corners differ by up to ${cmp.maxCornerDistanceMm.toFixed(2)} mm${cmp.sizeMatches ? '' : ', sizes differ'}): resample the labels onto the image first` });
  }
  const index = indexLabelMap(labels, options.legend);
  if (index.vertebrae.length === 0) {
    throw new KeyholeError('FINDINGS_NEED_ANATOMY', { message: 'findings need an anatomy model: the label map holds no vertebra its legend names (run keyhole segment or pass --labels with a spine label map and its legend)' });
  }
  const notes: string[] = [];
  const names = index.vertebrae;
  const wholes = names.map((n) => index.masks.get(n)!);
  const centroids = wholes.map((m) => centroidOf(maskPoints(m)));
  // The sacrum's cranial part (S1) stands for it when axes are taken from neighbouring centres (TotalSegmentator uses S1).
  const sacrumAt = names.indexOf('sacrum');
  const anchorOf = (i: number, centres: readonly Vec3[]): Vec3 => (i === sacrumAt ? sacralTopCentre(wholes[i]!) : centres[i]!);

  // Frames: superior axes from whole centroids, bodies cut, then axes again from body centres.
  let frames = superiorAxes(names.map((_, i) => anchorOf(i, centroids))).map(frameFromSuperior);
  let splits = names.map((n, i) => (n === 'sacrum' ? undefined : splitBody(wholes[i]!, centroids[i]!, frames[i]!)));
  let centres = names.map((_, i) => (splits[i] !== undefined ? bodyCentre(splits[i]!.body).centre : centroids[i]!));
  // The sacrum's body part from here on: near the last lumbar body's axis and in front of its posterior wall.
  const sacralBody = (i: number): Vec3 | undefined => {
    const prev = splits[i - 1];
    return i === sacrumAt && prev !== undefined ? sacralBodyCentre(wholes[i]!, centres[i - 1]!, frames[i - 1]!, prev.wallMm - dot(sub(centres[i - 1]!, prev.origin), frames[i - 1]!.posterior)) : undefined;
  };
  const anchored = names.map((_, i) => sacralBody(i) ?? anchorOf(i, centres));
  frames = superiorAxes(anchored).map(frameFromSuperior);
  splits = names.map((n, i) => (n === 'sacrum' ? undefined : splitBody(wholes[i]!, centres[i]!, frames[i]!)));
  let bodyInfo = splits.map((s) => (s !== undefined ? bodyCentre(s.body) : undefined));
  centres = names.map((_, i) => bodyInfo[i]?.centre ?? centroids[i]!);
  // TotalSegmentator's height axis (neighbouring centres) for its heights; for everything else each vertebra's own
  // axis, the bisector of its fitted endplate normals, which a slipped or rotated neighbour does not tilt.
  const neighbourFrames = frames;
  frames = names.map((_, i) => {
    const split = splits[i];
    if (split === undefined) return frames[i]!;
    const fit = fitEndplates(split.body, centres[i]!, frames[i]!);
    return fit === undefined ? frames[i]! : frameFromSuperior(add(fit.superior.normal, fit.inferior.normal));
  });
  splits = names.map((n, i) => (n === 'sacrum' ? undefined : splitBody(wholes[i]!, centres[i]!, frames[i]!) ?? splits[i]));
  bodyInfo = splits.map((s) => (s !== undefined ? bodyCentre(s.body) : undefined));
  centres = names.map((_, i) => bodyInfo[i]?.centre ?? centroids[i]!);

  const hu = image !== undefined && image.units === 'HU' ? image : undefined;
  const vertebrae: VertebraMeasurements[] = names.map((name, i) => {
    const whole = wholes[i]!;
    const frame = frames[i]!;
    const split = splits[i];
    const info = bodyInfo[i];
    const complete = !index.touchesBorder.get(name);
    const voxelMl = (labels.spacing[0] * labels.spacing[1] * labels.spacing[2]) / 1000;
    const base: VertebraMeasurements = { name, complete, centroid: centroids[i]!, bodyCentre: centres[i]!, axes: frame, volumeMl: whole.count * voxelMl };
    if (split === undefined || info === undefined) return base;
    const body = split.body;
    const centre = info.centre;
    const wallMm = split.wallMm - dot(sub(centre, split.origin), frame.posterior);
    const pedicles = pedicleEdges(whole, centre, frame, wallMm);
    const out: VertebraMeasurements = { ...base, posteriorWallMm: wallMm, pedicles, volumeMl: body.count * voxelMl };
    if (!complete) {
      notes.push(`${name}: the field of view cuts the vertebra; its heights are not measured`);
      return out;
    }
    const fit = fitEndplates(body, centre, frame);
    const ap = apExtent(body, centre, frame);
    const ts = totalSegmentatorHeights(body, info.smoothed, centre, neighbourFrames[i]!, settings.totalSegmentatorPositions);
    let result: VertebraMeasurements = { ...out, ...(ap !== undefined ? { bodyDepthMm: ap[1] - ap[0] } : {}) };
    if (fit !== undefined && ap !== undefined) {
      const middle = heightThrough(body, add(centre, scale(frame.posterior, (ap[0] + ap[1]) / 2)), frame.superior) ?? fit.heightAt((ap[0] + ap[1]) / 2);
      const rule = 'distance between the fitted superior and inferior endplate planes along the body axis, on the midline';
      result = {
        ...result,
        superiorEndplate: fit.superior,
        inferiorEndplate: fit.inferior,
        heights: {
          anterior: measure(fit.heightAt(ap[0]), 'mm', `${rule}, at the anterior cortex`, 'Genant semiquantitative method (heights)', 0.85, settings),
          middle: measure(middle, 'mm', 'extent of the body along its axis through the middle of its AP depth', 'Genant semiquantitative method (heights)', 0.85, settings),
          posterior: measure(fit.heightAt(ap[1]), 'mm', `${rule}, at the posterior wall`, 'Genant semiquantitative method (heights)', 0.85, settings),
        },
      };
    }
    if (ts !== undefined) {
      const rule = (where: string): string => `TotalSegmentator spine report: body extent along the height axis at ${where} of the eroded body's AP line, in the most uneven sagittal plane`;
      const c = 0.8;
      result = {
        ...result,
        totalSegmentatorHeights: {
          posterior: measure(ts.posterior, 'mm', rule('15%'), 'TotalSegmentator spine report', c, settings),
          middle: measure(ts.middle, 'mm', rule('50%'), 'TotalSegmentator spine report', c, settings),
          anterior: measure(ts.anterior, 'mm', rule('85%'), 'TotalSegmentator spine report', c, settings),
          heightDifference: 1 - Math.min(ts.posterior, ts.middle, ts.anterior) / Math.max(ts.posterior, ts.middle, ts.anterior),
        },
      };
    }
    if (hu !== undefined) {
      const core = erodeMask(body, settings.boneCoreErosionMm);
      const use = core.count > 0 ? core : body;
      const mean = meanImageValue(hu, use);
      result = { ...result, boneDensity: measure(mean, 'HU', `mean CT number of the body's cancellous core (body eroded ${settings.boneCoreErosionMm} mm, as TotalSegmentator's spine report)`, 'TotalSegmentator spine report', core.count > 0 ? 0.8 : 0.4, settings) };
    }
    return result;
  });

  gradeFractures(vertebrae, settings);

  // Discs between consecutive vertebrae present.
  const sac = unionMasks(['dural_sac', 'cauda_equina', 'spinal_cord', 'conus'].map((n) => index.masks.get(n)));
  if (sac === undefined) notes.push('no dural sac in the label map: canal areas and central stenosis are not measured');
  else {
    // The sac behind each vertebral body: stenosis narrows it at the disc, so the bodies' levels are the patient's own reference.
    vertebrae.forEach((v, i) => {
      if (v.posteriorWallMm === undefined) return;
      const section = planeSection({ origin: v.bodyCentre, frame: v.axes, u: [-25, 25], v: [v.posteriorWallMm - 5, v.posteriorWallMm + 35], step: 0.25, test: (p) => inside(sac, p), near: [0, v.posteriorWallMm + 8] });
      if (section !== undefined && section.area >= 5) {
        vertebrae[i] = { ...v, duralSacArea: measure(section.area, 'mm2', 'cross-section of the dural sac on the axial plane through the body centre', '[Schönström 1988]', 0.85, settings) };
      }
    });
  }
  const discs: DiscMeasurements[] = [];
  const spaces = new Map<string, DiscSpace>();
  for (let i = 0; i + 1 < names.length; i++) {
    const upper = names[i]!, lower = names[i + 1]!;
    const name = discBetween(upper, lower);
    const upperBody = splits[i]?.body;
    const upperInferior = vertebrae[i]!.inferiorEndplate;
    const lowerBone = splits[i + 1]?.body ?? wholes[i + 1]!;
    if (upperBody === undefined || upperInferior === undefined) {
      discs.push({ name, upper, lower });
      continue;
    }
    const space = measureDiscSpace({ upperBody, upperCentre: centres[i]!, upperFrame: frames[i]!, upperInferior, lower: lowerBone });
    if (space === undefined) {
      notes.push(`${name}: the disc space could not be measured`);
      discs.push({ name, upper, lower });
      continue;
    }
    spaces.set(name, space);
    const heightRule = 'gap between the upper body and the lower bone along the upper body axis, straight line over the midline read at the upper body\'s AP edges';
    let disc: DiscMeasurements = {
      name, upper, lower,
      midPlane: space.midPlane,
      heights: {
        anterior: measure(space.anteriorMm, 'mm', `${heightRule} (anterior)`, '[JOSR2018] reference ranges', 0.8, settings),
        middle: measure(space.middleMm, 'mm', `${heightRule} (middle)`, '[JOSR2018, IranMRI]', 0.8, settings),
        posterior: measure(space.posteriorMm, 'mm', `${heightRule} (posterior)`, '[Hasegawa 1995] posterior disc height', 0.8, settings),
      },
      segmentalAngle: measure(space.angleDeg, 'deg', 'angle between the upper inferior and lower superior endplate planes, + opening anteriorly', '[PMC6680033]', 0.8, settings),
    };
    const lowerSuperior = vertebrae[i + 1]!.superiorEndplate;
    const slip = measureSlip({ upperBody, lower: lowerBone, space, ...(lowerSuperior !== undefined ? { lowerSuperior } : {}) });
    if (slip !== undefined) {
      disc = {
        ...disc,
        slip: {
          ...measure(slip.slipPercent, 'percent', 'anterior translation of the upper posterior-inferior corner over the lower posterior-superior corner ÷ AP length of the lower superior endplate × 100', '[Medscape, Koslosky2020]', 0.85, settings),
          translationMm: slip.translationMm,
          ...(slip.slipPercent >= settings.minSlipPercent ? { meyerding: meyerding(slip.slipPercent) } : {}),
        },
      };
    }
    if (sac !== undefined) disc = { ...disc, ...measureSac(sac, space, settings) };
    const discMask = index.masks.get(name);
    if (discMask !== undefined) {
      const material = unionMasks([discMask, index.masks.get(`herniation_${name}`)])!;
      const lowerIndex = i + 1;
      const h = detectHerniation({
        material,
        space,
        upperBody,
        lowerBody: lowerBone,
        lowerIsSacrum: lower === 'sacrum',
        upperFrame: frames[i]!,
        upperCentre: centres[i]!,
        ...(vertebrae[i]!.pedicles !== undefined ? { upperPedicles: vertebrae[i]!.pedicles } : {}),
        ...(vertebrae[lowerIndex]!.pedicles !== undefined ? { lowerPedicles: vertebrae[lowerIndex]!.pedicles, lowerFrame: frames[lowerIndex]!, lowerCentre: centres[lowerIndex]! } : {}),
        settings,
      });
      disc = { ...disc, herniation: h.measurements };
    } else if (i === 0) notes.push('no disc labels in the label map: herniations are not assessed');
    discs.push(disc);
  }
  gradeStenosis(discs, vertebrae, settings);

  // Total lordosis: superior endplate of the first lumbar vertebra against the sacrum's (the L5–S1 lower endplate).
  const firstLumbar = names.find((n) => /^L[1-6]$/.test(n));
  const lastDisc = discs.find((d) => d.lower === 'sacrum');
  const l1 = vertebrae.find((v) => v.name === firstLumbar);
  let lordosis: FindingsResult['lordosis'];
  const sacralSpace = lastDisc !== undefined ? spaces.get(lastDisc.name) : undefined;
  if (l1?.superiorEndplate !== undefined && sacralSpace !== undefined) {
    const value = lordoticAngleDeg(l1.superiorEndplate.normal, sacralSpace.lowerSuperior.normal, l1.axes.left);
    lordosis = { ...measure(value, 'deg', `Cobb angle between the superior endplates of ${l1.name} and S1`, '[PMC6680033]', 0.85, settings), from: l1.name, to: 'S1' };
  }

  const { findings, keyImages } = collectFindings({ vertebrae, discs, settings, options, names });
  return { findings, vertebrae, discs, ...(lordosis !== undefined ? { lordosis } : {}), keyImages, notes, settings };
}

function measure(value: number, unit: FindingUnit, rule: string, source: string, confidence: number, settings: FindingsSettings): Measurement {
  return { value, unit, rule, source, confidence, needsReview: confidence < settings.reviewBelowConfidence };
}

/** Centre of the top 30 mm of the sacrum (S1), as TotalSegmentator's S1 label stands for it. */
function sacralTopCentre(sacrum: Mask): Vec3 {
  const pts = maskPoints(sacrum);
  let top = -Infinity;
  for (let i = 2; i < pts.length; i += 3) top = Math.max(top, pts[i]!);
  const keep: number[] = [];
  for (let i = 0; i < pts.length; i += 3) if (pts[i + 2]! > top - 30) keep.push(pts[i]!, pts[i + 1]!, pts[i + 2]!);
  return centroidOf(Float64Array.from(keep));
}

/**
 * Centre of the S1 body within the sacrum: its voxels in the top 30 mm along the last lumbar axis, within 20 mm of
 * that vertebra's axis laterally and in front of its posterior wall (the alae and the sacral canal left out), as
 * TotalSegmentator takes S1's body for the last lumbar vertebra's height axis.
 */
function sacralBodyCentre(sacrum: Mask, prevCentre: Vec3, prevFrame: Frame, prevWallMm: number): Vec3 | undefined {
  const pts = maskPoints(sacrum);
  let top = -Infinity;
  for (let i = 0; i < pts.length; i += 3) top = Math.max(top, dot(sub([pts[i]!, pts[i + 1]!, pts[i + 2]!], prevCentre), prevFrame.superior));
  const keep: number[] = [];
  for (let i = 0; i < pts.length; i += 3) {
    const d = sub([pts[i]!, pts[i + 1]!, pts[i + 2]!], prevCentre);
    if (dot(d, prevFrame.superior) < top - 30 || Math.abs(dot(d, prevFrame.left)) > 20 || dot(d, prevFrame.posterior) > prevWallMm) continue;
    keep.push(pts[i]!, pts[i + 1]!, pts[i + 2]!);
  }
  return keep.length >= 30 ? centroidOf(Float64Array.from(keep)) : undefined;
}

function apExtent(body: Mask, centre: Vec3, frame: Frame): [number, number] | undefined {
  if (!inside(body, centre)) return undefined;
  let lo = 0, hi = 0;
  const step = 0.25;
  while (lo > -80 && inside(body, add(centre, scale(frame.posterior, lo - step)))) lo -= step;
  while (hi < 80 && inside(body, add(centre, scale(frame.posterior, hi + step)))) hi += step;
  return [lo, hi];
}

function meanImageValue(image: Volume, mask: Mask): number {
  const [ni, nj] = image.size;
  let sum = 0, n = 0;
  for (let c = 0; c < mask.dims[2]; c++) for (let b = 0; b < mask.dims[1]; b++) for (let a = 0; a < mask.dims[0]; a++) {
    if (mask.data[a + mask.dims[0] * (b + mask.dims[1] * c)] === 0) continue;
    sum += image.data[a + mask.lo[0] + ni * (b + mask.lo[1] + nj * (c + mask.lo[2]))]!;
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

/**
 * Height loss against the expected height: the vertebra's own tallest height (a wedge keeps its posterior height) or
 * the median tallest height of up to two neighbours of the same region on each side (a crush loses every height), whichever is larger.
 */
function gradeFractures(vertebrae: VertebraMeasurements[], settings: FindingsSettings): void {
  const tallest = vertebrae.map((v) => (v.heights !== undefined ? Math.max(v.heights.anterior.value, v.heights.middle.value, v.heights.posterior.value) : undefined));
  vertebrae.forEach((v, i) => {
    if (v.heights === undefined) return;
    // Neighbours of the same region only: thoracic bodies are shorter than lumbar ones.
    const region = v.name[0];
    const neighbours = [i - 2, i - 1, i + 1, i + 2].filter((j) => vertebrae[j]?.name[0] === region).map((j) => tallest[j]).filter((h): h is number => h !== undefined).sort((a, b) => a - b);
    const median = neighbours.length === 0 ? 0 : neighbours.length % 2 === 1 ? neighbours[(neighbours.length - 1) / 2]! : (neighbours[neighbours.length / 2 - 1]! + neighbours[neighbours.length / 2]!) / 2;
    const expected = Math.max(tallest[i]!, median);
    const lowest = Math.min(v.heights.anterior.value, v.heights.middle.value, v.heights.posterior.value);
    const loss = 1 - lowest / expected;
    const grade = genantGrade(loss, settings);
    const nearThreshold = [settings.genantMild, settings.genantModerate, settings.genantSevere].some((t) => Math.abs(loss - t) < 0.02);
    vertebrae[i] = {
      ...v,
      expectedHeightMm: expected,
      heightLoss: measure(loss * 100, 'percent', 'loss of the lowest body height against the expected height (own tallest, or the median of the neighbours\' if larger)', 'Genant semiquantitative grades (settings: 20/25/40%)', nearThreshold ? 0.55 : 0.85, settings),
      genantGrade: grade,
    };
  });
}

/** Dural sac on the disc mid-plane: area (holes filled: roots inside the sac count) and AP diameter at the midline. */
function measureSac(sac: Mask, space: DiscSpace, settings: FindingsSettings): Partial<DiscMeasurements> {
  const back = space.posteriorEdgeMm;
  const section = planeSection({ origin: space.midPlane.point, frame: space.frame, u: [-25, 25], v: [back - 5, back + 35], step: 0.25, test: (p) => inside(sac, p), near: [0, back + 8] });
  if (section === undefined || section.area < 5) return {};
  const ap = extentAlongV(section, section.cu, 1);
  const canalCentre = add(space.midPlane.point, add(scale(space.frame.left, section.cu), scale(space.frame.posterior, section.cv)));
  return {
    duralSacArea: measure(section.area, 'mm2', 'cross-section of the dural sac (roots inside it included) on the disc mid-plane', '[Schönström 1988, Hamanishi 1994]', 0.85, settings),
    apDiameter: measure(ap, 'mm', 'AP extent of the dural sac on the disc mid-plane at its centre', '[Kalichman 2009]', 0.8, settings),
    canalCentre,
  };
}

/**
 * Area loss against the patient's own unnarrowed sac: the mean of the sac areas behind the two adjacent vertebral
 * bodies (the median of the other discs' areas when neither is measured), graded by Lurie thirds [Radiopaedia-LSS].
 */
function gradeStenosis(discs: DiscMeasurements[], vertebrae: readonly VertebraMeasurements[], settings: FindingsSettings): void {
  const sacAt = new Map(vertebrae.filter((v) => v.duralSacArea !== undefined).map((v) => [v.name, v.duralSacArea!.value]));
  const reference = (d: DiscMeasurements): number | undefined => {
    const adjacent = [sacAt.get(d.upper), sacAt.get(d.lower)].filter((x): x is number => x !== undefined);
    return adjacent.length > 0 ? adjacent.reduce((a, b) => a + b, 0) / adjacent.length : undefined;
  };
  // The sac is normally a little narrower at a disc than behind the bodies (annulus and flavum): the patient's own
  // disc/body ratio, the median over the other discs, calibrates the expected area at each disc.
  const ratios = discs.map((d) => {
    const ref = reference(d);
    return d.duralSacArea !== undefined && ref !== undefined ? d.duralSacArea.value / ref : undefined;
  });
  const median = (xs: number[]): number | undefined => {
    const s = [...xs].sort((a, b) => a - b);
    if (s.length === 0) return undefined;
    return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  discs.forEach((d, i) => {
    if (d.duralSacArea === undefined) return;
    const ref = reference(d);
    const otherRatios = ratios.filter((r, j): r is number => j !== i && r !== undefined);
    const normalRatio = median(otherRatios);
    let expected: number | undefined;
    let how: string;
    let confidence: number;
    if (ref !== undefined && normalRatio !== undefined && otherRatios.length >= 2) {
      expected = ref * normalRatio;
      how = `the sac behind the adjacent vertebral bodies × this patient's disc/body ratio ${normalRatio.toFixed(2)}`;
      confidence = 0.8;
    } else {
      expected = median(discs.filter((o, j) => j !== i && o.duralSacArea !== undefined).map((o) => o.duralSacArea!.value));
      how = 'the median area of the other discs';
      confidence = 0.5;
    }
    if (expected === undefined) return;
    const loss = Math.max(0, 1 - d.duralSacArea.value / expected);
    discs[i] = {
      ...d,
      areaLoss: measure(loss * 100, 'percent', `dural-sac area loss on the disc mid-plane against ${how} (${expected.toFixed(0)} mm²)`, '[Radiopaedia-LSS]', confidence, settings),
      lurie: lurie(loss, settings),
    };
  });
}

interface CollectInput {
  readonly vertebrae: readonly VertebraMeasurements[];
  readonly discs: readonly DiscMeasurements[];
  readonly settings: FindingsSettings;
  readonly options: FindingsFromLabelMapOptions;
  readonly names: readonly string[];
}

function collectFindings(input: CollectInput): { findings: ImagingFindings; keyImages: KeyImage[] } {
  const { vertebrae, discs, settings } = input;
  const list: ImagingFinding[] = [];
  const keyImages: KeyImage[] = [];
  const review = (c: number): { needsReview?: true } => (c < settings.reviewBelowConfidence ? { needsReview: true } : {});
  const sagittal = (v: VertebraMeasurements): KeyImage['plane'] => ({ point: v.bodyCentre, normal: v.axes.left });
  const key = (level: string, kind: string, point: Vec3, plane: KeyImage['plane'], caption: string): void => {
    keyImages.push({ finding: list.length - 1, level, kind, point, plane, caption });
  };

  for (const v of vertebrae) {
    if (v.genantGrade === undefined || v.genantGrade === 0 || v.heightLoss === undefined || !/^(T|L)\d+$/.test(v.name)) continue;
    const c = v.heightLoss.confidence;
    list.push({ kind: 'compression-fracture', level: v.name, heightLossPercent: round(Math.min(100, v.heightLoss.value), 1), confidence: c, ...review(c), producedBy: `${PRODUCER}; Genant grade ${v.genantGrade}` });
    key(v.name, 'compression-fracture', v.bodyCentre, sagittal(v), `${v.name}: body height loss ${v.heightLoss.value.toFixed(0)}% (Genant grade ${v.genantGrade})`);
    if (v.genantGrade >= settings.redFlagFractureGrade) {
      // Red flags are flagged for review, never graded.
      list.push({ kind: 'red-flag', level: v.name, flag: 'fracture', confidence: c, needsReview: true, note: `vertebral body height loss ${v.heightLoss.value.toFixed(0)}%: acute or pathological fracture to be excluded`, producedBy: PRODUCER });
      key(v.name, 'red-flag', v.bodyCentre, sagittal(v), `${v.name}: fracture — review`);
    }
  }
  // Bone density outliers: a lytic or blastic body stands out from the patient's others.
  const densities = vertebrae.filter((v) => v.boneDensity !== undefined && /^(T|L)\d+$/.test(v.name)).map((v) => v.boneDensity!.value).sort((a, b) => a - b);
  if (densities.length >= 3) {
    const median = densities[Math.floor(densities.length / 2)]!;
    for (const v of vertebrae) {
      if (v.boneDensity === undefined || !/^(T|L)\d+$/.test(v.name)) continue;
      const dev = v.boneDensity.value - median;
      if (Math.abs(dev) <= settings.redFlagHuDeviation) continue;
      list.push({ kind: 'red-flag', level: v.name, flag: 'suspected-tumour', confidence: 0.4, needsReview: true, note: `cancellous body ${v.boneDensity.value.toFixed(0)} HU against ${median.toFixed(0)} HU for the other vertebrae (${dev > 0 ? 'sclerotic' : 'lytic'}?)`, producedBy: PRODUCER });
      key(v.name, 'red-flag', v.bodyCentre, sagittal(v), `${v.name}: density outlier — review`);
    }
  }

  for (const d of discs) {
    const plane = d.midPlane;
    if (plane === undefined) continue;
    if (d.slip?.meyerding !== undefined) {
      const c = d.slip.confidence;
      list.push({ kind: 'spondylolisthesis', level: d.name, slipPercent: round(Math.min(200, d.slip.value), 1), meyerding: d.slip.meyerding, confidence: c, ...review(c), producedBy: PRODUCER });
      key(d.name, 'spondylolisthesis', plane.point, { point: plane.point, normal: sagittalNormal(plane.normal) }, `${d.name}: slip ${d.slip.value.toFixed(0)}% (Meyerding ${d.slip.meyerding})`);
    }
    const area = d.duralSacArea?.value;
    const absolute = area !== undefined && area < settings.dscaAbsoluteMm2;
    if (d.lurie !== undefined && (d.lurie !== 'none' || absolute)) {
      const c = Math.min(d.duralSacArea!.confidence, d.areaLoss?.confidence ?? 1);
      // Schizas and Lee grades need the roots' and CSF's morphology on T2: not derived from a label map, so the finding asks for review.
      list.push({
        kind: 'central-stenosis', level: d.name, lurie: d.lurie === 'none' ? 'mild' : d.lurie,
        duralSacAreaMm2: round(area!, 1), ...(d.apDiameter !== undefined ? { apDiameterMm: round(Math.min(40, d.apDiameter.value), 1) } : {}),
        confidence: c, needsReview: true, producedBy: `${PRODUCER}; Lurie by area loss ${d.areaLoss?.value.toFixed(0) ?? '?'}%; Schizas/Lee not derived (need T2 morphology)`,
      });
      key(d.name, 'central-stenosis', d.canalCentre ?? plane.point, plane, `${d.name}: dural sac ${area!.toFixed(0)} mm² (${d.lurie === 'none' ? 'below ' + settings.dscaAbsoluteMm2 + ' mm²' : 'Lurie ' + d.lurie})`);
    }
    const h = d.herniation;
    if (h?.type !== undefined && h.zone !== undefined && h.side !== undefined) {
      const c = h.confidence ?? 0.5;
      const bulge = h.type === 'bulge';
      list.push({
        kind: 'disc-herniation', level: d.name, zone: h.zone, side: h.side, type: h.type, nomenclature: 'fardon-2014',
        ...(h.sizeMm !== undefined ? { sizeMm: round(Math.min(60, h.sizeMm), 1) } : {}),
        ...(h.migration !== undefined ? { migration: { direction: h.migration.direction, grade: h.migration.grade, ...(h.migration.leeZone !== undefined ? { leeZone: h.migration.leeZone } : {}) } } : {}),
        confidence: c, ...(bulge ? { needsReview: true } : review(c)), producedBy: PRODUCER,
      });
      key(d.name, 'disc-herniation', h.centre ?? plane.point, plane, `${d.name}: ${h.type} ${h.zone}${h.side !== 'midline' ? ' ' + h.side : ''}, ${h.sizeMm?.toFixed(1) ?? '?'} mm`);
    }
  }

  const numbering = numberingOf(input);
  const document = { schemaVersion: 1, ...(numbering !== undefined ? { numbering } : {}), findings: list };
  return { findings: validateFindings(document), keyImages };
}

function numberingOf(input: CollectInput): ImagingFindings['numbering'] {
  const lc = input.options.levelCount;
  if (lc !== undefined) {
    const lumbarCount = lc.lumbarTypeCount ?? lc.labels.filter((n) => /^L[1-6]$/.test(n)).length;
    if (lumbarCount < 4 || lumbarCount > 6) return undefined;
    const transitional =
      lc.pattern === 'sacralized-L5' ? { vertebra: 'L5', kind: 'sacralized' as const }
        : lc.pattern === 'lumbarized-S1' ? { vertebra: 'S1', kind: 'lumbarized' as const }
          : undefined;
    const castellvi = lc.castellvi !== undefined && lc.castellvi.type !== 'none' ? lc.castellvi.type : undefined;
    return { lumbarCount, ...(transitional !== undefined ? { transitional: { ...transitional, ...(castellvi !== undefined ? { castellvi } : {}) } } : {}), countVerified: lc.verified };
  }
  // Counted from the labels alone (unverified): only when the lumbar spine is covered from the thoracic to the sacrum.
  const lumbar = input.names.filter((n) => /^L[1-6]$/.test(n)).length;
  const covered = input.names.some((n) => /^T\d+$/.test(n)) && input.names.includes('sacrum');
  return covered && lumbar >= 4 && lumbar <= 6 ? { lumbarCount: lumbar, countVerified: false } : undefined;
}

/** Sagittal plane normal (the left axis) for a key image at a disc whose mid-plane normal is given. */
function sagittalNormal(discNormal: Vec3): Vec3 {
  const y: Vec3 = [0, 1, 0];
  const p = normalize(sub(y, scale(discNormal, dot(y, discNormal))));
  return [p[1] * discNormal[2] - p[2] * discNormal[1], p[2] * discNormal[0] - p[0] * discNormal[2], p[0] * discNormal[1] - p[1] * discNormal[0]];
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

