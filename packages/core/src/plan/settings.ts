/**
 * Settings of the approach selection and the trajectory planner. Each value cites its source tag from
 * `/work/shared/clinical-reference.md` (§6, §6b, §7); values the reference marks unconfirmed, or does not
 * give at all, are settings with a documented default, never silent constants. `UNCONFIRMED_PLAN_SETTINGS`
 * lists them so that a user interface can show them as such.
 */
export interface PlanSettings {
  /** Working cannula outer diameter, mm: 6–8 mm [Kumari2021]; the default 7 mm. */
  readonly cannulaDiameterMm: number;
  /**
   * Hard clearance (mm, between the cannula's surface and the structure) per group. Not given by the reference
   * (Keyhole defaults): roots and dura 1 mm (YESS/TESSYS needles pass 3.5–6.6 mm from root and dura at the
   * needle's axis [YESS-TESSYS]); vessels, kidneys and bowel 5 mm (the real-CT acceptance margin);
   * bone 0 mm (touching bone is allowed, crossing it is not).
   */
  readonly marginsMm: {
    readonly neural: number;
    readonly viscera: number;
    readonly bone: number;
  };
  /**
   * Skin entry distance from the midline searched, mm. Kambin ~100–120 mm [PL-TOSP]; L5–S1 83–114 mm [Sousa];
   * MRI-derived 32–180 mm [Rajagopal]; the per-level TESSYS 80–140 mm table is unconfirmed: a setting, default
   * 40–160 mm (wide enough for every published entry, the hard constraints do the rest).
   */
  readonly entryDistanceMm: readonly [number, number];
  /**
   * Search range of the cannula's angle from the coronal (table) plane in the axial view, degrees: L5–S1
   * 32.5°–48.4° [Sousa]; medial tilts 12°–68° [Rajagopal] (reference plane unconfirmed). Default 10°–70°: the
   * published span, widened by 2° on each side.
   */
  readonly axialAngleDeg: readonly [number, number];
  /**
   * Search range of the craniocaudal tilt, degrees (+ entry cranial to the target, the cannula pointing caudally):
   * published 3° cranial (L3–4) to 27° caudal (L5–S1) [Rajagopal]; default −6° to +30°, that span widened by 3°.
   */
  readonly craniocaudalDeg: readonly [number, number];
  /** Coarse search step (degrees) before the local refinement. */
  readonly searchStepDeg: number;
  /**
   * Voxel size (mm) of the keep-out distance fields the search reads: on finer label maps they are computed on
   * blocks of whole voxels at most this size (speed; default 2 mm: 1.5 mm maps keep their voxels, 1 mm maps use 2 mm blocks); the kept plans are re-checked on the label map's own voxels.
   */
  readonly searchFieldVoxelMm: number;
  /** Sampling step along the cannula axis, mm. */
  readonly axisStepMm: number;
  /** Allow resection of the superior articular process (foraminoplasty): then the lower vertebra's bone is not a hard keep-out, and the bone in the way is reported [PMID26815257]. Default false. */
  readonly allowForaminoplasty: boolean;
  /**
   * High iliac crest at L5–S1: Choi — apex above the middle of the L5 pedicle on the lateral view [HIC-Def].
   * `highCrestAboveMidPedicleMm` is the height above the mid-pedicle from which the crest is called high (0 = Choi's
   * definition; the alternative wording "above the lower half of the L5 pedicle" [Thieme2024] is the same line).
   */
  readonly highCrestAboveMidPedicleMm: number;
  /** Foraminal height at or below which a foramen is small (no endoscopy-specific cut-off; Hasegawa's ≤ 15 mm marker [Hasegawa]). */
  readonly smallForamenHeightMm: number;
  /** Posterior disc height at or below which the foramen is taken as small [Hasegawa]: ≤ 4 mm. */
  readonly smallPosteriorDiscHeightMm: number;
  /**
   * Interlaminar window threshold: unconfirmed. The window must admit the working channel; Choi used a 6 mm
   * working-channel endoscope [Choi 2006]. Default 6 mm.
   */
  readonly interlaminarWindowMinMm: number;
  /** Canal compromise above which a central herniation is referred for open surgery: > 50% [Lee2006]. */
  readonly openCanalCompromisePercent: number;
  /**
   * High-grade migration: [Lee2006] suggests considering open surgery (endoscopic failure 15.7%), while [BMC2020]
   * reports transforaminal endoscopy effective at L1–L5 and favours interlaminar at L4–5/L5–S1. Default false:
   * the endoscopic route of [BMC2020] with [Lee2006]'s warning; true: open surgery first.
   */
  readonly openForHighGradeMigration: boolean;
  /** Spondylolisthesis as a formal contraindication to endoscopic discectomy: unconfirmed [§6b]. Default true (vertebral instability is an explicit one [JTSS2024]). */
  readonly slipContraindicates: boolean;
  /** Slip (%) from which a spondylolisthesis counts as instability for the rule above: unconfirmed; default 10%. */
  readonly slipPercentThreshold: number;
  /** Calcified herniation as a formal contraindication to endoscopy: unconfirmed [§6b]. Default true (tubular/microscopic). */
  readonly calcifiedContraindicates: boolean;
  /** A herniation this large (mm) or larger counts as a "large migrated fragment" for [Choi 2006]'s L5–S1 rule: not given; default 10 mm. */
  readonly largeFragmentMm: number;
  /**
   * Plan on a level count that is not verified (clinical reference §9: lumbar imaging alone misnumbers 14.1%
   * [Tokgoz2014]; wrong-level surgery [Mody2008]). Default false: refused until the count is confirmed.
   */
  readonly allowUnverifiedLevelCount: boolean;
  /** How many ranked plans to return. */
  readonly keepPlans: number;
}

export const DEFAULT_PLAN_SETTINGS: PlanSettings = {
  cannulaDiameterMm: 7,
  marginsMm: { neural: 1, viscera: 5, bone: 0 },
  entryDistanceMm: [40, 160],
  axialAngleDeg: [10, 70],
  craniocaudalDeg: [-6, 30],
  searchStepDeg: 3,
  searchFieldVoxelMm: 2,
  axisStepMm: 0.5,
  allowForaminoplasty: false,
  highCrestAboveMidPedicleMm: 0,
  smallForamenHeightMm: 15,
  smallPosteriorDiscHeightMm: 4,
  interlaminarWindowMinMm: 6,
  openCanalCompromisePercent: 50,
  openForHighGradeMigration: false,
  slipContraindicates: true,
  slipPercentThreshold: 10,
  calcifiedContraindicates: true,
  largeFragmentMm: 10,
  allowUnverifiedLevelCount: false,
  keepPlans: 3,
};

/** Settings whose default is not a confirmed clinical value (shown to the user as such). */
export const UNCONFIRMED_PLAN_SETTINGS: ReadonlyArray<{ readonly setting: keyof PlanSettings; readonly why: string }> = [
  { setting: 'marginsMm', why: 'no clearance threshold in the reference; Keyhole defaults' },
  { setting: 'entryDistanceMm', why: 'per-level TESSYS skin distances unconfirmed [PL-TOSP]' },
  { setting: 'axialAngleDeg', why: 'reference plane of the published medial angles unconfirmed [Rajagopal]' },
  { setting: 'interlaminarWindowMinMm', why: 'interlaminar window threshold unconfirmed; 6 mm working channel [Choi 2006]' },
  { setting: 'slipContraindicates', why: 'spondylolisthesis as a formal contraindication unconfirmed [§6b]' },
  { setting: 'slipPercentThreshold', why: 'no slip threshold for instability in the reference' },
  { setting: 'calcifiedContraindicates', why: 'calcified herniation as a formal contraindication unconfirmed [§6b]' },
  { setting: 'largeFragmentMm', why: '"large migrated fragment" [Choi 2006] has no size in the reference' },
  { setting: 'openForHighGradeMigration', why: '[Lee2006] (consider open) and [BMC2020] (endoscopic) differ' },
  { setting: 'smallForamenHeightMm', why: 'no endoscopy-specific foraminal cut-off; Hasegawa marker used [Hasegawa]' },
];

export function resolvePlanSettings(overrides: Partial<PlanSettings> | undefined): PlanSettings {
  return { ...DEFAULT_PLAN_SETTINGS, ...(overrides ?? {}), marginsMm: { ...DEFAULT_PLAN_SETTINGS.marginsMm, ...(overrides?.marginsMm ?? {}) } };
}
