import type { CorrelationResult } from '../clinical/correlate.ts';
import type { ImagingFinding } from '../clinical/findings.ts';
import type { FindingsResult } from '../findings/types.ts';
import type { ReportKeyImage } from './key-images.ts';

/**
 * The findings report as data: what the HTML and PDF renderers lay out. Built once, rendered twice, so both say the
 * same thing. Clinical text cites the source tags of `/work/shared/clinical-reference.md` that the findings step used.
 */

/** Keyhole's decision-support statement (issue 6): on every page of every report. */
export const DISCLAIMER = 'Keyhole supports decisions and does not replace clinical judgement.';

export interface ReportHeaderInput {
  readonly patientName?: string;
  readonly patientId?: string;
  readonly birthDate?: string;
  readonly sex?: string;
  readonly studyDate?: string;
  readonly studyDescription?: string;
  readonly accessionNumber?: string;
  readonly modality?: string;
  /** Where the image came from (a file or series description). */
  readonly source?: string;
}

export interface BuildFindingsReportOptions {
  readonly result: FindingsResult;
  readonly keyImages: readonly ReportKeyImage[];
  readonly correlation?: CorrelationResult;
  readonly header?: ReportHeaderInput;
  /** Leave out name, ID, birth date and accession (DICOM PS3.15 basic profile's direct identifiers); keep sex and study date. */
  readonly deidentify?: boolean;
  /** When the report was made (ISO 8601): passed in, so the same input gives the same report. */
  readonly generatedAt: string;
  /** Software name and version for the footer. */
  readonly software?: string;
  /** Where the DICOM SR / SEG of these findings were written (listed in the report). */
  readonly structuredOutputs?: ReadonlyArray<{ readonly kind: string; readonly path: string; readonly uid?: string }>;
}

export interface FindingRow {
  readonly level: string;
  readonly finding: string;
  readonly grade: string;
  readonly measurement: string;
  readonly source: string;
  readonly confidence: string;
  readonly review: boolean;
}

export interface LevelRow {
  readonly level: string;
  readonly cells: readonly string[];
}

export interface FindingsReport {
  readonly title: string;
  readonly header: ReadonlyArray<readonly [string, string]>;
  readonly deidentified: boolean;
  readonly disclaimer: string;
  /** One line for the footer of every page. */
  readonly uncertaintySummary: string;
  /** The full list, on the first page. */
  readonly uncertainties: readonly string[];
  readonly findings: readonly FindingRow[];
  readonly discColumns: readonly string[];
  readonly discs: readonly LevelRow[];
  readonly vertebraColumns: readonly string[];
  readonly vertebrae: readonly LevelRow[];
  readonly correlation?: {
    readonly urgency: string;
    readonly roots: readonly string[];
    readonly candidates: readonly string[];
    readonly concordance: readonly string[];
    readonly notice: string;
  };
  readonly keyImages: readonly ReportKeyImage[];
  /** `DICOM SR (TID 1500): out/sr.dcm, SOP Instance UID …`, one line per object written. */
  readonly structuredOutputs: readonly string[];
  readonly generatedAt: string;
  readonly software: string;
}

const pct = (x: number): string => `${Math.round(100 * x)}%`;
const mm = (x: number | undefined, digits = 1): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/** What each finding says, its grade, its measurement and the source of its rule. */
function describe(f: ImagingFinding): Omit<FindingRow, 'level' | 'confidence' | 'review'> {
  switch (f.kind) {
    case 'disc-herniation':
      return {
        finding: `Disc ${f.type}${f.type === 'bulge' ? '' : ' (herniation)'}, ${f.zone}${f.side !== 'midline' ? ` ${f.side}` : ''}`,
        grade: `${f.type}${f.migration !== undefined ? `, migrated ${f.migration.direction} (${f.migration.grade} grade${f.migration.leeZone !== undefined ? `, Lee zone ${f.migration.leeZone}` : ''})` : ''}`,
        measurement: f.sizeMm !== undefined ? `${mm(f.sizeMm)} mm` : '—',
        source: `[Fardon, Radiopaedia-Nom]${f.migration !== undefined ? ' [Lee2006, LeeZones]' : ''}; nomenclature ${f.nomenclature ?? 'fardon-2014'}`,
      };
    case 'central-stenosis':
      return {
        finding: 'Central canal stenosis',
        grade: `Lurie ${f.lurie ?? '—'}`,
        measurement: `DSCA ${mm(f.duralSacAreaMm2, 0)} mm², AP ${mm(f.apDiameterMm)} mm`,
        source: '[Radiopaedia-LSS, Schönström 1988, Kalichman 2009]',
      };
    case 'lateral-recess-stenosis':
      return { finding: `Lateral recess stenosis ${f.side}`, grade: `Bartynski ${f.bartynski}`, measurement: '—', source: '[Bartynski]' };
    case 'foraminal-stenosis':
      return { finding: `Foraminal stenosis ${f.side}`, grade: f.lee !== undefined ? `Lee ${f.lee}` : f.kim !== undefined ? `Kim ${f.kim}` : '—', measurement: `foraminal height ${mm(f.foraminalHeightMm)} mm, posterior disc height ${mm(f.posteriorDiscHeightMm)} mm`, source: '[Lee2010-AJR, Hasegawa 1995]' };
    case 'spondylolisthesis':
      return { finding: 'Spondylolisthesis', grade: `Meyerding ${f.meyerding ?? '—'}`, measurement: `slip ${mm(f.slipPercent, 0)}%`, source: '[Medscape, Koslosky2020]' };
    case 'disc-degeneration':
      return { finding: 'Disc degeneration', grade: `Pfirrmann ${f.pfirrmann}`, measurement: '—', source: '[Radiopaedia-Pf, MedAlg]' };
    case 'modic':
      return { finding: 'Modic endplate change', grade: `type ${f.type}`, measurement: '—', source: '[SPA, RadGray]' };
    case 'compression-fracture': {
      const grade = /Genant grade (\d)/.exec(f.producedBy ?? '')?.[1];
      return { finding: 'Vertebral compression deformity', grade: grade !== undefined ? `Genant ${grade}` : '—', measurement: `height loss ${mm(f.heightLossPercent, 0)}%`, source: 'Genant 1993 (settings 20/25/40%)' };
    }
    case 'red-flag':
      return { finding: `Red flag: ${f.flag}`, grade: 'for review (not graded)', measurement: f.note ?? '—', source: 'issue 6' };
  }
}

export function buildFindingsReport(options: BuildFindingsReportOptions): FindingsReport {
  const { result } = options;
  const h = options.header ?? {};
  const deidentified = options.deidentify === true;
  const header: Array<[string, string]> = [];
  if (deidentified) header.push(['Patient', 'de-identified']);
  else {
    header.push(['Patient', h.patientName ?? '—']);
    header.push(['Patient ID', h.patientId ?? '—']);
    header.push(['Birth date', h.birthDate ?? '—']);
  }
  header.push(['Sex', h.sex ?? '—']);
  header.push(['Study date', h.studyDate ?? '—']);
  header.push(['Study', h.studyDescription ?? '—']);
  if (!deidentified && h.accessionNumber !== undefined) header.push(['Accession', h.accessionNumber]);
  header.push(['Modality', h.modality ?? '—']);
  if (h.source !== undefined && !deidentified) header.push(['Source', h.source]);
  const numbering = result.findings.numbering;
  header.push(['Level count', numbering === undefined ? 'not supplied (five lumbar assumed)' : `${numbering.lumbarCount} lumbar${numbering.transitional !== undefined ? `, ${numbering.transitional.kind} ${numbering.transitional.vertebra}` : ''}; ${numbering.countVerified ? 'verified from C2' : 'NOT verified from C2'}`]);

  const findings: FindingRow[] = result.findings.findings.map((f) => ({
    level: f.level,
    ...describe(f),
    confidence: pct(f.confidence),
    review: f.needsReview === true,
  }));

  const discColumns = ['Disc', 'Height A/M/P (mm)', 'Angle (°)', 'Slip (%)', 'DSCA (mm²)', 'AP (mm)', 'Area loss (%)'];
  const discs: LevelRow[] = result.discs.map((d) => ({
    level: d.name,
    cells: [
      d.name,
      d.heights !== undefined ? `${mm(d.heights.anterior.value)} / ${mm(d.heights.middle.value)} / ${mm(d.heights.posterior.value)}` : '—',
      mm(d.segmentalAngle?.value),
      mm(d.slip?.value, 0),
      mm(d.duralSacArea?.value, 0),
      mm(d.apDiameter?.value),
      mm(d.areaLoss?.value, 0),
    ],
  }));
  const vertebraColumns = ['Vertebra', 'Height A/M/P (mm)', 'Loss (%)', 'Genant', 'Bone (HU)'];
  const vertebrae: LevelRow[] = result.vertebrae.map((v) => ({
    level: v.name,
    cells: [
      v.name,
      v.heights !== undefined ? `${mm(v.heights.anterior.value)} / ${mm(v.heights.middle.value)} / ${mm(v.heights.posterior.value)}` : '—',
      mm(v.heightLoss?.value, 0),
      v.genantGrade !== undefined ? String(v.genantGrade) : '—',
      mm(v.boneDensity?.value, 0),
    ],
  }));

  const review = findings.filter((f) => f.review).length;
  const uncertainties: string[] = [
    numbering === undefined || !numbering.countVerified
      ? 'Level numbering is not verified by counting from C2 (lumbar imaging alone misnumbers 14.1% [Tokgoz2014]): confirm the level before acting on it.'
      : 'Level numbering verified by counting from C2 [Lian2018].',
    'Measurements come from a label map: their accuracy is that of the segmentation; Schizas/Lee stenosis grades and root contact need T2 review.',
    `${review} of ${findings.length} findings are marked for review (low confidence or near a grade boundary).`,
    ...result.notes,
  ];
  const uncertaintySummary = `Uncertainties: ${numbering?.countVerified === true ? 'level count verified' : 'level count NOT verified'}; ${review}/${findings.length} findings need review; grades from a label map (see page 1).`;

  let correlation: FindingsReport['correlation'];
  if (options.correlation !== undefined) {
    const c = options.correlation;
    correlation = {
      urgency: `${c.urgency.level.toUpperCase()}${c.urgency.caudaEquinaSuspected ? ': suspected cauda equina syndrome, not for elective planning' : ''}${c.urgency.reasons.length > 0 ? ` (${c.urgency.reasons.map((r) => `${r.reason} ${r.source}`).join('; ')})` : ''}`,
      roots: c.roots.slice(0, 4).map((r) => `${r.root} ${r.side}: ${pct(r.likelihood)}${r.evidence.length > 0 ? ` (${r.evidence.filter((e) => e.kind !== 'prior').map((e) => e.finding).slice(0, 3).join('; ')})` : ''}`),
      candidates: c.candidates.slice(0, 4).map((x) => `${x.level} ${x.zone} ${x.side}: ${pct(x.likelihood)} (${x.roots.join(', ')})`),
      concordance: c.findings.map((f) => `${f.finding.level} ${f.finding.kind}: ${f.concordance}${f.needsReview ? ' (needs review)' : ''}`),
      notice: c.notice,
    };
  }
  return {
    title: 'Keyhole spine findings report',
    header,
    deidentified,
    disclaimer: DISCLAIMER,
    uncertaintySummary,
    uncertainties,
    findings,
    discColumns,
    discs,
    vertebraColumns,
    vertebrae,
    ...(correlation !== undefined ? { correlation } : {}),
    keyImages: options.keyImages,
    structuredOutputs: (options.structuredOutputs ?? []).map((o) => `${o.kind}: ${o.path}${o.uid !== undefined ? `, SOP Instance UID ${o.uid}` : ''}`),
    generatedAt: options.generatedAt,
    software: options.software ?? 'Keyhole',
  };
}
