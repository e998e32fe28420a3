/**
 * Settings of the native-CT surroundings analysis. HU bands are typical CT numbers (fat −150…−50, muscle and
 * unenhanced viscera/blood 10–60 [Hounsfield-unit tables, e.g. Radiopaedia "Hounsfield unit"; the clinical
 * reference has none]); distances are Keyhole defaults (the clinical reference gives no keep-out geometry):
 * they are settings, never silent constants.
 */
export interface SurroundingsSettings {
  /** Body: voxels above this HU (default −500: tissue and fat, not air), largest 3-D component, holes filled per slice. */
  readonly bodyMinHu: number;
  /** Tissue thinner than this (mm) joining the trunk is cut off it (the table's shell, blankets; default 4). */
  readonly tableGapMm: number;
  /** Gas inside the body below this HU (default −300) [task brief: bowel gas HU < −300]. */
  readonly gasMaxHu: number;
  /** Fat band upper bound (default −40: fat −150…−50 plus partial volume at 3 mm). */
  readonly fatMaxHu: number;
  /** Bone outside the spine labels at or above this HU (default 200). */
  readonly boneHu: number;
  /**
   * A fat run this thick (mm) met after muscle on the way in from the back ends the posterior wall (default 8: more than the 3–6 mm fat planes between multifidus, laminae and transverse processes at 3 mm voxels).
   * The kidneys lie in perirenal fat inside Gerota's fascia, separated from the psoas and quadratus lumborum by
   * the perirenal and posterior pararenal fat [Gray's Anatomy, 41st ed., ch. 74]; thinner intermuscular fat
   * planes are crossed.
   */
  readonly fatGapMm: number;
  /** Fat within this distance (mm) of the vertebra (epidural, foraminal, around the laminae) never ends the wall (default 10). */
  readonly spineFatMm: number;
  /** Behind the canal centre and within this distance (mm) of the midline fat never ends the wall (default 30: the kidneys lie lateral to the erector spinae, ≥ 40 mm from the midline [Gray's Anatomy, ch. 74]). */
  readonly midlineFatMm: number;
  /** A fat layer ends the wall only after this much muscle on the way in (mm, default 10: the latissimus dorsi and thoracolumbar fascia over the erector spinae are thinner). */
  readonly minMuscleBeforeGapMm: number;
  /**
   * The posterior wall (passable) ends this far in front of the vertebral body centre (mm, default 15) above the
   * aortic bifurcation: the aorta and IVC lie on the front of the vertebral bodies [Gray's Anatomy, 41st ed.,
   * ch. 72], ~15–20 mm ahead of the body centre; the planner keeps its 7 mm cannula 5 mm from a keep-out, so the
   * front must clear a target at the disc centre by ≥ 8.5 mm [clinical reference §7, Kumari2021 for the cannula].
   */
  readonly corridorAnteriorOfBodyCentreMm: number;
  /** The same below the bifurcation (caudal to the L4 centroid; default 5: the common iliac arteries and veins lie anterolateral to L4–L5 and the promontory [Gray's Anatomy, ch. 76], closer than the aorta). */
  readonly corridorAnteriorBelowBifurcationMm: number;
  /** Half-width (mm) of the in-plane box mean the posterior-wall scan reads tissue from (default 3: one voxel at 3 mm). */
  readonly smoothingMm: number;
  /** Psoas: tissue at least this HU after the box mean, grown from the vertebra between the canal centre and the corridor's front (default 25: between unenhanced kidney ≈ 10–30 and muscle ≈ 40–60 HU). */
  readonly psoasMinHu: number;
  /** The psoas is grown no further back than this behind the canal centre (mm, default 6; the lower psoas reaches back beside the transverse processes, the kidneys lie further back laterally). */
  readonly psoasPosteriorReachMm: number;
  /** Psoas seeds: muscle this close to the vertebra (mm, default 12: across the fat line, 6–9 mm at 3 mm voxels on the reference CT, that often parts them; kidneys lie further lateral). */
  readonly psoasSeedReachMm: number;
  /** Tissue this close (mm) to the vertebra, behind the corridor's front, is wall (default 8). */
  readonly perivertebralMm: number;
  /** Subcutaneous fat reaches at most this deep from the skin (mm, default 80). */
  readonly subcutaneousMaxDepthMm: number;
  /** Muscle of the abdominal wall: soft tissue within this depth under the subcutaneous fat (mm, default 12; the obliques and transversus are ~10 mm together). */
  readonly wallDepthMm: number;
  /** The keep-out grows this far (mm) into the wall around it, not into the psoas, the spine or the subcutaneous fat (default 6: two 3 mm voxels of partial volume at the back of the kidneys and colon). */
  readonly keepOutGrowMm: number;
  /** Fat inside the abdominal wall farther than this (mm) from any soft tissue or gas there is passable fat, not keep-out (default 10; 0 keeps every voxel inside the wall keep-out). */
  readonly cavityFatMarginMm: number;
  /** Keep-out behind a coronal plane this far in front of the vertebral bodies (mm, default 30) is `retroperitoneal_keep_out`, the rest `peritoneal_keep_out`. */
  readonly retroperitonealDepthMm: number;
}

export const DEFAULT_SURROUNDINGS_SETTINGS: SurroundingsSettings = {
  bodyMinHu: -500,
  tableGapMm: 4,
  gasMaxHu: -300,
  fatMaxHu: -40,
  boneHu: 200,
  fatGapMm: 8,
  spineFatMm: 10,
  midlineFatMm: 30,
  minMuscleBeforeGapMm: 10,
  corridorAnteriorOfBodyCentreMm: 15,
  corridorAnteriorBelowBifurcationMm: 5,
  smoothingMm: 3,
  psoasMinHu: 25,
  psoasPosteriorReachMm: 6,
  psoasSeedReachMm: 12,
  perivertebralMm: 8,
  subcutaneousMaxDepthMm: 80,
  wallDepthMm: 12,
  keepOutGrowMm: 6,
  cavityFatMarginMm: 10,
  retroperitonealDepthMm: 30,
};
