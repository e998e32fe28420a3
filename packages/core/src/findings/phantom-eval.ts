import type { DiscHerniationFinding } from '../clinical/findings.ts';
import { LABELS } from '../phantom/vocabulary.ts';
import type { PathologyOption, PathologyRecord, SpineScene } from '../phantom/anatomy/types.ts';
import { meyerding } from './grades.ts';
import { planeSection } from './plane-section.ts';
import type { FindingsResult } from './types.ts';
import type { Volume } from '../volume/volume.ts';
import type { PlaneLps } from '../spine/types.ts';

/**
 * Truth size of a herniation: the largest of its extents across (tangent to the disc outline) and craniocaudal (along
 * the disc normal), measured on the phantom's own herniation label the way the findings measure displaced material.
 */
export function truthHerniationSize(labels: Volume, label: number, plane: PlaneLps): number {
  const [ni, nj, nk] = labels.size;
  const m = labels.indexToWorld;
  const pts: number[] = [];
  for (let k = 0, idx = 0; k < nk; k++) for (let j = 0; j < nj; j++) for (let i = 0; i < ni; i++, idx++) {
    if (labels.data[idx] !== label) continue;
    pts.push(m[0] * i + m[1] * j + m[2] * k + m[3], m[4] * i + m[5] * j + m[6] * k + m[7], m[8] * i + m[9] * j + m[10] * k + m[11]);
  }
  if (pts.length === 0) return NaN;
  const n = plane.normal;
  let cx = 0, cy = 0, cz = 0;
  for (let q = 0; q < pts.length; q += 3) {
    cx += pts[q]!; cy += pts[q + 1]!; cz += pts[q + 2]!;
  }
  const count = pts.length / 3;
  const d = [cx / count - plane.point[0], cy / count - plane.point[1], cz / count - plane.point[2]];
  const dn = d[0]! * n[0] + d[1]! * n[1] + d[2]! * n[2];
  const out = [d[0]! - dn * n[0], d[1]! - dn * n[1], d[2]! - dn * n[2]];
  const ol = Math.hypot(out[0]!, out[1]!, out[2]!) || 1;
  const o = [out[0]! / ol, out[1]! / ol, out[2]! / ol];
  const t = [n[1] * o[2]! - n[2] * o[1]!, n[2] * o[0]! - n[0] * o[2]!, n[0] * o[1]! - n[1] * o[0]!];
  let tMin = Infinity, tMax = -Infinity, wMin = Infinity, wMax = -Infinity;
  for (let q = 0; q < pts.length; q += 3) {
    const tv = pts[q]! * t[0]! + pts[q + 1]! * t[1]! + pts[q + 2]! * t[2]!;
    const wv = pts[q]! * n[0] + pts[q + 1]! * n[1] + pts[q + 2]! * n[2];
    tMin = Math.min(tMin, tv); tMax = Math.max(tMax, tv); wMin = Math.min(wMin, wv); wMax = Math.max(wMax, wv);
  }
  const pad = Math.min(labels.spacing[0], labels.spacing[1], labels.spacing[2]);
  return Math.max(tMax - tMin, wMax - wMin) + pad;
}

/**
 * The findings step against the phantom's truth: pathology drawn from a seed, and a comparison of what
 * `findingsFromLabelMap` reported with what the phantom contains (its `pathology` records and its analytic
 * anatomy). Pure: the caller generates the phantom and runs the findings.
 */

/** Small deterministic PRNG (mulberry32), local to each call. */
function random(seed: number): () => number {
  let a = (seed * 2654435761) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISCS = ['L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-S1'] as const;

/**
 * Pathology for a seed: one herniation (level, zone, side, type, size, sometimes migration) and, for most seeds, one
 * more of central stenosis, spondylolisthesis or a compression fracture at another level. Slips and height losses are
 * drawn inside their grade bands, away from the boundaries (a grade is exact only away from its edges).
 */
export function phantomEvalPathology(seed: number): PathologyOption[] {
  const r = random(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.min(list.length - 1, Math.floor(r() * list.length))]!;
  const level = pick(DISCS);
  const zone = pick(['central', 'subarticular', 'foraminal', 'extraforaminal'] as const);
  const side = pick(['left', 'right'] as const);
  const type = pick(['protrusion', 'extrusion', 'sequestration'] as const);
  const sizeMm = type === 'protrusion' ? 6 + 4 * r() : 8 + 4 * r();
  const migrate = type !== 'protrusion' && r() < 0.4;
  const herniation: PathologyOption = {
    kind: 'disc-herniation', level, zone, type, sizeMm,
    ...(zone !== 'central' ? { side } : {}),
    ...(migrate ? { migration: { direction: pick(['up', 'down'] as const), grade: pick(['low', 'high'] as const) } } : {}),
  };
  const out: PathologyOption[] = [herniation];
  const extra = r();
  const otherDisc = pick(DISCS.filter((d) => d !== level));
  if (extra < 0.25) out.push({ kind: 'central-stenosis', level: otherDisc, grade: pick(['mild', 'moderate', 'severe'] as const) });
  else if (extra < 0.5) out.push({ kind: 'spondylolisthesis', level: otherDisc, slipPercent: pick([12, 37, 62]) + (r() - 0.5) * 12 });
  else if (extra < 0.75) {
    const band = pick([[21, 24], [28, 37], [46, 60]] as const);
    out.push({ kind: 'compression-fracture', level: pick(['L1', 'L2', 'L3', 'L4']), heightLossPercent: band[0] + r() * (band[1] - band[0]), shape: pick(['wedge', 'crush'] as const) });
  }
  return out;
}

export interface PhantomEvalRow {
  readonly seed: number;
  readonly clean: boolean;
  readonly herniation?: {
    readonly level: string;
    readonly found: boolean;
    readonly sideOk: boolean;
    readonly zoneOk: boolean;
    readonly typeOk: boolean;
    readonly sizeErrorMm: number;
    readonly truth: string;
    readonly measured: string;
  };
  /** Herniation findings (not bulges) at levels where the phantom has none. */
  readonly falseHerniations: number;
  /** Per disc: measured dural-sac area and the truth area of the phantom's analytic sac on the same plane. */
  readonly sacAreas: ReadonlyArray<{ readonly level: string; readonly measured: number; readonly truth: number }>;
  readonly slip?: { readonly truthPercent: number; readonly measuredPercent: number | undefined; readonly gradeOk: boolean };
  /** Compression fracture: the seeded loss, Genant's reduction and grade (the truth), and what was measured. */
  readonly fracture?: { readonly level: string; readonly seededPercent: number; readonly truthPercent: number; readonly truthGrade: 0 | 1 | 2 | 3; readonly measuredPercent: number | undefined; readonly measuredGrade: 0 | 1 | 2 | 3 | undefined; readonly gradeOk: boolean };
  readonly stenosis?: { readonly level: string; readonly truth: string; readonly measured: string };
  /** Every finding kind@level reported (for the clean phantoms' false-positive rate). */
  readonly reported: readonly string[];
}

const SAC = new Set<number>([LABELS.dural_sac, LABELS.cauda_equina, LABELS.spinal_cord, LABELS.conus]);

export function evaluatePhantomFindings(options: { seed: number; scene: SpineScene; pathology: readonly PathologyRecord[]; result: FindingsResult; labels: Volume; clean: boolean }): PhantomEvalRow {
  const { scene, pathology, result } = options;
  const findings = result.findings.findings;
  const hern = pathology.find((p) => p.kind === 'disc-herniation');
  const herniations = findings.filter((f): f is DiscHerniationFinding => f.kind === 'disc-herniation' && f.type !== 'bulge');
  let herniation: PhantomEvalRow['herniation'];
  if (hern?.kind === 'disc-herniation') {
    const at = herniations.filter((f) => f.level === hern.level).sort((a, b) => (b.sizeMm ?? 0) - (a.sizeMm ?? 0))[0];
    const disc = result.discs.find((d) => d.name === hern.level);
    const truthSize = disc?.midPlane !== undefined ? truthHerniationSize(options.labels, hern.label, disc.midPlane) : Math.max(hern.sizeMm.lateral, hern.sizeMm.craniocaudal);
    herniation = {
      level: hern.level,
      found: at !== undefined,
      sideOk: at !== undefined && at.side === hern.side,
      zoneOk: at !== undefined && at.zone === hern.zone,
      typeOk: at !== undefined && at.type === hern.type,
      sizeErrorMm: at?.sizeMm !== undefined ? at.sizeMm - truthSize : NaN,
      truth: `${hern.type} ${hern.zone}${hern.aimedZone !== hern.zone ? ` (aimed ${hern.aimedZone})` : ''} ${hern.side} ${truthSize.toFixed(1)}${hern.migration ? ` mig ${hern.migration.direction} ${hern.migration.grade}` : ''}${hern.zoneGeometry !== null && hern.zone !== 'central' ? ` [mat ${hern.zoneGeometry.materialOffsetMm.toFixed(1)} ped ${hern.zoneGeometry.pedicleMedialMm.toFixed(1)}–${hern.zoneGeometry.pedicleLateralMm.toFixed(1)}]` : ''}`,
      measured: at === undefined ? '—' : `${at.type} ${at.zone} ${at.side} ${at.sizeMm?.toFixed(1)}${at.migration ? ` mig ${at.migration.direction} ${at.migration.grade}` : ''}${zoneDetail(result, hern.level)}`,
    };
  }
  const falseHerniations = herniations.filter((f) => f.level !== hern?.level).length;

  const sacAreas = result.discs.flatMap((d) => {
    if (d.duralSacArea === undefined || d.midPlane === undefined || d.canalCentre === undefined) return [];
    // The phantom's analytic sac, classified on the same plane and grid as the measurement.
    const n = d.midPlane.normal;
    const y = [0, 1, 0] as const;
    const dotYN = y[1] * n[1];
    const pRaw = [-dotYN * n[0], 1 - dotYN * n[1], -dotYN * n[2]] as const;
    const pl = Math.hypot(pRaw[0], pRaw[1], pRaw[2]);
    const p = [pRaw[0] / pl, pRaw[1] / pl, pRaw[2] / pl] as const;
    const left = [p[1] * n[2] - p[2] * n[1], p[2] * n[0] - p[0] * n[2], p[0] * n[1] - p[1] * n[0]] as const;
    const o = d.canalCentre;
    const section = planeSection({ origin: o, frame: { superior: n, posterior: p, left }, u: [-20, 20], v: [-20, 20], step: 0.25, test: (q) => SAC.has(scene.classify(q).label), near: [0, 0] });
    return section === undefined ? [] : [{ level: d.name, measured: d.duralSacArea.value, truth: section.area }];
  });

  const slipTruth = pathology.find((p) => p.kind === 'spondylolisthesis');
  let slip: PhantomEvalRow['slip'];
  if (slipTruth?.kind === 'spondylolisthesis') {
    const measured = result.discs.find((d) => d.name === slipTruth.level)?.slip?.value;
    const reported = findings.find((f) => f.kind === 'spondylolisthesis' && f.level === slipTruth.level);
    slip = { truthPercent: slipTruth.slipPercent, measuredPercent: measured, gradeOk: reported?.kind === 'spondylolisthesis' && reported.meyerding === meyerding(slipTruth.slipPercent) };
  }
  const fractureTruth = pathology.find((p) => p.kind === 'compression-fracture');
  let fracture: PhantomEvalRow['fracture'];
  if (fractureTruth?.kind === 'compression-fracture') {
    const v = result.vertebrae.find((x) => x.name === fractureTruth.level);
    // The truth grade is Genant's, from the exact heights against the adjacent vertebrae's (the phantom's `genant`); the
    // seeded loss (against the body's own pre-fracture height) is shown beside it.
    fracture = {
      level: fractureTruth.level,
      seededPercent: fractureTruth.heightLossPercent,
      truthPercent: fractureTruth.genant.reductionPercent,
      truthGrade: fractureTruth.genant.grade,
      measuredPercent: v?.heightLoss?.value,
      measuredGrade: v?.genantGrade,
      gradeOk: (v?.genantGrade ?? 0) === fractureTruth.genant.grade,
    };
  }
  const stenosisTruth = pathology.find((p) => p.kind === 'central-stenosis');
  let stenosis: PhantomEvalRow['stenosis'];
  if (stenosisTruth?.kind === 'central-stenosis') {
    const f = findings.find((x) => x.kind === 'central-stenosis' && x.level === stenosisTruth.level);
    stenosis = { level: stenosisTruth.level, truth: stenosisTruth.grade, measured: f?.kind === 'central-stenosis' ? f.lurie ?? '?' : 'none' };
  }
  return {
    seed: options.seed,
    clean: options.clean,
    ...(herniation !== undefined ? { herniation } : {}),
    falseHerniations,
    sacAreas,
    ...(slip !== undefined ? { slip } : {}),
    ...(fracture !== undefined ? { fracture } : {}),
    ...(stenosis !== undefined ? { stenosis } : {}),
    reported: findings.map((f) => `${f.kind}@${f.level}`),
  };
}

export interface PhantomEvalSummary {
  readonly cases: number;
  readonly herniations: number;
  readonly levelRate: number;
  readonly sideRate: number;
  readonly zoneRate: number;
  readonly typeRate: number;
  readonly sizeWithin15Rate: number;
  readonly falseHerniations: number;
  readonly sacWithin10Rate: number;
  readonly sacWorstPercent: number;
  readonly slipGradeRate: number;
  readonly fractureGradeRate: number;
  readonly cleanCases: number;
  readonly cleanWithFindingRate: number;
}

export function summarisePhantomEval(rows: readonly PhantomEvalRow[]): PhantomEvalSummary {
  const h = rows.flatMap((r) => (r.herniation !== undefined ? [r.herniation] : []));
  const rate = (xs: boolean[]): number => (xs.length === 0 ? NaN : xs.filter(Boolean).length / xs.length);
  const sac = rows.flatMap((r) => r.sacAreas.map((s) => Math.abs(s.measured - s.truth) / s.truth));
  const clean = rows.filter((r) => r.clean);
  return {
    cases: rows.length,
    herniations: h.length,
    levelRate: rate(h.map((x) => x.found)),
    sideRate: rate(h.map((x) => x.sideOk)),
    zoneRate: rate(h.map((x) => x.zoneOk)),
    typeRate: rate(h.map((x) => x.typeOk)),
    sizeWithin15Rate: rate(h.map((x) => Math.abs(x.sizeErrorMm) <= 1.5)),
    falseHerniations: rows.reduce((a, r) => a + r.falseHerniations, 0),
    sacWithin10Rate: rate(sac.map((e) => e <= 0.1)),
    sacWorstPercent: sac.length === 0 ? NaN : 100 * Math.max(...sac),
    slipGradeRate: rate(rows.flatMap((r) => (r.slip !== undefined ? [r.slip.gradeOk] : []))),
    fractureGradeRate: rate(rows.flatMap((r) => (r.fracture !== undefined ? [r.fracture.gradeOk] : []))),
    cleanCases: clean.length,
    cleanWithFindingRate: rate(clean.map((r) => r.reported.length > 0)),
  };
}

export function formatPhantomEval(rows: readonly PhantomEvalRow[]): string {
  const lines = ['seed  clean | herniation truth → measured (size err)                     | other truth → measured | sac worst % | reported'];
  for (const r of rows) {
    const h = r.herniation;
    const hs = h === undefined ? '—' : `${h.level} ${h.truth} → ${h.measured} (${Number.isFinite(h.sizeErrorMm) ? h.sizeErrorMm.toFixed(1) : '—'})${h.found && h.sideOk && h.zoneOk && h.typeOk ? '' : ' ✗'}`;
    const other = r.slip !== undefined
      ? `slip ${r.slip.truthPercent.toFixed(0)}% → ${r.slip.measuredPercent?.toFixed(0) ?? '—'}%${r.slip.gradeOk ? '' : ' ✗'}`
      : r.fracture !== undefined
        ? `fracture ${r.fracture.level} seeded ${r.fracture.seededPercent.toFixed(1)}%, Genant ${r.fracture.truthPercent.toFixed(1)}% g${r.fracture.truthGrade} → ${r.fracture.measuredPercent?.toFixed(1) ?? '—'}% g${r.fracture.measuredGrade ?? '—'}${r.fracture.gradeOk ? '' : ' ✗'}`
        : r.stenosis !== undefined
          ? `stenosis ${r.stenosis.level} ${r.stenosis.truth} → ${r.stenosis.measured}`
          : '—';
    const worst = r.sacAreas.length === 0 ? NaN : 100 * Math.max(...r.sacAreas.map((s) => Math.abs(s.measured - s.truth) / s.truth));
    lines.push(`${String(r.seed).padStart(4)}  ${r.clean ? 'yes  ' : 'no   '} | ${hs.padEnd(60)} | ${other.padEnd(22)} | ${worst.toFixed(1).padStart(5)} | ${r.reported.join(' ')}${r.falseHerniations > 0 ? ` (${r.falseHerniations} false herniation)` : ''}`);
  }
  const s = summarisePhantomEval(rows);
  lines.push(
    `\n${s.cases} phantoms (${s.cleanCases} pathology-free): herniation level ${pct(s.levelRate)}, side ${pct(s.sideRate)}, zone ${pct(s.zoneRate)}, type ${pct(s.typeRate)}, size within 1.5 mm ${pct(s.sizeWithin15Rate)}, false herniations ${s.falseHerniations}; ` +
      `dural sac within 10% ${pct(s.sacWithin10Rate)} (worst ${s.sacWorstPercent.toFixed(1)}%); Meyerding exact ${pct(s.slipGradeRate)}; Genant exact ${pct(s.fractureGradeRate)}; pathology-free with a finding ${pct(s.cleanWithFindingRate)}`,
  );
  return lines.join('\n');
}

function zoneDetail(result: FindingsResult, level: string): string {
  const d = result.discs.find((x) => x.name === level);
  const v = result.vertebrae.find((x) => x.name === d?.upper);
  const h = d?.herniation;
  if (h === undefined || v?.pedicles === undefined) return '';
  const ped = (h.materialOffsetMm ?? h.lateralOffsetMm ?? 0) >= 0 ? v.pedicles.left : v.pedicles.right;
  return ` [mat ${h.materialOffsetMm?.toFixed(1)} base ${h.lateralOffsetMm?.toFixed(1)} ped ${ped?.medialMm.toFixed(1)}–${ped?.lateralMm.toFixed(1)}]`;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '—');
