/**
 * Classical CT spine segmentation and level count (no learned weights): bone from HU → body centre line
 * → discs from the bone profile along it → vertebrae separated by seeded growth through bone → ribs, ilia
 * and Castellvi features → level names from those cues (clinical reference §9) → discs between the
 * endplates → a label map on the input's own grid in the phantom vocabulary, and the spine model (LPS mm).
 *
 * Works on any input grid (oblique, sagittal, anisotropic): everything runs on an isotropic LPS-aligned
 * working grid (`working-grid.ts`) and returns through the input's own transforms. Pure and synchronous.
 */
import type { Vec3 } from '../geometry/vec3.ts';
import { discName, LABELS, labelName, type LabelName } from '../phantom/vocabulary.ts';
import type { Volume } from '../volume/volume.ts';
import { findAttachedBone } from './attached-bone.ts';
import { buildBoneMask, fillEnclosedBone } from './bone-mask.ts';
import { fillEnclosedMarrow } from './fill-marrow.ts';
import { fillLabelHoles } from './fill-label-holes.ts';
import { findJointGaps } from './joint-gaps.ts';
import { trackBodyCentreline } from './body-centreline.ts';
import { traceCanal } from './canal.ts';
import { classifyCastellvi } from './castellvi.ts';
import { buildColumnProfile, type ColumnProfile } from './column-profile.ts';
import { paintDiscs, paintDiscsOnInput } from './disc-masks.ts';
import { sliceDistance } from './distance-2d.ts';
import { assignLevels, countSacrumSegments, type SegmentCues } from './level-count.ts';
import { DEFAULT_SPINE_CT_SETTINGS, type SpineCtSettings } from './options.ts';
import { separateVertebrae, segmentRanges } from './separate-vertebrae.ts';
import { labelsToInputGrid } from './to-input-grid.ts';
import type { DiscModel, LabelLegend, LevelCount, PlaneLps, SpineModel, SpineStatus, VertebraModel } from './types.ts';
import { buildWorkGrid, chooseWorkingSpacing, gridToWorld, OUTSIDE_HU, type WorkGrid } from './working-grid.ts';

export interface SegmentSpineCtOptions {
  /** A CT volume in HU (`units: 'HU'`). */
  readonly volume: Volume;
  readonly settings?: Partial<SpineCtSettings>;
  readonly onProgress?: (fraction: number, stage: string) => void;
}

export interface SegmentSpineCtResult {
  readonly model: SpineModel;
  /** Label map on the input's grid (vocabulary values); absent when no spine was found. */
  readonly labels?: Volume;
  readonly legend: LabelLegend;
  /** Seconds per stage, for the benchmark. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Attached bone this large (ml per side) is an ilium, not a rib (a lower rib is ~10–25 ml). */
const ILIUM_MIN_ML = 40;

const EMPTY_COUNT: LevelCount = { labels: [], confidence: 0, verified: false, cues: [], reasons: [], pattern: 'unknown' };

function emptyResult(status: SpineStatus, message: string, timings: Record<string, number>): SegmentSpineCtResult {
  return {
    model: {
      schemaVersion: 1, space: 'LPS', units: 'mm', status, message, vertebrae: [], discs: [], canal: { centreline: [] }, bodyCentreline: [],
      levelCount: { ...EMPTY_COUNT, reasons: [message] },
    },
    legend: { labels: [] },
    timings,
  };
}

export function segmentSpineCt(options: SegmentSpineCtOptions): SegmentSpineCtResult {
  const settings: SpineCtSettings = { ...DEFAULT_SPINE_CT_SETTINGS, ...options.settings };
  const progress = options.onProgress ?? (() => undefined);
  const { volume } = options;
  const timings: Record<string, number> = {};
  let clock = Date.now();
  const lap = (stage: string): void => {
    const now = Date.now();
    timings[stage] = (now - clock) / 1000;
    clock = now;
  };
  if (volume.units !== 'HU') {
    return emptyResult('unsupported-modality', `the volume's voxels are ${volume.units}, not HU: the spine segmentation reads CT only for now (MR is planned)`, timings);
  }
  const extentMm = volume.size.map((n, a) => n * volume.spacing[a]!);
  if (volume.size.some((n) => n < 3) || Math.max(...extentMm) < 60) {
    return emptyResult('insufficient-coverage', `the volume (${volume.size.join('×')} voxels) is too thin to hold a spine: give a CT stack that covers at least two vertebrae`, timings);
  }
  progress(0, 'working grid');
  const grid = buildWorkGrid(volume, chooseWorkingSpacing(volume, settings.workingSpacingMm));
  lap('resample');
  progress(0.15, 'bone');
  const { bone } = buildBoneMask({ grid, boneHu: settings.boneHu, holeFillMinHu: settings.holeFillMinHu, holeFillMaxAreaMm2: settings.holeFillMaxAreaMm2 });
  fillEnclosedBone(grid, bone, settings.holeFillMinHu, 25);
  const radius = sliceDistance(grid, bone);
  lap('bone');
  progress(0.3, 'centre line');
  const centreline = trackBodyCentreline({ grid, radius, bodyMinRadiusMm: settings.bodyMinRadiusMm, trackWindowMm: settings.trackWindowMm, trackMaxGapMm: settings.trackMaxGapMm });
  if (centreline === undefined) return emptyResult('no-spine', 'no spine found: no column of vertebral bodies in this CT', timings);
  const profile = buildColumnProfile({ grid, bone, centreline, profileRadiusMm: settings.profileRadiusMm, minVertebraMm: settings.minVertebraMm });
  lap('centreline');
  if (profile.discs.length === 0) {
    return emptyResult('insufficient-coverage', 'no intervertebral disc found along the bone column: the image covers less than two vertebrae, or holds no spine', timings);
  }
  progress(0.4, 'vertebrae');
  const ranges = segmentRanges(profile);
  const gaps = findJointGaps({ grid, bone });
  const growable = bone.slice();
  for (let o = 0; o < growable.length; o++) if (gaps[o]) growable[o] = 0;
  const { segment, axisI } = separateVertebrae({
    grid, bone: growable, profile, ranges, lateralLimitMm: settings.lateralLimitMm, sacrumLateralLimitMm: settings.sacrumLateralLimitMm, radius, caudalMayBeSacrum: true,
    posteriorCranialStepCost: settings.posteriorCranialStepCost, posteriorCaudalStepCost: settings.posteriorCaudalStepCost, posteriorBiasFromMm: settings.posteriorBiasFromMm, posteriorCaudalHalfWidthMm: settings.posteriorCaudalHalfWidthMm, slabGrowthMm: settings.bodySlabGrowthMm, slabHalfWidthMm: settings.bodySlabHalfWidthMm,
  });
  fillEnclosedMarrow({ grid, segment, minHu: settings.holeFillMinHu, reachMm: 45 });
  fillLabelHoles({ grid, segment, labelCount: ranges.length });
  lap('separate');
  progress(0.6, 'ribs and pelvis');
  const attached = findAttachedBone({ grid, bone, segment, segmentCount: ranges.length, axisI });
  const iliac = attached.map((a) => a.reachMm.left >= settings.ribReachMm && a.reachMm.right >= settings.ribReachMm && a.volumeMl.left >= ILIUM_MIN_ML && a.volumeMl.right >= ILIUM_MIN_ML);
  // Lateral bone that touches an ilium's (the iliac crest beside L5) is pelvis, not a rib.
  const nearIlium = attached.map((a) => [...a.touches].some((label) => iliac[label - 1] === true));
  const cues: SegmentCues[] = attached.map((a, s) => ({
    iliacAttached: iliac[s]!,
    ribLeft: !nearIlium[s] && a.reachMm.left >= settings.ribReachMm,
    ribRight: !nearIlium[s] && a.reachMm.right >= settings.ribReachMm,
  }));
  const sacrumSegments = countSacrumSegments(cues);
  // Merge the sacrum's segments (a remnant S1–S2 disc may split it) into segment 1.
  if (sacrumSegments > 1) for (let o = 0; o < segment.length; o++) if (segment[o]! > 0 && segment[o]! <= sacrumSegments) segment[o] = 1;
  let castellvi;
  if (sacrumSegments > 0 && sacrumSegments < ranges.length) {
    const range = ranges[sacrumSegments]!;
    const mid = profile.samples[Math.round((range.first + range.last) / 2)]!;
    castellvi = classifyCastellvi({
      grid, segment, vertebraLabel: sacrumSegments + 1, sacrumLabel: 1, vertebraName: 'last presacral', axisI, tangent: mid.tangent,
      transverseHeightMm: settings.castellviTransverseHeightMm, contactMm: settings.castellviContactMm,
      bone, ...discPlaneBetween(profile, sacrumSegments - 1),
    });
  }
  const discHeights = profile.discs.map((run) => profile.samples[run.last]!.s - profile.samples[run.first]!.s + grid.w);
  const assignment = assignLevels({ segments: cues, discHeightsMm: discHeights, useLastRibCue: settings.useLastRibCue, ...(castellvi !== undefined ? { castellvi } : {}) });
  lap('cues');
  if (assignment === undefined) {
    return emptyResult('insufficient-coverage', `${ranges.length} vertebrae found but neither the sacrum nor a rib: the levels cannot be named; extend the scan to the sacrum or the lower ribs`, timings);
  }
  const names = assignment.names;
  const castellviNamed = castellvi !== undefined ? { ...castellvi, vertebra: names[1] ?? castellvi.vertebra } : undefined;
  const count: LevelCount = castellviNamed !== undefined ? { ...assignment.count, castellvi: castellviNamed } : assignment.count;
  // Segment label (1-based, after the merge) → index into `names`.
  const nameOfSegment = (label: number): string => names[label <= sacrumSegments ? 0 : label - Math.max(0, sacrumSegments - 1) - 1]!;
  progress(0.7, 'discs');
  const labels = new Uint16Array(segment.length);
  for (let o = 0; o < segment.length; o++) if (segment[o]) labels[o] = LABELS[nameOfSegment(segment[o]!) as LabelName];
  const s1Value = settings.splitS1Segment && sacrumSegments > 0 && names[0] === 'sacrum' ? splitS1(grid, labels, profile, ranges, sacrumSegments, axisI, settings.s1SegmentHalfWidthMm) : undefined;
  // Discs between named segments (not those inside the merged sacrum).
  const keptRuns = profile.discs.map((run, d) => ({ run, d })).filter(({ d }) => d >= Math.max(0, sacrumSegments - 1));
  const discNames = keptRuns.map(({ d }) => {
    const lower = nameOfSegment(d + 1 <= sacrumSegments ? 1 : d + 1);
    const upper = nameOfSegment(d + 2);
    return { name: discName(upper, lower), upper, lower };
  });
  const discLabels = discNames.map((n) => LABELS[n.name as LabelName] as number | undefined);
  const paintable = keptRuns.filter((_, n) => discLabels[n] !== undefined);
  const discProfile: ColumnProfile = { samples: profile.samples, discs: paintable.map((k) => k.run) };
  const discGeometry = paintDiscs({ grid, bone, profile: discProfile, discLabels: discLabels.filter((v): v is number => v !== undefined), labels, discMinHu: settings.discMinHu, boneHu: settings.boneHu });
  lap('discs');
  progress(0.8, 'model');
  const world = (g: Vec3): Vec3 => gridToWorld(grid, g[0], g[1], g[2]);
  const plane = (t: number): PlaneLps => ({ point: world(profile.samples[t]!.g), normal: profile.samples[t]!.tangent });
  const stats = labelStats(grid, labels);
  const vertebrae: VertebraModel[] = [];
  for (let n = names.length - 1; n >= 0; n--) {
    const name = names[n]!;
    const value = LABELS[name as LabelName];
    const first = n === 0 ? 0 : sacrumSegments + n - 1;
    const range = n === 0 && sacrumSegments > 0 ? { first: ranges[0]!.first, last: ranges[sacrumSegments - 1]!.last } : ranges[first]!;
    const below = n === 0 ? undefined : profile.discs[first - 1];
    const above = profile.discs[n === 0 ? sacrumSegments - 1 : first];
    const st = stats.get(value) ?? (s1Value !== undefined && n === 0 ? stats.get(s1Value) : undefined);
    const att = attached[n === 0 ? 0 : first]!;
    const thoracic = assignment.thoracic[n]!;
    vertebrae.push({
      name,
      label: value,
      centroid: st !== undefined ? st.centroid : world(profile.samples[Math.round((range.first + range.last) / 2)]!.g),
      bodyCentre: world(profile.samples[Math.round((range.first + range.last) / 2)]!.g),
      ...(above !== undefined ? { superiorEndplate: plane(above.first) } : {}),
      ...(below !== undefined ? { inferiorEndplate: plane(below.last) } : {}),
      volumeMl: (st?.count ?? 0) * grid.w ** 3 / 1000 + (s1Value !== undefined && n === 0 ? (stats.get(s1Value)?.count ?? 0) * grid.w ** 3 / 1000 : 0),
      complete: st !== undefined && !st.touchesEdge,
      ribs: { left: cues[n === 0 ? 0 : first]!.ribLeft && !cues[n === 0 ? 0 : first]!.iliacAttached, right: cues[n === 0 ? 0 : first]!.ribRight && !cues[n === 0 ? 0 : first]!.iliacAttached, reachMm: att.reachMm },
      labelVerified: count.verified && !thoracic,
    });
  }
  const discs: DiscModel[] = discGeometry.map((g, n) => {
    const info = discNames.filter((_, m) => discLabels[m] !== undefined)[n]!;
    return {
      name: info.name, label: LABELS[info.name as LabelName], upper: info.upper, lower: info.lower,
      centre: world(g.centre), midPlane: { point: world(g.centre), normal: g.normal }, heightMm: g.heightMm, volumeMl: (g.voxels * grid.w ** 3) / 1000,
    };
  }).reverse();
  const canal = { centreline: traceCanal(grid, bone, profile) };
  const bodyCentreline = [...profile.samples].reverse().filter((_, t) => t % Math.max(1, Math.round(3 / grid.w)) === 0).map((s) => world(s.g));
  lap('model');
  progress(0.85, 'label map');
  const boneLabels = new Set<number>(vertebrae.map((v) => v.label));
  if (s1Value !== undefined) boneLabels.add(s1Value);
  const labelMap = labelsToInputGrid({ grid, labels, input: volume, boneHu: settings.boneHu, surfaceHu: settings.surfaceHu, boneLabels });
  paintDiscsOnInput({ input: volume, labels: labelMap.data, discs: discGeometry, grid, discMinHu: settings.discMinHu, discMaxHu: settings.surfaceHu });
  lap('label map');
  const present = new Set<number>();
  for (let o = 0; o < labelMap.data.length; o++) present.add(labelMap.data[o]!);
  present.delete(0);
  const legend: LabelLegend = { labels: [...present].sort((a, b) => a - b).map((value) => ({ value, name: labelName(value) ?? `label_${value}` })) };
  progress(1, 'done');
  const message = count.verified
    ? `${vertebrae.length} vertebrae labelled ${count.labels[0]}–${count.labels[count.labels.length - 1]}; lumbosacral numbering verified by the sacrum and the last rib pair`
    : `${vertebrae.length} vertebrae labelled ${count.labels[0]}–${count.labels[count.labels.length - 1]}; numbering NOT verified: ${count.reasons[0] ?? 'cues incomplete'} — a person must confirm the levels`;
  return {
    model: { schemaVersion: 1, space: 'LPS', units: 'mm', status: 'ok', message, vertebrae, discs, canal, bodyCentreline, levelCount: count },
    labels: labelMap,
    legend,
    timings,
  };
}

interface LabelStat {
  count: number;
  centroid: Vec3;
  touchesEdge: boolean;
}

function labelStats(grid: WorkGrid, labels: Uint16Array): Map<number, LabelStat> {
  const { nx, ny, nz } = grid;
  const acc = new Map<number, { n: number; x: number; y: number; z: number; edge: boolean }>();
  let o = 0;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, o++) {
    const v = labels[o]!;
    if (v === 0) continue;
    let a = acc.get(v);
    if (a === undefined) {
      a = { n: 0, x: 0, y: 0, z: 0, edge: false };
      acc.set(v, a);
    }
    a.n++;
    a.x += i;
    a.y += j;
    a.z += k;
    if (k === 0 || k === nz - 1 || j === 0 || j === ny - 1 || i === 0 || i === nx - 1) a.edge = true;
    else if (grid.hu[o - nx * ny] === OUTSIDE_HU || grid.hu[o + nx * ny] === OUTSIDE_HU) a.edge = true;
  }
  const out = new Map<number, LabelStat>();
  for (const [v, a] of acc) out.set(v, { count: a.n, centroid: gridToWorld(grid, a.x / a.n, a.y / a.n, a.z / a.n), touchesEdge: a.edge });
  return out;
}

/**
 * TotalSegmentator-style S1: the part of the sacrum within one vertebral body height (that of the
 * vertebra above) below the S1 endplate, measured along the column axis, and within `halfWidthMm` of the
 * axis (TotalSegmentator's `vertebrae_S1` on the real CT spans ~60 mm across, the sacrum ~120 mm: its S1 is
 * the body and arch, not the alae); relabelled `S1`.
 */
function splitS1(
  grid: WorkGrid, labels: Uint16Array, profile: ColumnProfile, ranges: readonly { first: number; last: number }[], sacrumSegments: number, axisI: Float64Array, halfWidthMm: number,
): number | undefined {
  const disc = profile.discs[sacrumSegments - 1];
  const above = ranges[sacrumSegments];
  if (disc === undefined || above === undefined) return undefined;
  const top = profile.samples[disc.first]!;
  const height = profile.samples[above.last]!.s - profile.samples[above.first]!.s;
  const t = top.tangent;
  const { nx, ny } = grid;
  const depth = (i: number, j: number, k: number): number => ((i - top.g[0]) * t[0] + (j - top.g[1]) * t[1] + (k - top.g[2]) * t[2]) * grid.w;
  // The band is centred on the sacrum's own mid-line, found by mean shift (the mean offset from the axis
  // of the sacrum's voxels within the band, three times): the body centre line's inscribed-circle centre
  // sat 4–5 mm to one side of the S1 segment's middle on the real CT (dark marrow on one side of the body).
  let shift = 0;
  for (let round = 0; round < 3; round++) {
    let sum = 0, count = 0, o = 0;
    for (let k = 0; k < grid.nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, o++) {
      if (labels[o] !== LABELS.sacrum) continue;
      const di = i - axisI[k]!;
      if (Math.abs(di - shift) * grid.w > halfWidthMm || depth(i, j, k) < -height) continue;
      sum += di;
      count++;
    }
    if (count > 0) shift = sum / count;
  }
  let o = 0;
  for (let k = 0; k < grid.nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, o++) {
    if (labels[o] !== LABELS.sacrum) continue;
    if (depth(i, j, k) >= -height && Math.abs(i - axisI[k]! - shift) * grid.w <= halfWidthMm) labels[o] = LABELS.S1;
  }
  return LABELS.S1;
}

/** Centre (grid coordinates) and cranial normal of a disc run, from the line joining the two bodies' middles. */
function discPlaneBetween(profile: ColumnProfile, index: number): { discCentre?: Vec3; discNormal?: Vec3 } {
  const run = profile.discs[index];
  if (run === undefined) return {};
  const samples = profile.samples;
  const a = samples[run.first]!.g, b = samples[run.last]!.g;
  const lo = samples[Math.max(0, run.first - 8)]!.g, hi = samples[Math.min(samples.length - 1, run.last + 8)]!.g;
  const d: Vec3 = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
  const len = Math.hypot(d[0], d[1], d[2]) || 1;
  return { discCentre: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2], discNormal: [d[0] / len, d[1] / len, d[2] / len] };
}
