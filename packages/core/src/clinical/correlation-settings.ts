/**
 * Every number the correlation uses that is not a fixed fact of anatomy. Three kinds, each marked:
 *
 * - SOURCED: a value the clinical reference gives, with its tag;
 * - UNCONFIRMED: the reference marks it unconfirmed or has no source; a setting with the uncertainty stated;
 * - MODEL: a weight of Keyhole's scoring model (how much one sign counts against another). These are not
 *   clinical facts; the defaults were chosen so that a textbook sign outweighs a shared one and a key
 *   point or key muscle outweighs a wider area (after [Hong&Nam]: the map is a prior to weigh, not a lookup).
 *
 * Callers may override any of them (`correlate({ …, settings: { farLateralShare: 0.12 } })`); the result
 * echoes the settings it used.
 */
export interface CorrelationSettings {
  // --- priors -----------------------------------------------------------------------------------
  /** SOURCED [Sasaki]: 210 operated single-level lumbar radiculopathies: L5 ≈60%, S1 ≈27%, L4 ≈10%, L3 ≈3%. L1 and L2 are not given there. */
  readonly lumbarRootPriors: Readonly<Record<'L1' | 'L2' | 'L3' | 'L4' | 'L5' | 'S1', number>>;
  /** SOURCED [RootTbl; secondary]: C5 5%, C6 35%, C7 35%, C8 25%; T1 "rare" (its value is UNCONFIRMED). */
  readonly cervicalRootPriors: Readonly<Record<'C5' | 'C6' | 'C7' | 'C8' | 'T1', number>>;

  // --- evidence weights -----------------------------------------------------------------------------
  /** MODEL: converts the summed sign weights below into log-likelihood units. Below 1 keeps a textbook case from reading as certain: the textbook pattern holds in only about two thirds of confirmed radiculopathies [Hong&Nam]. */
  readonly evidenceScale: number;
  /** MODEL: sensory loss at a root's key point / named area / neighbouring area. */
  readonly sensoryWeight: Readonly<Record<'key' | 'primary' | 'secondary', number>>;
  /** MODEL: pain in a root's pain path (primary) or a shared/neighbouring area (secondary). */
  readonly painWeight: Readonly<Record<'key' | 'primary' | 'secondary', number>>;
  /** MODEL: weakness of a root's key muscle / other named muscle / shared muscle, at MRC 4; scaled by `weaknessSeverityScale`. */
  readonly muscleWeight: Readonly<Record<'key' | 'primary' | 'secondary', number>>;
  /** MODEL: multiplier per MRC grade (index = grade 0–4): weaker muscles count more. */
  readonly weaknessSeverityScale: readonly [number, number, number, number, number];
  /** MODEL: a reduced / absent reflex of the root (key), scaled by 0.5 for a shared (secondary) reflex. */
  readonly reflexWeight: Readonly<Record<'reduced' | 'absent', number>>;
  /** MODEL: a positive tension test for a root it stretches (SLR for L5/S1, femoral stretch for L2–L4 [Harrison]). */
  readonly tensionTestWeight: number;
  /** UNCONFIRMED: the reference has no source for the crossed SLR; counted for L5/S1 like the SLR with this weight. */
  readonly crossedSlrWeight: number;
  /** UNCONFIRMED: the reference has no source for Spurling's test; a positive test supports every cervical root on that side. */
  readonly spurlingWeight: number;
  /** UNCONFIRMED: groin pain for L1 (the reference marks L1's pain distribution unconfirmed). */
  readonly l1GroinPainWeight: number;
  /** MODEL: evidence against a root: its key reflex recorded normal, its key muscle recorded at MRC 5, its tension test negative. */
  readonly againstWeight: Readonly<Record<'normalReflex' | 'fullPower' | 'negativeTest', number>>;
  /** MODEL: each abnormal sign a root does not explain counts against it (per sensory region, pain region, weak movement scaled by severity, abnormal reflex, positive test). */
  readonly unexplainedWeight: Readonly<Record<'sensory' | 'pain' | 'weakness' | 'reflex' | 'test', number>>;
  /** MODEL: a root is listed only when its positive evidence reaches this (one secondary pain area alone is not enough). */
  readonly minimumRootEvidence: number;

  // --- root → level and zone, clinical reference §2 ---------------------------------------------
  /** SOURCED [Orthobullets]: far-lateral (foraminal + extraforaminal) herniations are 7–12% of lumbar herniations; default the midpoint 0.1. */
  readonly farLateralShare: number;
  /** UNCONFIRMED: how the far-lateral share splits between foraminal and the extraforaminal zone (default even). */
  readonly foraminalShareOfFarLateral: number;
  /** UNCONFIRMED: for cervical roots, the share of each zone at the root's disc (posterolateral and foraminal both hit C(n+1) [SpineHealth]). */
  readonly cervicalZoneShares: Readonly<Record<'subarticular' | 'foraminal' | 'extraforaminal', number>>;
  /** UNCONFIRMED: with bilateral symptoms, the share of a root's mass given to a central herniation at its traversing disc (central hits several roots [Radiopaedia-Nom]). */
  readonly bilateralCentralShare: number;

  // --- level count and transitional anatomy, clinical reference §9 -------------------------------
  /** SOURCED [Tokgoz2014]: lumbar MRI alone misnumbered 14.1%: when the count is not verified from C2 [Lian2018], that share moves to the neighbouring levels. */
  readonly unverifiedMisnumberingRate: number;
  /** UNCONFIRMED: with a transitional or numerical variant, the share of a root's mass given to the functionally shifted root (variant dermatomes [Peker]). */
  readonly transitionalShiftShare: number;

  // --- imaging support ----------------------------------------------------------------------------
  /** MODEL: likelihood ratio of a certain, clearly compressive finding for the candidate it lies on (scaled by the finding's strength × confidence). */
  readonly imagingLikelihoodRatio: number;
  /** MODEL: a finding counts as concordant when it hits a root whose likelihood is at least this (lower: partly concordant). */
  readonly concordantRootLikelihood: number;
  /** MODEL: a finding weaker than this (0–1) on an implicated root is only partly concordant (a bulge, mild stenosis, contact without deviation). */
  readonly concordantFindingStrength: number;
  /** MODEL: findings with confidence below this are marked for review. */
  readonly reviewConfidence: number;

  // --- stenosis thresholds ------------------------------------------------------------------------
  /** SOURCED [Schönström 1988]: dural-sac area below 75 mm² probably impairs root function. */
  readonly duralSacCriticalAreaMm2: number;
  /** SOURCED [Hamanishi 1994]: < 100 mm² at more than two of L2/3–L4/5 is associated with claudication. */
  readonly duralSacClaudicationAreaMm2: number;
  /** SOURCED [Kalichman 2009]: canal AP diameter: relative stenosis < 12 mm, absolute < 10 mm. */
  readonly canalApRelativeMm: number;
  /** SOURCED [Kalichman 2009]: absolute stenosis below this AP diameter (also the most used cut-off [Steurer 2011]). */
  readonly canalApAbsoluteMm: number;
  /** SOURCED [Hasegawa 1995]: foraminal height ≤ 15 mm and posterior disc height ≤ 4 mm go with root compression. */
  readonly foraminalHeightCriticalMm: number;
  /** SOURCED [Hasegawa 1995]: posterior disc height ≤ 4 mm → compression in 8/10 foramina. */
  readonly posteriorDiscHeightCriticalMm: number;

  // --- urgency ---------------------------------------------------------------------------------------
  /** UNCONFIRMED: a progressive deficit is treated as rapidly progressive (emergency) when a muscle is at or below this MRC grade; above it, urgent. */
  readonly progressiveDeficitEmergencyMrc: number;
  /** UNCONFIRMED: a muscle at or below this MRC grade makes the case urgent even without progression. */
  readonly severeWeaknessUrgentMrc: number;
  /** UNCONFIRMED: bilateral sciatica alone (no saddle, bladder or bowel sign) is a CES red flag [AJEM]; default: urgent, not emergency. */
  readonly bilateralSciaticaAloneIsEmergency: boolean;
  /** SOURCED [Lee2006]: > 50% canal compromise of a central herniation: with bilateral symptoms it supports suspected CES (MSU 3-A often seen with cauda equina [MSU]). */
  readonly centralCanalCompromisePercent: number;
}

export const DEFAULT_CORRELATION_SETTINGS: CorrelationSettings = {
  lumbarRootPriors: { L1: 0.01, L2: 0.02, L3: 0.03, L4: 0.1, L5: 0.6, S1: 0.27 }, // [Sasaki]; L1, L2 UNCONFIRMED small values
  cervicalRootPriors: { C5: 0.05, C6: 0.35, C7: 0.35, C8: 0.25, T1: 0.02 }, // [RootTbl]; T1 "rare" UNCONFIRMED
  evidenceScale: 0.45,
  sensoryWeight: { key: 2.5, primary: 1.6, secondary: 0.6 },
  painWeight: { key: 1.2, primary: 1.0, secondary: 0.4 },
  muscleWeight: { key: 2.5, primary: 1.5, secondary: 0.6 },
  weaknessSeverityScale: [1.6, 1.5, 1.4, 1.25, 1],
  reflexWeight: { reduced: 2.0, absent: 2.5 },
  tensionTestWeight: 1.0,
  crossedSlrWeight: 0.8,
  spurlingWeight: 0.5,
  l1GroinPainWeight: 0.8,
  againstWeight: { normalReflex: -0.8, fullPower: -0.5, negativeTest: -0.4 },
  unexplainedWeight: { sensory: -0.6, pain: -0.3, weakness: -0.6, reflex: -0.8, test: -0.4 },
  minimumRootEvidence: 0.9,
  farLateralShare: 0.1, // [Orthobullets] 7–12%
  foraminalShareOfFarLateral: 0.5,
  cervicalZoneShares: { subarticular: 0.45, foraminal: 0.45, extraforaminal: 0.1 },
  bilateralCentralShare: 0.5,
  unverifiedMisnumberingRate: 0.141, // [Tokgoz2014]
  transitionalShiftShare: 0.3,
  imagingLikelihoodRatio: 40,
  concordantRootLikelihood: 0.15,
  concordantFindingStrength: 0.5,
  reviewConfidence: 0.6,
  duralSacCriticalAreaMm2: 75, // [Schönström 1988]
  duralSacClaudicationAreaMm2: 100, // [Hamanishi 1994]
  canalApRelativeMm: 12, // [Kalichman 2009]
  canalApAbsoluteMm: 10, // [Kalichman 2009]
  foraminalHeightCriticalMm: 15, // [Hasegawa 1995]
  posteriorDiscHeightCriticalMm: 4, // [Hasegawa 1995]
  progressiveDeficitEmergencyMrc: 3,
  severeWeaknessUrgentMrc: 2,
  bilateralSciaticaAloneIsEmergency: false,
  centralCanalCompromisePercent: 50, // [Lee2006]
};

export const resolveSettings = (overrides: Partial<CorrelationSettings> | undefined): CorrelationSettings => ({
  ...DEFAULT_CORRELATION_SETTINGS,
  ...(overrides ?? {}),
});
