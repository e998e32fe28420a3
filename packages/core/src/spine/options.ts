/**
 * Settings of the classical CT spine pipeline. Every threshold is a setting with a documented default,
 * not a silent constant (the clinical reference marks last-rib counting "unconfirmed": its use is a
 * setting too). HU values are typical CT numbers (cortical bone ≥ 1000, trabecular vertebral bone
 * ~100–300 falling with age [Pickhardt 2013, cited in phantom/imaging/tissue-physics.ts], disc 80–100,
 * muscle 40–60, CSF 0–15, fat −100).
 */
export interface SpineCtSettings {
  /** Working grid spacing (mm); default max(1.5, the input's finest spacing). */
  readonly workingSpacingMm?: number;
  /** Voxels at or above this HU are bone (default 150: above disc and muscle, below most marrow). */
  readonly boneHu: number;
  /** Holes inside a bone ring are filled (marrow) when their mean HU is at least this (default 70; the canal's CSF and fat stay open). */
  readonly holeFillMinHu: number;
  /** On the input grid, a voxel at a vertebra's surface belongs to it at or above this HU (default 250: above marrow and the partial volume of a disc against its endplate, below blurred cortex). */
  readonly surfaceHu: number;
  /** Largest hole (mm²) filled in one axial slice (default 10000: a vertebral body or the sacrum with its alae; larger enclosed regions — the pelvic inlet, the abdomen inside the ribs — are also darker than marrow). */
  readonly holeFillMaxAreaMm2: number;
  /** A slice holds a vertebral body where the filled bone's inscribed radius reaches this (mm, default 6). */
  readonly bodyMinRadiusMm: number;
  /** How far the body centre may move between neighbouring slices' searches (mm, default 15). */
  readonly trackWindowMm: number;
  /** Tracking stops after this much column length without a body (mm, default 22: more than a disc). */
  readonly trackMaxGapMm: number;
  /** Radius (mm) of the cross-section sampled along the centre line for the disc profile (default 7). */
  readonly profileRadiusMm: number;
  /** Shortest vertebra segment between two discs (mm, default 12); shorter dips are not discs. */
  readonly minVertebraMm: number;
  /** Bone farther than this (mm) from the centre line, across the column, is not vertebra (default 58: lumbar transverse processes and sacral alae, not ilia or rib shafts). */
  readonly lateralLimitMm: number;
  /** The same for the sacrum, whose alae and lateral masses reach the sacroiliac joints (default 85; the joint spaces stop it at the ilia). */
  readonly sacrumLateralLimitMm: number;
  /** Cost of a cranial step in the neural arch when vertebrae grow (default 2; 1 = plain geodesic distance): posterior elements hang down from their own pedicles. */
  readonly posteriorCranialStepCost: number;
  /**
   * Cost of a caudal step in the neural arch behind the canal (default 0.5): the laminae and the spinous
   * process run caudally from their own pedicles and overlap the body below by a third of its height, where
   * at 3 mm they touch the lower vertebra's superior articular processes through the facet joints; with
   * equal costs the lower vertebra, whose pedicles are nearer, took the lower half of every spinous process
   * on the real CT (L1–L3 lost 50–140 voxels each).
   */
  readonly posteriorCaudalStepCost: number;
  /** The caudal discount applies within this distance (mm) of the centre line across (default 12: the laminae and the spinous process, medial to the facets; the articular pillars keep equal costs, since with the discount there T12 ran down its inferior articular processes into L1's pedicles on the real CT). */
  readonly posteriorCaudalHalfWidthMm: number;
  /**
   * Before the vertebrae compete, each body's marker grows through bone within the slab between its own
   * endplates up to this far (mm) behind the centre line: its pedicles and the roots of its processes
   * (default 25; 0 = off). On the real CT T12 otherwise took L1's pedicles through a facet joint blurred
   * shut at 3 mm (L1 Dice 0.86 → 0.90, centroid 4.7 → 3.1 mm); deeper, the slab would cut across the
   * laminae, which hang below their own body.
   */
  readonly bodySlabGrowthMm: number;
  /** …and within this distance (mm) across the centre line (default 22: the pedicles; wider, the thoracic bodies take their rib heads before the ribs compete — phantom T10–T12 Dice 0.91–0.93 fell to 0.87–0.89 unbounded). The sacrum's first stage stays within 30 mm, short of the sacroiliac joints. */
  readonly bodySlabHalfWidthMm: number;
  /** Both biases apply this far (mm) behind the body centre line or more (default 28: behind the posterior wall, about the canal's middle; from 12 mm, inside the body, T12's discounted steps down through L1's pedicles took most of L1's arch on the real CT). */
  readonly posteriorBiasFromMm: number;
  /** Bone attached to a vertebra reaching this far laterally (mm) is a rib (thoracic) or an ilium (sacrum) (default 68). */
  readonly ribReachMm: number;
  /** Castellvi type I: transverse process height ≥ 19 mm craniocaudal [pacs, Ars, BMC-LSTV]. */
  readonly castellviTransverseHeightMm: number;
  /** A transverse process closer to the sacrum than this (mm) with a gap is a pseudoarticulation (type II) (default 4). */
  readonly castellviContactMm: number;
  /** Use the last rib pair as a counting cue (clinical reference §9 lists last-rib counting as unconfirmed; default true, never verifying on its own). */
  readonly useLastRibCue: boolean;
  /** Disc voxels are soft tissue at or above this HU (default 20: excludes fat and CSF). */
  readonly discMinHu: number;
  /** Split the sacrum's S1 segment off as its own label (TotalSegmentator's `vertebrae_S1`); default false (the phantom vocabulary keeps S1 in `sacrum`). */
  readonly splitS1Segment: boolean;
  /** Half-width (mm) of the split-off S1 segment across the column (default 32). */
  readonly s1SegmentHalfWidthMm: number;
}

export const DEFAULT_SPINE_CT_SETTINGS: SpineCtSettings = {
  boneHu: 150,
  holeFillMinHu: 70,
  surfaceHu: 250,
  holeFillMaxAreaMm2: 10000,
  bodyMinRadiusMm: 6,
  trackWindowMm: 15,
  trackMaxGapMm: 22,
  profileRadiusMm: 7,
  minVertebraMm: 12,
  lateralLimitMm: 58,
  sacrumLateralLimitMm: 85,
  posteriorCranialStepCost: 2,
  posteriorCaudalStepCost: 0.5,
  posteriorBiasFromMm: 28,
  posteriorCaudalHalfWidthMm: 12,
  bodySlabGrowthMm: 25,
  bodySlabHalfWidthMm: 22,
  ribReachMm: 68,
  castellviTransverseHeightMm: 19,
  castellviContactMm: 4,
  useLastRibCue: true,
  discMinHu: 20,
  splitS1Segment: false,
  s1SegmentHalfWidthMm: 32,
};
