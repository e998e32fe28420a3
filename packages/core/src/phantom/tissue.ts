/**
 * Tissue classes of the phantom: what a voxel is made of, independent of which structure it belongs to.
 * The imaging engineer maps each tissue to CT Hounsfield units and MR T1/T2 signal
 * (`phantom/imaging/`); the anatomy only says which tissue is where.
 *
 * Codes are FIXED small integers (compact Uint8Array tissue maps); never renumber, only append.
 */
export const TISSUE_CODES = {
  /** Outside the body, and lung/bowel gas is `gas`. */
  air: 0,
  fat: 1,
  skin: 2,
  muscle: 3,
  cortical_bone: 4,
  cancellous_bone: 5,
  /** Bony endplate of a vertebral body (the cortical plate next to the disc). */
  endplate: 6,
  annulus: 7,
  nucleus: 8,
  /** Cerebrospinal fluid inside the dural sac. */
  csf: 9,
  /** Cord, conus, cauda equina and nerve roots. */
  neural: 10,
  /** Dorsal root ganglion (slightly different signal from the root on MR). */
  ganglion: 11,
  /** Ligamentum flavum and other ligaments. */
  ligament: 12,
  blood_arterial: 13,
  blood_venous: 14,
  kidney: 15,
  bowel_wall: 16,
  bowel_content: 17,
  /** Bowel gas. */
  gas: 18,
  /** Facet and pseudo-articulation cartilage (Castellvi type II). */
  cartilage: 19,
  /** Herniated disc material outside the disc space. */
  disc_fragment: 20,
  /** Bone marrow oedema in an acute compression fracture (bright on T2/STIR, dark on T1). */
  marrow_edema: 21,
} as const;

export type Tissue = keyof typeof TISSUE_CODES;

export const TISSUES: readonly Tissue[] = Object.keys(TISSUE_CODES) as Tissue[];

/** Tissue of a code stored in a tissue map; throws a RangeError for an unknown code. */
export function tissueOfCode(code: number): Tissue {
  const tissue = TISSUES.find((t) => TISSUE_CODES[t] === code);
  if (tissue === undefined) throw new RangeError(`tissue code ${code} is not defined`);
  return tissue;
}
