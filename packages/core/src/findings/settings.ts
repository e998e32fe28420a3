/**
 * Thresholds of the findings step. Each carries its source tag from `/work/shared/clinical-reference.md`;
 * values the reference does not give (or marks unconfirmed) are settings with a documented default, never
 * silent constants, and `needsReview` follows them where a grade rests on one.
 */
export interface FindingsSettings {
  /**
   * Genant semiquantitative grades from the height loss of a vertebral body: grade 1 from `genantMild`,
   * 2 from `genantModerate`, 3 from `genantSevere` (fractions). Genant 1993 (20/25/40%) is not in the clinical
   * reference: these are settings with Genant's values as defaults.
   */
  readonly genantMild: number;
  readonly genantModerate: number;
  readonly genantSevere: number;
  /**
   * Height positions along the body's AP axis (fractions from posterior) at which TotalSegmentator's spine
   * report measures posterior, middle and anterior heights (its `MEASUREMENT_POSITIONS`); its fracture
   * flag is min/max height < 0.8 (`FRACTURE_THRESHOLD`). Kept for the TotalSegmentator-compatible table.
   */
  readonly totalSegmentatorPositions: readonly [number, number, number];
  readonly totalSegmentatorFractureRatio: number;
  /**
   * Meyerding grades: slip % = anterior translation ÷ AP length of the lower superior endplate × 100
   * [Medscape, Koslosky2020]; I ≤ 25, II ≤ 50, III ≤ 75, IV ≤ 100, V > 100. The reference leaves the start of
   * grade I open (0% or 1%): a slip is reported from `minSlipPercent` (setting; unconfirmed), graded I from there.
   */
  readonly minSlipPercent: number;
  /**
   * Dural-sac cross-sectional area cut-offs (mm²): absolute stenosis below 75 [Schönström 1988, PostopDSCA],
   * relative below 100 [Hamanishi 1994]. The paired 75/100 rule is unconfirmed as one rule, so both are settings.
   */
  readonly dscaAbsoluteMm2: number;
  readonly dscaRelativeMm2: number;
  /** Canal AP diameter: relative stenosis < 12 mm, absolute < 10 mm [Kalichman 2009]. */
  readonly apRelativeMm: number;
  readonly apAbsoluteMm: number;
  /**
   * Area loss (fraction of the patient's own expected sac area, the median of the other levels) from which a
   * central stenosis is reported. Lurie thirds [Radiopaedia-LSS] grade it (mild ≤ 1/3, moderate ≤ 2/3, severe);
   * the reporting floor is a setting (unconfirmed): the sac's disc/body ratio varies by up to about 13% between a patient's levels (thoracolumbar junction).
   */
  readonly minAreaLossFraction: number;
  /**
   * Disc material counts as displaced where it lies more than this far (mm) outside the outline of the adjacent
   * endplates (the vertebral edges of [Fardon]); a normal annulus overhangs the edges by about 1 mm. Setting.
   */
  readonly herniationMarginMm: number;
  /** Smallest displaced volume (mm³) reported as a finding (setting). */
  readonly herniationMinVolumeMm3: number;
  /** Bulge: displaced over more than 25% of the circumference (> 90°) [Fardon]. */
  readonly bulgeMinAngleDeg: number;
  /**
   * Extrusion when, in some plane, the displaced material is wider than its base [Fardon]: wider by this
   * factor (tolerance for voxelisation; setting).
   */
  readonly extrusionWidthRatio: number;
  /**
   * Axial zones [Radiopaedia-Nom]: central within `centralZoneFraction` of the canal half width (the medial
   * pedicle edge) of the midline; subarticular out to the medial pedicle edge; foraminal between the medial and
   * lateral pedicle edges; extraforaminal beyond. The central/subarticular line (medial facet edge) is a setting.
   */
  readonly centralZoneFraction: number;
  /**
   * Extraforaminal when the displaced material's centroid lies more than this far (mm) lateral to the pedicle's
   * lateral edge. The rule [Radiopaedia-Nom] puts the boundary at the edge itself, so the default is 0; the setting
   * stays for readers who want a tolerance (unconfirmed). It was 3 mm, calibrated on the phantom while the
   * phantom's truth was the zone its generator aimed at rather than where the material lies.
   */
  readonly extraforaminalMarginMm: number;
  /**
   * Migration: a fragment is migrated when its centre lies beyond `migrationCentreFraction` of the half disc
   * height from the disc mid-plane and it reaches beyond the endplate; high grade when it reaches further than the
   * posterior disc height beyond the endplate [Lee2006]. Lee zones by the pedicles [LeeZones]: zone 1 within 3 mm
   * of the lower edge of the upper pedicle.
   */
  readonly migrationCentreFraction: number;
  readonly leeZone1MarginMm: number;
  /** Depth (mm) of erosion of the body before its mean HU is taken (TotalSegmentator erodes 4 mm). */
  readonly boneCoreErosionMm: number;
  /**
   * Imaging red flag: a body whose cancellous mean HU differs from the median of the others by more than this
   * (HU) is flagged `suspected-tumour` for review (lytic or blastic; never graded). Setting (unconfirmed).
   */
  readonly redFlagHuDeviation: number;
  /** A compression fracture at this Genant grade or more is also flagged as a `fracture` red flag for review. */
  readonly redFlagFractureGrade: 1 | 2 | 3;
  /** Below this confidence a finding is marked `needsReview`. */
  readonly reviewBelowConfidence: number;
}

export const DEFAULT_FINDINGS_SETTINGS: FindingsSettings = {
  genantMild: 0.2,
  genantModerate: 0.25,
  genantSevere: 0.4,
  totalSegmentatorPositions: [0.15, 0.5, 0.85],
  totalSegmentatorFractureRatio: 0.8,
  minSlipPercent: 5,
  dscaAbsoluteMm2: 75,
  dscaRelativeMm2: 100,
  apRelativeMm: 12,
  apAbsoluteMm: 10,
  minAreaLossFraction: 0.15,
  herniationMarginMm: 1.7,
  herniationMinVolumeMm3: 6,
  bulgeMinAngleDeg: 90,
  extrusionWidthRatio: 1.15,
  centralZoneFraction: 0.35,
  extraforaminalMarginMm: 0,
  migrationCentreFraction: 0.95,
  leeZone1MarginMm: 3,
  boneCoreErosionMm: 4,
  redFlagHuDeviation: 120,
  redFlagFractureGrade: 2,
  reviewBelowConfidence: 0.6,
};

export function resolveFindingsSettings(overrides: Partial<FindingsSettings> | undefined): FindingsSettings {
  return { ...DEFAULT_FINDINGS_SETTINGS, ...(overrides ?? {}) };
}
