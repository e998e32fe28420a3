import type { ImagingFindings } from '../clinical/findings.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { LevelCount, PlaneLps } from '../spine/types.ts';
import type { Volume } from '../volume/volume.ts';
import type { LegendInput } from './label-map.ts';
import type { FindingsSettings } from './settings.ts';

export type FindingUnit = 'mm' | 'mm2' | 'deg' | 'percent' | 'HU' | 'ml' | 'ratio';

/** One measured value with how it was obtained: the rule in words, its source tag, and how sure it is. */
export interface Measurement {
  readonly value: number;
  readonly unit: FindingUnit;
  /** What was measured and how, in words. */
  readonly rule: string;
  /** Source tag(s) from the clinical reference, or the named method (`TotalSegmentator spine report`). */
  readonly source: string;
  /** 0–1. */
  readonly confidence: number;
  readonly needsReview: boolean;
}

export interface BodyHeights {
  readonly anterior: Measurement;
  readonly middle: Measurement;
  readonly posterior: Measurement;
}

export interface PedicleEdges {
  /** Distance (mm) of the pedicle's medial and lateral edges from the midline, along the vertebra's left axis. */
  readonly medialMm: number;
  readonly lateralMm: number;
  /** Craniocaudal span (mm along the superior axis, relative to the body centre) of the pedicle. */
  readonly lowerMm: number;
  readonly upperMm: number;
}

export interface VertebraMeasurements {
  readonly name: string;
  /** False when the field of view cuts the vertebra: heights are not measured then. */
  readonly complete: boolean;
  readonly centroid: Vec3;
  /** Centroid of the body (eroded 3 mm, as TotalSegmentator smooths it). */
  readonly bodyCentre: Vec3;
  /** Unit axes: superior (neighbouring body centres), posterior (LPS +y made orthogonal), left. */
  readonly axes: { readonly superior: Vec3; readonly posterior: Vec3; readonly left: Vec3 };
  /** Offset (mm along posterior, from the body centre) of the body's posterior wall: the body/posterior-element cut. */
  readonly posteriorWallMm?: number;
  readonly superiorEndplate?: PlaneLps;
  readonly inferiorEndplate?: PlaneLps;
  /** Heights between the fitted endplate planes at the anterior and posterior cortex and measured at the middle (Genant grading). */
  readonly heights?: BodyHeights;
  /** Heights as TotalSegmentator's spine report measures them (15/50/85% of the eroded AP extent, most uneven sagittal plane). */
  readonly totalSegmentatorHeights?: BodyHeights & { readonly heightDifference: number };
  /** Expected height (own tallest or the median of the neighbours', whichever is larger) and the loss. */
  readonly expectedHeightMm?: number;
  readonly heightLoss?: Measurement;
  readonly genantGrade?: 0 | 1 | 2 | 3;
  readonly boneDensity?: Measurement;
  readonly volumeMl: number;
  readonly pedicles?: { readonly left?: PedicleEdges; readonly right?: PedicleEdges };
  /** Dural-sac cross-section on the axial plane through the body centre: the patient's own unnarrowed reference. */
  readonly duralSacArea?: Measurement;
  /** AP depth of the body (mm) along the posterior axis at the mid-sagittal line. */
  readonly bodyDepthMm?: number;
}

export interface HerniationMeasurements {
  readonly present: boolean;
  readonly zone?: 'central' | 'subarticular' | 'foraminal' | 'extraforaminal';
  readonly side?: 'left' | 'right' | 'midline';
  readonly type?: 'bulge' | 'protrusion' | 'extrusion' | 'sequestration';
  /** Largest dimension of the displaced material (mm). */
  readonly sizeMm?: number;
  /** How far the material reaches beyond the endplate outline (mm). */
  readonly beyondMarginMm?: number;
  readonly lateralMm?: number;
  readonly craniocaudalMm?: number;
  readonly baseWidthMm?: number;
  readonly maxWidthMm?: number;
  readonly volumeMm3?: number;
  readonly angleDeg?: number;
  /** Lateral offset (mm, + left) of the displaced material's centre from the midline. */
  readonly lateralOffsetMm?: number;
  /** Lateral offset (mm, + left) of the centroid of the piece found beyond the margin (grown to 1.3 mm beyond the envelope). */
  readonly centreOffsetMm?: number;
  /** Lateral offset (mm, + left) of the centroid of all displaced material of the piece (beyond a normal annulus, in its columns): the zone and side are read from it. */
  readonly materialOffsetMm?: number;
  /** How far (mm) the material reaches beyond the upper and the lower endplate plane. */
  readonly beyondEndplatesMm?: { readonly up: number; readonly down: number };
  /** Why a piece was called a bulge: > 90° of circumference [Fardon], wall to wall across the canal, or overriding both endplates. */
  readonly bulgeReason?: 'circumference' | 'canal-wide' | 'both-endplates';
  readonly connected?: boolean;
  readonly migration?: { readonly direction: 'up' | 'down'; readonly grade: 'low' | 'high'; readonly leeZone?: 1 | 2 | 3 | 4; readonly beyondEndplateMm: number };
  readonly centre?: Vec3;
  readonly confidence?: number;
}

export interface DiscMeasurements {
  readonly name: string;
  readonly upper: string;
  readonly lower: string;
  readonly midPlane?: PlaneLps;
  readonly heights?: BodyHeights;
  /** Angle between the upper vertebra's inferior and the lower's superior endplate (+ lordotic, opening anteriorly). */
  readonly segmentalAngle?: Measurement;
  readonly slip?: Measurement & { readonly translationMm: number; readonly meyerding?: 'I' | 'II' | 'III' | 'IV' | 'V' };
  readonly duralSacArea?: Measurement;
  readonly apDiameter?: Measurement;
  /** Area loss relative to the sac at the adjacent vertebral bodies (the median of the other levels when they are missing). */
  readonly areaLoss?: Measurement;
  readonly lurie?: 'none' | 'mild' | 'moderate' | 'severe';
  readonly canalCentre?: Vec3;
  readonly herniation?: HerniationMeasurements;
}

export interface KeyImage {
  /** Index into `findings.findings`. */
  readonly finding: number;
  readonly level: string;
  readonly kind: string;
  /** The point to centre on (LPS mm) and the plane to show (axial-oblique on the disc, or sagittal through the body). */
  readonly point: Vec3;
  readonly plane: PlaneLps;
  readonly caption: string;
}

export interface FindingsFromLabelMapOptions {
  /** The image on the label map's grid (CT in HU gives bone density; any modality gives geometry). */
  readonly image?: Volume;
  readonly labels: Volume;
  readonly legend: LegendInput;
  /** The level count from the anatomy step (numbering in the findings); absent: counted from the labels, unverified. */
  readonly levelCount?: LevelCount;
  readonly settings?: Partial<FindingsSettings>;
}

export interface FindingsResult {
  /** Validated with `validateFindings` (the correlation's input). */
  readonly findings: ImagingFindings;
  readonly vertebrae: readonly VertebraMeasurements[];
  readonly discs: readonly DiscMeasurements[];
  /** Total lumbar lordosis: Cobb angle between the superior endplates of L1 (first lumbar) and S1 (sacrum). */
  readonly lordosis?: Measurement & { readonly from: string; readonly to: string };
  readonly keyImages: readonly KeyImage[];
  /** What could not be measured, and why, in words. */
  readonly notes: readonly string[];
  readonly settings: FindingsSettings;
}
