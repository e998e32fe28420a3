import type { CorrelationSettings } from './correlation-settings.ts';
import type { FindingZone, ImagingFinding } from './findings.ts';
import { discRoots, parseDisc, type SpineNumbering } from './spine-numbering.ts';

/** A neural structure a finding can compress, on one side. */
export interface AffectedRoot {
  /** Anatomical root name in this patient's numbering (`L5`, `L6`, `C6`). */
  readonly root: string;
  readonly side: 'left' | 'right';
  /** traversing or exiting root at the finding's level (clinical reference §2). */
  readonly role: 'traversing' | 'exiting';
  /** 0–1: how much of the finding bears on this root (a central herniation leans on both sides, less on each). */
  readonly weight: number;
  readonly source: string;
}

export interface FindingEffect {
  /** 0–1: how compressive the finding is, from its grades (each grade's source in `reasons`). */
  readonly strength: number;
  readonly strengthReasons: readonly string[];
  readonly roots: readonly AffectedRoot[];
  /** Central lumbar findings press on the cauda equina, cervical and thoracic central findings on the cord. */
  readonly centralStructure: 'cauda-equina' | 'cord' | undefined;
  /** Disc level where the finding acts (a migrated fragment acts where it sits [RadAssist]). */
  readonly actsAt: string | undefined;
  /** The zone it occupies for the level–zone candidates. */
  readonly zones: readonly FindingZone[];
  /** Red flags and fractures are flagged for review, not graded (issue 6). */
  readonly review: string | undefined;
}

const lateralSides = (side: string): Array<'left' | 'right'> => (side === 'left' ? ['left'] : side === 'right' ? ['right'] : ['left', 'right']);

/** Strength of a herniation: root grade when given [Pfirrmann 2004], else by morphology [Fardon]; MSU size 1 is capped [MSU]. */
function herniationStrength(f: Extract<ImagingFinding, { kind: 'disc-herniation' }>): { strength: number; reasons: string[] } {
  const reasons: string[] = [];
  let strength: number;
  if (f.rootContact !== undefined) {
    strength = { none: 0.2, contact: 0.5, deviation: 0.8, compression: 1 }[f.rootContact];
    reasons.push(`root ${f.rootContact} [Pfirrmann 2004]`);
  } else {
    strength = { bulge: 0.3, protrusion: 0.7, extrusion: 0.9, sequestration: 0.95 }[f.type];
    reasons.push(f.type === 'bulge' ? 'a bulge is not a herniation [Fardon]' : `${f.type} [Fardon]`);
  }
  if (f.msu?.size === 1) {
    strength = Math.min(strength, 0.45);
    reasons.push('MSU size 1 (size-1 lesions were excluded from surgery) [MSU, MSU-Rel]');
  }
  return { strength, reasons };
}

function centralStenosisStrength(f: Extract<ImagingFinding, { kind: 'central-stenosis' }>, settings: CorrelationSettings): { strength: number; reasons: string[] } {
  const parts: Array<[number, string]> = [];
  if (f.lurie !== undefined) parts.push([{ none: 0, mild: 0.35, moderate: 0.7, severe: 0.95 }[f.lurie], `Lurie ${f.lurie} [Radiopaedia-LSS]`]);
  if (f.lee !== undefined) parts.push([[0, 0.35, 0.7, 0.95][f.lee] ?? 0, `Lee grade ${f.lee} [Lee2011]`]);
  if (f.schizas !== undefined) parts.push([f.schizas.startsWith('A') ? 0.3 : { B: 0.6, C: 0.9, D: 1 }[f.schizas as 'B' | 'C' | 'D'], `Schizas ${f.schizas} [Ars]`]);
  if (f.kang !== undefined) parts.push([[0, 0.5, 0.85, 1][f.kang] ?? 0, `Kang grade ${f.kang} [Radiopaedia-Kang]`]);
  if (f.duralSacAreaMm2 !== undefined) {
    if (f.duralSacAreaMm2 < settings.duralSacCriticalAreaMm2) parts.push([0.85, `dural sac ${f.duralSacAreaMm2} mm² < ${settings.duralSacCriticalAreaMm2} mm² [Schönström 1988]`]);
    else if (f.duralSacAreaMm2 < settings.duralSacClaudicationAreaMm2) parts.push([0.55, `dural sac ${f.duralSacAreaMm2} mm² < ${settings.duralSacClaudicationAreaMm2} mm² [Hamanishi 1994]`]);
    else parts.push([0.1, `dural sac ${f.duralSacAreaMm2} mm² (not below ${settings.duralSacClaudicationAreaMm2} mm²) [Hamanishi 1994]`]);
  }
  if (f.apDiameterMm !== undefined) {
    if (f.apDiameterMm < settings.canalApAbsoluteMm) parts.push([0.85, `AP ${f.apDiameterMm} mm: absolute stenosis < ${settings.canalApAbsoluteMm} mm [Kalichman 2009]`]);
    else if (f.apDiameterMm < settings.canalApRelativeMm) parts.push([0.55, `AP ${f.apDiameterMm} mm: relative stenosis < ${settings.canalApRelativeMm} mm [Kalichman 2009]`]);
  }
  if (parts.length === 0) return { strength: 0.5, reasons: ['stenosis without a grade (assumed moderate)'] };
  return { strength: Math.max(...parts.map((p) => p[0])), reasons: parts.map((p) => p[1]) };
}

function foraminalStrength(f: Extract<ImagingFinding, { kind: 'foraminal-stenosis' }>, settings: CorrelationSettings): { strength: number; reasons: string[] } {
  const parts: Array<[number, string]> = [];
  if (f.lee !== undefined) parts.push([[0, 0.4, 0.65, 0.95][f.lee] ?? 0, `Lee foraminal grade ${f.lee} [Lee2010-AJR]`]);
  if (f.kim !== undefined) parts.push([[0, 0.65, 0.9][f.kim] ?? 0, `Kim cervical foraminal grade ${f.kim} [Kim 2015]`]);
  if (f.foraminalHeightMm !== undefined && f.foraminalHeightMm <= settings.foraminalHeightCriticalMm) parts.push([0.6, `foraminal height ${f.foraminalHeightMm} mm ≤ ${settings.foraminalHeightCriticalMm} mm [Hasegawa 1995]`]);
  if (f.posteriorDiscHeightMm !== undefined && f.posteriorDiscHeightMm <= settings.posteriorDiscHeightCriticalMm) parts.push([0.7, `posterior disc height ${f.posteriorDiscHeightMm} mm ≤ ${settings.posteriorDiscHeightCriticalMm} mm [Hasegawa 1995]`]);
  if (parts.length === 0) return { strength: 0.5, reasons: ['foraminal stenosis without a grade (assumed moderate)'] };
  return { strength: Math.max(...parts.map((p) => p[0])), reasons: parts.map((p) => p[1]) };
}

/**
 * What an imaging finding can do to the nerves: which roots it hits (clinical reference §2), how
 * strongly (its grades, §3–§4), and whether it is a central, cord or review-only finding.
 */
export function findingEffect(finding: ImagingFinding, numbering: SpineNumbering, settings: CorrelationSettings): FindingEffect {
  const none = (review: string | undefined, reason: string): FindingEffect => ({
    strength: 0, strengthReasons: [reason], roots: [], centralStructure: undefined, actsAt: finding.level, zones: [], review,
  });
  switch (finding.kind) {
    case 'disc-degeneration':
      return none(undefined, `Pfirrmann grade ${finding.pfirrmann} grades degeneration, not compression [Radiopaedia-Pf]`);
    case 'modic':
      return none(undefined, `Modic type ${finding.type} is an endplate marrow change, not compression [SPA, RadGray]`);
    case 'compression-fracture':
      return none('compression fracture: flagged for review (issue 6 imaging red flags)', 'a vertebral fracture is not graded against a root here');
    case 'red-flag':
      return none(`${finding.flag}: flagged for review rather than graded (issue 6)`, 'imaging red flag');
    default:
      break;
  }

  const actsAt = finding.kind === 'disc-herniation' && finding.fragmentLevel !== undefined ? finding.fragmentLevel : finding.level; // [RadAssist]
  const parts = parseDisc(actsAt);
  const at = discRoots(actsAt, numbering);
  const cervical = parts !== undefined && (parts[0].startsWith('C') || (parts[0] === 'T1' && parts[1] === 'T2'));
  const centralStructure: FindingEffect['centralStructure'] = cervical || at.cord ? 'cord' : 'cauda-equina';
  const roots: AffectedRoot[] = [];
  const push = (root: string | undefined, side: 'left' | 'right', role: AffectedRoot['role'], weight: number, source: string): void => {
    if (root !== undefined) roots.push({ root, side, role, weight, source });
  };

  if (finding.kind === 'disc-herniation') {
    const { strength, reasons } = herniationStrength(finding);
    if (finding.zone === 'central') {
      // Central: the cord (cervical) or several roots / the cauda equina (lumbar) [Radiopaedia-Nom, Dimitriu];
      // a central herniation leaning to one side presses more on that side's traversing root.
      for (const side of ['left', 'right'] as const) {
        // MODEL weights: 0.7 per side on the midline (below the 0.75 a lateralised finding needs), 0.85 on the side it leans to.
        const lean = finding.side === side ? 0.85 : finding.side === 'midline' || finding.side === 'bilateral' ? 0.7 : 0.5;
        push(at.traversing, side, 'traversing', cervical ? lean * 0.6 : lean, cervical ? '[Dimitriu] central cervical: the cord first' : '[Radiopaedia-Nom] central: several roots');
      }
      return { strength, strengthReasons: reasons, roots, centralStructure, actsAt, zones: ['central'], review: undefined };
    }
    for (const side of lateralSides(finding.side)) {
      if (cervical) push(at.exiting, side, 'exiting', 1, '[SpineHealth, Mostoufi] Cn–C(n+1) compresses C(n+1)');
      else if (finding.zone === 'subarticular') {
        push(at.traversing, side, 'traversing', 1, '[MRCS, Orthobullets, NSPC] paracentral/subarticular → traversing root');
        // A fragment migrated up to the upper pedicle (high grade, Lee zone 1) lies where the exiting root leaves [LeeZones, RadAssist].
        if (finding.migration?.direction === 'up' && (finding.migration.grade === 'high' || finding.migration.leeZone === 1)) {
          push(at.exiting, side, 'exiting', 0.5, '[LeeZones, RadAssist] fragment migrated up towards the exiting root');
        }
      } else push(at.exiting, side, 'exiting', 1, '[MRCS, Orthobullets, NSPC] foraminal/extraforaminal → exiting root');
    }
    return { strength, strengthReasons: reasons, roots, centralStructure: undefined, actsAt, zones: [finding.zone], review: undefined };
  }

  if (finding.kind === 'central-stenosis') {
    const { strength, reasons } = centralStenosisStrength(finding, settings);
    for (const side of ['left', 'right'] as const) push(at.traversing, side, 'traversing', cervical ? 0.4 : 0.7, cervical ? '[Radiopaedia-Kang] central cervical: the cord' : '[Radiopaedia-Nom] central: several roots');
    return { strength, strengthReasons: reasons, roots, centralStructure, actsAt, zones: ['central'], review: undefined };
  }
  if (finding.kind === 'lateral-recess-stenosis') {
    const strength = [0, 0.3, 0.85, 1][finding.bartynski] ?? 0;
    for (const side of lateralSides(finding.side)) push(cervical ? at.exiting : at.traversing, side, cervical ? 'exiting' : 'traversing', 1, '[RadRes] lateral-recess stenosis at L4–5 gives L5 symptoms (traversing root)');
    return { strength, strengthReasons: [`Bartynski grade ${finding.bartynski} [Bartynski]`], roots, centralStructure: undefined, actsAt, zones: ['subarticular'], review: undefined };
  }
  if (finding.kind === 'foraminal-stenosis') {
    const { strength, reasons } = foraminalStrength(finding, settings);
    for (const side of lateralSides(finding.side)) push(at.exiting, side, 'exiting', 1, cervical ? '[SpineHealth, Mostoufi] foraminal Cn–C(n+1) → C(n+1)' : '[Witek] the foramen of Ln is at disc Ln–Ln+1');
    return { strength, strengthReasons: reasons, roots, centralStructure: undefined, actsAt, zones: ['foraminal'], review: undefined };
  }
  // Spondylolisthesis narrows canal and foramina of its segment; the reference grades the slip [Medscape,
  // Koslosky2020] but not its root effect, so it is a weak, structural finding for both roots of the segment.
  for (const side of ['left', 'right'] as const) {
    push(at.traversing, side, 'traversing', 0.7, '[Witek] numbering rule (slip narrows the segment)');
    push(at.exiting, side, 'exiting', 0.7, '[Witek] numbering rule (slip narrows the foramen)');
  }
  return {
    strength: finding.slipPercent > 25 ? 0.5 : 0.35,
    strengthReasons: [`slip ${finding.slipPercent}%${finding.meyerding !== undefined ? ` (Meyerding ${finding.meyerding})` : ''} [Medscape, Koslosky2020]; root effect not graded`],
    roots, centralStructure: undefined, actsAt, zones: ['central', 'subarticular', 'foraminal'], review: undefined,
  };
}
