/**
 * The spine model: what Keyhole knows about a patient's spine after segmentation, in DICOM patient
 * space (LPS, millimetres), serialisable to JSON as is (plain objects, arrays and numbers only).
 *
 * Names follow the phantom's anatomy vocabulary (`phantom/vocabulary.ts`, `LABELS`): vertebrae `L4`,
 * `sacrum` (S1 fused into it) or `S1` (a lumbarized S1), discs `L4-L5`. Label values in the label map are
 * that vocabulary's fixed values, so a map written by `segmentSpineCt` reads like a phantom truth map.
 */
import type { Vec3 } from '../geometry/vec3.ts';
import type { Side } from '../phantom/vocabulary.ts';

/** A plane: a point on it and its unit normal (pointing cranially for endplates and disc mid-planes). */
export interface PlaneLps {
  readonly point: Vec3;
  readonly normal: Vec3;
}

/**
 * Castellvi grade of one side of a lumbosacral transitional vertebra [pacs, Ars, BMC-LSTV]
 * (clinical reference §9): I a transverse process ≥ 19 mm craniocaudal, II a pseudoarticulation with the
 * sacrum, III bony fusion with it.
 */
export type CastellviSideGrade = 'none' | 'I' | 'II' | 'III';

export interface CastellviFinding {
  /** The vertebra examined (the last presacral one). */
  readonly vertebra: string;
  /** Combined type, for example `IIIa`, `Ib`, `IV`; `none` when neither side shows a feature. */
  readonly type: 'none' | 'Ia' | 'Ib' | 'IIa' | 'IIb' | 'IIIa' | 'IIIb' | 'IV';
  readonly sides: Readonly<Record<Side, CastellviSideGrade>>;
  /** Craniocaudal height (mm) of each transverse process, measured along the column axis. */
  readonly transverseHeightMm: Readonly<Record<Side, number>>;
  /** Smallest bone gap (mm) between each transverse process and the sacrum; 0 where bone is continuous. */
  readonly gapToSacrumMm: Readonly<Record<Side, number>>;
}

export interface RibFinding {
  readonly left: boolean;
  readonly right: boolean;
  /** Farthest lateral reach (mm from the column's centre line) of bone attached to the vertebra, per side. */
  readonly reachMm: Readonly<Record<Side, number>>;
}

export interface VertebraModel {
  /** Vocabulary name (`L4`, `sacrum`, `S1`, `T12`, `L6`, `T13`). */
  readonly name: string;
  /** Label value in the label map (vocabulary value). */
  readonly label: number;
  /** Centroid of the segmented bone (LPS mm). */
  readonly centroid: Vec3;
  /** Centre of the vertebral body on the body centre line (LPS mm). */
  readonly bodyCentre: Vec3;
  readonly superiorEndplate?: PlaneLps;
  readonly inferiorEndplate?: PlaneLps;
  readonly volumeMl: number;
  /** False when the field of view cuts the vertebra (first or last segment touching the image edge). */
  readonly complete: boolean;
  readonly ribs: RibFinding;
  /** Whether this vertebra's name rests on verified cues (see `LevelCount`). */
  readonly labelVerified: boolean;
}

export interface DiscModel {
  readonly name: string;
  readonly label: number;
  readonly upper: string;
  readonly lower: string;
  readonly centre: Vec3;
  readonly midPlane: PlaneLps;
  /** Height along the column axis at the body centre line (mm). */
  readonly heightMm: number;
  readonly volumeMl: number;
}

export interface CanalModel {
  /** Centre of the spinal canal, cranial first, where the neural arch encloses it (LPS mm). */
  readonly centreline: Vec3[];
}

export type LevelCueKind = 'sacrum' | 'last-rib' | 'castellvi' | 'lumbar-count' | 'c2';

export interface LevelCue {
  readonly kind: LevelCueKind;
  readonly found: boolean;
  /** What was seen, in words. */
  readonly detail: string;
  /** Clinical reference tags behind the cue. */
  readonly sources: readonly string[];
}

/**
 * The level count: which name each vertebra gets, how sure we are and why (clinical reference §9).
 * `verified` covers the lumbosacral numbering (the part a lumbar operation depends on). When it is false
 * the UI asks a person to confirm the numbering and planning refuses to run until they do; `reasons` says
 * why in words. Thoracic names above the last rib rest on the assumption of 12 rib-bearing vertebrae
 * unless C2 is covered; such vertebrae carry `labelVerified: false`.
 */
export interface LevelCount {
  /** Vertebra names, cranial first. */
  readonly labels: readonly string[];
  /** 0–1: how likely the lumbosacral numbering is right given the cues found. */
  readonly confidence: number;
  readonly verified: boolean;
  readonly cues: readonly LevelCue[];
  readonly reasons: readonly string[];
  /** Mobile rib-free vertebrae between the last rib-bearing vertebra and the sacrum, when both are seen. */
  readonly lumbarTypeCount?: number;
  /** The numbering pattern chosen. */
  readonly pattern: 'standard' | 'sacralized-L5' | 'lumbarized-S1' | 'six-lumbar' | 'four-lumbar' | 'unknown';
  readonly castellvi?: CastellviFinding;
}

export type SpineStatus = 'ok' | 'no-spine' | 'insufficient-coverage' | 'unsupported-modality';

export interface SpineModel {
  readonly schemaVersion: 1;
  readonly space: 'LPS';
  readonly units: 'mm';
  readonly status: SpineStatus;
  /** Plain-words summary; for a status other than `ok`, what is wrong and what to do. */
  readonly message: string;
  readonly vertebrae: readonly VertebraModel[];
  readonly discs: readonly DiscModel[];
  readonly canal: CanalModel;
  /** Centre line through the vertebral bodies, cranial first (LPS mm). */
  readonly bodyCentreline: readonly Vec3[];
  readonly levelCount: LevelCount;
}

/** Legend of a label map: `{"labels":[{"value":…,"name":…}]}` (the CLI writes it as LEGEND.json). */
export interface LabelLegend {
  readonly labels: ReadonlyArray<{ readonly value: number; readonly name: string }>;
}
