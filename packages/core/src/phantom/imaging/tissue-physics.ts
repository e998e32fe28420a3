import type { Tissue } from '../tissue.ts';

/**
 * Per-tissue physical properties that the phantom's CT and MR synthesis read.
 *
 * CT: attenuation in Hounsfield units (HU), water 0, air −1000 by definition. Values are TYPICAL
 * unenhanced values from standard radiology references (e.g. Bushberg et al., The Essential
 * Physics of Medical Imaging, 3rd ed., table of CT numbers; Brant & Helms, Fundamentals of
 * Diagnostic Radiology); the ranges the phantom draws from are given per tissue. Cancellous
 * (trabecular) vertebral bone falls with age: Pickhardt et al., Ann Intern Med 2013;158:588–595
 * report L1 trabecular attenuation falling from ~250–300 HU in young adults to ~100–150 HU in
 * the elderly (≤ 160 HU suggests osteoporosis); `cancellousHuForAge` follows that trend.
 *
 * MR at 1.5 T: relative proton density (PD, water = 1), longitudinal relaxation T1 and transverse
 * relaxation T2 in ms. Sources, where a measured value exists:
 * - [deB04] de Bazelaire et al., "MR imaging relaxation times of abdominal and pelvic tissues
 *   measured in vivo at 3.0 T: preliminary results", Radiology 2004;230:652–659 (1.5 T values
 *   measured alongside): subcutaneous fat 343/58, renal cortex 966/87, muscle 856/27.
 * - [Gol04] Gold et al., "Musculoskeletal MRI at 3.0 T: relaxation times and image contrast",
 *   AJR 2004;183:343–351 (1.5 T): skeletal muscle 1008/44, cartilage 1024/30.
 * - [Lu04] Lu et al., "Determining the longitudinal relaxation time (T1) of blood at 3.0 Tesla",
 *   MRM 2004;52:679–682: blood T1 ≈ 1441 ms at 1.5 T.
 * - Intervertebral disc: T2-mapping studies at 1.5 T report nucleus pulposus T2 ≈ 100–140 ms in
 *   healthy discs, falling with degeneration, and annulus ≈ 40–60 ms (e.g. Marinelli et al.,
 *   Spine 2009;34:520–524) — TYPICAL values here.
 * - CSF (T1 ≈ 4000, T2 ≈ 2000), cortical bone (T2 < 1 ms: no spin-echo signal), vertebral marrow
 *   (mixed red/yellow, T1 falls as fat replaces red marrow with age), ligament, cord and nerve:
 *   TYPICAL textbook values (e.g. Haacke et al., Magnetic Resonance Imaging, 1999, ch. 1 tables).
 * The cited numbers are transcribed from those papers' 1.5 T tables; re-check them before using
 * the phantom for quantitative MR work (the tests only rely on their ordering, i.e. contrast).
 * Where sources disagree the value chosen gives the clinical appearance a spine surgeon expects
 * (CSF and nucleus bright on T2, fat bright on T1 and on fast-spin-echo T2, cortex dark).
 */


export interface CtProperties {
  /** Mean attenuation (HU). */
  readonly hu: number;
  /** The range per-seed values are drawn from (HU); equal to [hu, hu] when fixed. */
  readonly range: readonly [number, number];
}

export interface MrProperties {
  /** Proton density relative to water. */
  readonly pd: number;
  /** ms at 1.5 T */
  readonly t1: number;
  /** ms at 1.5 T (spin echo) */
  readonly t2: number;
  /**
   * Apparent T2 in fast (turbo) spin echo, when it differs: fat's J-coupled lipid protons
   * decouple under a fast CPMG echo train, so fat stays bright on TSE T2 (Henkelman et al.,
   * "Why fat is bright in RARE and fast spin-echo imaging", JMRI 1992;2:533–540).
   */
  readonly t2Tse?: number;
  /** Flowing blood leaves the slice between the 90° and 180° pulses: a spin-echo flow void. */
  readonly flowVoid?: boolean;
}

export interface TissuePhysics {
  readonly ct: CtProperties;
  readonly mr: MrProperties;
}

const ct = (hu: number, low = hu, high = hu): CtProperties => ({ hu, range: [low, high] });

/** Physical properties per tissue; see the module comment for sources. Keyed by the anatomy's tissues, so a new tissue fails to compile until it has physics. */
export const TISSUE_PHYSICS: Readonly<Record<Tissue, TissuePhysics>> = {
  air: { ct: ct(-1000), mr: { pd: 0, t1: 1000, t2: 1 } },
  fat: { ct: ct(-100, -120, -80), mr: { pd: 0.9, t1: 343, t2: 58, t2Tse: 160 } }, // [deB04]
  skin: { ct: ct(40, 20, 60), mr: { pd: 0.6, t1: 600, t2: 40 } }, // typical
  muscle: { ct: ct(50, 40, 60), mr: { pd: 0.7, t1: 1008, t2: 44 } }, // [Gol04]
  cortical_bone: { ct: ct(1400, 1000, 1800), mr: { pd: 0.05, t1: 1000, t2: 1 } }, // typical; T2 < 1 ms
  cancellous_bone: { ct: ct(225, 150, 300), mr: { pd: 0.8, t1: 550, t2: 60, t2Tse: 90 } }, // typical; see cancellousHuForAge, marrowT1ForAge
  endplate: { ct: ct(900, 700, 1100), mr: { pd: 0.1, t1: 1000, t2: 2 } }, // typical: thin cortical plate
  annulus: { ct: ct(95, 80, 110), mr: { pd: 0.6, t1: 900, t2: 45 } }, // typical (T2 mapping)
  nucleus: { ct: ct(85, 70, 100), mr: { pd: 0.85, t1: 1100, t2: 120 } }, // typical (T2 mapping)
  csf: { ct: ct(8, 0, 15), mr: { pd: 1, t1: 4000, t2: 2000 } }, // typical
  neural: { ct: ct(35, 30, 40), mr: { pd: 0.72, t1: 745, t2: 74 } }, // typical (cord, cauda equina, roots)
  ganglion: { ct: ct(38, 30, 45), mr: { pd: 0.78, t1: 850, t2: 90 } }, // typical: DRG slightly brighter on T2 than the root
  ligament: { ct: ct(70, 60, 80), mr: { pd: 0.35, t1: 700, t2: 30 } }, // typical: ligamentum flavum, PLL
  blood_arterial: { ct: ct(40, 35, 45), mr: { pd: 0.9, t1: 1441, t2: 290, flowVoid: true } }, // [Lu04]; T2 typical (oxygenated)
  blood_venous: { ct: ct(40, 35, 45), mr: { pd: 0.9, t1: 1441, t2: 180, flowVoid: true } }, // [Lu04]; T2 typical (Yv ≈ 0.6)
  kidney: { ct: ct(30, 25, 35), mr: { pd: 0.85, t1: 966, t2: 87 } }, // [deB04] renal cortex
  bowel_wall: { ct: ct(40, 30, 50), mr: { pd: 0.75, t1: 900, t2: 55 } }, // typical
  bowel_content: { ct: ct(20, 10, 30), mr: { pd: 0.9, t1: 1800, t2: 200 } }, // typical: fluid-rich chyme
  gas: { ct: ct(-1000, -1000, -950), mr: { pd: 0, t1: 1000, t2: 1 } },
  cartilage: { ct: ct(100, 90, 110), mr: { pd: 0.7, t1: 1024, t2: 30 } }, // [Gol04]
  disc_fragment: { ct: ct(90, 80, 100), mr: { pd: 0.75, t1: 1000, t2: 90 } }, // typical: extruded nucleus, a little darker than the disc
  marrow_edema: { ct: ct(200, 150, 250), mr: { pd: 0.9, t1: 1100, t2: 110 } }, // typical: oedema, dark on T1 and bright on T2
};

/**
 * Trabecular (cancellous) vertebral attenuation for an age, after the decline Pickhardt et al.
 * (2013) report: ~300 HU at 20 years falling ~3 HU per year, never below 110 HU here.
 */
export function cancellousHuForAge(ageYears: number): number {
  return Math.max(110, Math.min(300, 300 - 3 * (ageYears - 20)));
}

/** Vertebral marrow T1 at 1.5 T shortens as yellow (fatty) marrow replaces red with age (typical trend). */
export function marrowT1ForAge(ageYears: number): number {
  return Math.max(380, Math.min(750, 750 - 6 * (ageYears - 20)));
}

