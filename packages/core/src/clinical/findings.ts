import type { CastellviType } from '../phantom/anatomy/types.ts';

/**
 * Imaging findings as the correlation reads them: one entry per level–zone–side finding, each with
 * the grade it was given, the rule's source, and a confidence. The imaging pipeline (issue 6,
 * `keyhole analyze STUDY --json`) fills this; a radiologist's report can be typed into it by hand.
 * Every grade is optional where the pipeline may not measure it: the correlation uses what is there.
 * Field meanings and sources are in README.md beside this file.
 */

/** Disc names like `L4-L5`, `L5-S1`, `C7-T1` (the patient's own numbering); vertebra names like `L1` for fractures. */
export type LevelName = string;

/** Side of a finding; `midline` for central findings, `bilateral` for the same finding on both sides. */
export type FindingSide = 'left' | 'right' | 'midline' | 'bilateral';

/** Axial zones of nomenclature 2.0 [Radiopaedia-Nom]; `subarticular` also covers "paracentral" (lateral recess). */
export type FindingZone = 'central' | 'subarticular' | 'foraminal' | 'extraforaminal';

interface FindingCommon {
  /** Optional identifier the producer uses (a report row, a segmentation label). */
  readonly id?: string;
  readonly level: LevelName;
  /** 0–1: how sure the producer is of this finding (1 for a radiologist's reading unless stated). */
  readonly confidence: number;
  /** The producer asks for a human look (low confidence, unusual appearance). */
  readonly needsReview?: boolean;
  /** Free text: what produced it (algorithm and version, series, reader). */
  readonly producedBy?: string;
}

export interface DiscHerniationFinding extends FindingCommon {
  readonly kind: 'disc-herniation';
  readonly zone: FindingZone;
  readonly side: FindingSide;
  /** Fardon 2014 morphology [Fardon]; a bulge is not a herniation and is graded as weak. */
  readonly type: 'bulge' | 'protrusion' | 'extrusion' | 'sequestration';
  /** Which nomenclature produced the label [UW-table]: default `fardon-2014`. */
  readonly nomenclature?: 'fardon-2014' | 'pre-2014';
  /** Largest dimension, mm. */
  readonly sizeMm?: number;
  /** Migration of extruded material [LeeZones, Lee2006]. */
  readonly migration?: { readonly direction: 'up' | 'down'; readonly grade: 'low' | 'high'; readonly leeZone?: 1 | 2 | 3 | 4 };
  /** Where a migrated fragment now sits, as a disc level, when it is not at the disc of origin: the root follows the fragment [RadAssist]. */
  readonly fragmentLevel?: LevelName;
  /** MSU size 1–3 and location A/AB/B/C [MSU]. */
  readonly msu?: { readonly size: 1 | 2 | 3; readonly location: 'A' | 'AB' | 'B' | 'C' };
  /** Canal compromise, % of the canal's AP or area at the level [Lee2006]. */
  readonly canalCompromisePercent?: number;
  /** Root grade [Pfirrmann 2004]: none, contact, deviation, compression. */
  readonly rootContact?: 'none' | 'contact' | 'deviation' | 'compression';
}

export interface CentralStenosisFinding extends FindingCommon {
  readonly kind: 'central-stenosis';
  /** Lurie thirds of area loss [Radiopaedia-LSS]. */
  readonly lurie?: 'none' | 'mild' | 'moderate' | 'severe';
  /** Lee grade 0–3, axial T2 [Lee2011]. */
  readonly lee?: 0 | 1 | 2 | 3;
  /** Schizas grade [Ars]. */
  readonly schizas?: 'A1' | 'A2' | 'A3' | 'A4' | 'B' | 'C' | 'D';
  /** Dural-sac cross-sectional area, mm² [Schönström 1988, Hamanishi 1994]. */
  readonly duralSacAreaMm2?: number;
  /** Canal AP diameter, mm [Kalichman 2009]. */
  readonly apDiameterMm?: number;
  /** Cervical: Kang grade 0–3 [Radiopaedia-Kang]. */
  readonly kang?: 0 | 1 | 2 | 3;
}

export interface LateralRecessStenosisFinding extends FindingCommon {
  readonly kind: 'lateral-recess-stenosis';
  readonly side: FindingSide;
  /** Bartynski & Lin grade 0–3 [Bartynski]. */
  readonly bartynski: 0 | 1 | 2 | 3;
}

export interface ForaminalStenosisFinding extends FindingCommon {
  readonly kind: 'foraminal-stenosis';
  readonly side: FindingSide;
  /** Lumbar: Lee sagittal grade 0–3 [Lee2010-AJR]. */
  readonly lee?: 0 | 1 | 2 | 3;
  /** Cervical: Kim axial grade 0–2 [Kim 2015]. */
  readonly kim?: 0 | 1 | 2;
  /** Foraminal height and posterior disc height, mm [Hasegawa 1995]. */
  readonly foraminalHeightMm?: number;
  readonly posteriorDiscHeightMm?: number;
}

export interface SpondylolisthesisFinding extends FindingCommon {
  readonly kind: 'spondylolisthesis';
  /** Slip % = anterior translation ÷ AP length of the lower superior endplate × 100 [Medscape, Koslosky2020]. */
  readonly slipPercent: number;
  readonly meyerding?: 'I' | 'II' | 'III' | 'IV' | 'V';
}

export interface DiscDegenerationFinding extends FindingCommon {
  readonly kind: 'disc-degeneration';
  /** Pfirrmann grade 1–5 [Radiopaedia-Pf, MedAlg]. */
  readonly pfirrmann: 1 | 2 | 3 | 4 | 5;
}

export interface ModicFinding extends FindingCommon {
  readonly kind: 'modic';
  /** Modic type 1–3 [SPA, RadGray]. */
  readonly type: 1 | 2 | 3;
}

export interface CompressionFractureFinding extends FindingCommon {
  readonly kind: 'compression-fracture';
  /** `level` is a vertebra here, e.g. `L1`. */
  readonly heightLossPercent?: number;
  readonly acute?: boolean;
}

/** Red flags visible on imaging: flagged for review rather than graded (issue 6). */
export interface ImagingRedFlagFinding extends FindingCommon {
  readonly kind: 'red-flag';
  readonly flag: 'suspected-tumour' | 'suspected-infection' | 'fracture' | 'cord-signal';
  readonly note?: string;
}

export type ImagingFinding =
  | DiscHerniationFinding
  | CentralStenosisFinding
  | LateralRecessStenosisFinding
  | ForaminalStenosisFinding
  | SpondylolisthesisFinding
  | DiscDegenerationFinding
  | ModicFinding
  | CompressionFractureFinding
  | ImagingRedFlagFinding;

export type FindingKind = ImagingFinding['kind'];

/** The findings document: the level count the pipeline found, and the findings. */
export interface ImagingFindings {
  readonly schemaVersion: 1;
  /** The patient's level count (clinical reference §9); absent: five lumbar vertebrae assumed. */
  readonly numbering?: {
    readonly lumbarCount: number;
    readonly transitional?: { readonly vertebra: string; readonly kind: 'sacralized' | 'lumbarized'; readonly castellvi?: CastellviType };
    /** Counted down from C2 on whole-spine imaging [Lian2018]. */
    readonly countVerified: boolean;
  };
  readonly findings: readonly ImagingFinding[];
}
