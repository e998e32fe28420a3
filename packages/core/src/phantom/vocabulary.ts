/**
 * The phantom's anatomy vocabulary: structure names and their FIXED label values.
 *
 * Every later feature (automatic anatomy, level counting, finding grading, trajectory planning)
 * reads label maps through this table, so values are never renumbered or reused; new structures get
 * new values. Values are grouped in ranges so a label map is readable by eye:
 *
 * - 0 background (air outside the body);
 * - 1–29 vertebrae C1…C7, T1…T13, L1…L6, S1, sacrum, coccyx. `S1` is its own label only when S1 is
 *   lumbarized (a mobile transitional vertebra with a disc below it, Castellvi [pacs, Ars, BMC-LSTV]);
 *   otherwise S1 is part of `sacrum` (the fused S1–S5). `T13` and `L6` exist only in those variants.
 *   A sacralized L5 keeps the label `L5` (its true identity) even where it is fused to the sacrum;
 *   the fusion shows as continuous bone tissue, not as a label change;
 * - 31–59 intervertebral discs named `upper-lower` (`L4-L5`, `L5-S1`, `T12-L1`, `L6-S1` with six lumbar
 *   vertebrae, `L4-S1` with four, `S1-S2` below a lumbarized S1). C1–C2 has no disc;
 * - 61–89 herniated disc fragments, `herniation_<disc>` = disc value + 30, so the truth of a herniation is
 *   exact and separate from its parent disc;
 * - 90–95 canal contents: `dural_sac` (CSF), `cauda_equina`, `spinal_cord`, `conus` (the conus medullaris
 *   is its own label: the tapering end of the cord, tip near L1–L2), `ligamentum_flavum`, `epidural_fat`;
 * - 100–215 spinal nerve roots and dorsal root ganglia: nerve n (C1…C8, T1…T13, L1…L6, S1, S2) has
 *   `root_<n>_left` = 100 + 4n, `root_<n>_right` = 101 + 4n, `drg_<n>_left` = 102 + 4n, `drg_<n>_right` = 103 + 4n.
 *   Lumbar and thoracic roots are named for the pedicle they pass under (the Ln root exits below the Ln
 *   pedicle [Witek]); cervical roots for the vertebra below (C8 exits at C7–T1 [Mostoufi]);
 * - 220–239 soft tissue, vessels, organs and the pelvis (`skin` is the outer 2 mm shell of the body;
 *   `fat` fills the body wherever no other structure is; `pelvis` is the pubis/ischium, the ilia have their
 *   own labels with the iliac crests);
 * - 301–326 ribs `rib_T<n>_left|right` (only where rib-bearing thoracic levels are in the scene).
 *
 * Label maps are stored as uint8 when every value in a scene's legend is ≤ 255, else uint16.
 */
export const LABELS = {
  // --- background (outside the body: air) -------------------------------
  'background': 0,
  // --- vertebrae 1–29 -----------------------------------------------------
  'C1': 1,
  'C2': 2,
  'C3': 3,
  'C4': 4,
  'C5': 5,
  'C6': 6,
  'C7': 7,
  'T1': 8,
  'T2': 9,
  'T3': 10,
  'T4': 11,
  'T5': 12,
  'T6': 13,
  'T7': 14,
  'T8': 15,
  'T9': 16,
  'T10': 17,
  'T11': 18,
  'T12': 19,
  'T13': 20,
  'L1': 21,
  'L2': 22,
  'L3': 23,
  'L4': 24,
  'L5': 25,
  'L6': 26,
  'S1': 27,
  'sacrum': 28,
  'coccyx': 29,
  // --- intervertebral discs 31–59 -----------------------------------------
  'C2-C3': 31,
  'C3-C4': 32,
  'C4-C5': 33,
  'C5-C6': 34,
  'C6-C7': 35,
  'C7-T1': 36,
  'T1-T2': 37,
  'T2-T3': 38,
  'T3-T4': 39,
  'T4-T5': 40,
  'T5-T6': 41,
  'T6-T7': 42,
  'T7-T8': 43,
  'T8-T9': 44,
  'T9-T10': 45,
  'T10-T11': 46,
  'T11-T12': 47,
  'T12-T13': 48,
  'T12-L1': 49,
  'T13-L1': 50,
  'L1-L2': 51,
  'L2-L3': 52,
  'L3-L4': 53,
  'L4-L5': 54,
  'L5-L6': 55,
  'L5-S1': 56,
  'L6-S1': 57,
  'L4-S1': 58,
  'S1-S2': 59,
  // --- herniated fragments 61–89 (disc value + 30) ------------------------
  'herniation_C2-C3': 61,
  'herniation_C3-C4': 62,
  'herniation_C4-C5': 63,
  'herniation_C5-C6': 64,
  'herniation_C6-C7': 65,
  'herniation_C7-T1': 66,
  'herniation_T1-T2': 67,
  'herniation_T2-T3': 68,
  'herniation_T3-T4': 69,
  'herniation_T4-T5': 70,
  'herniation_T5-T6': 71,
  'herniation_T6-T7': 72,
  'herniation_T7-T8': 73,
  'herniation_T8-T9': 74,
  'herniation_T9-T10': 75,
  'herniation_T10-T11': 76,
  'herniation_T11-T12': 77,
  'herniation_T12-T13': 78,
  'herniation_T12-L1': 79,
  'herniation_T13-L1': 80,
  'herniation_L1-L2': 81,
  'herniation_L2-L3': 82,
  'herniation_L3-L4': 83,
  'herniation_L4-L5': 84,
  'herniation_L5-L6': 85,
  'herniation_L5-S1': 86,
  'herniation_L6-S1': 87,
  'herniation_L4-S1': 88,
  'herniation_S1-S2': 89,
  // --- canal contents and ligaments 90–99 --------------------------------
  'dural_sac': 90,
  'cauda_equina': 91,
  'spinal_cord': 92,
  'conus': 93,
  'ligamentum_flavum': 94,
  'epidural_fat': 95,
  // --- nerve roots and dorsal root ganglia 100–215 (nerve n: 100 + 4n + [root L, root R, DRG L, DRG R]) --
  'root_C1_left': 100,
  'root_C1_right': 101,
  'drg_C1_left': 102,
  'drg_C1_right': 103,
  'root_C2_left': 104,
  'root_C2_right': 105,
  'drg_C2_left': 106,
  'drg_C2_right': 107,
  'root_C3_left': 108,
  'root_C3_right': 109,
  'drg_C3_left': 110,
  'drg_C3_right': 111,
  'root_C4_left': 112,
  'root_C4_right': 113,
  'drg_C4_left': 114,
  'drg_C4_right': 115,
  'root_C5_left': 116,
  'root_C5_right': 117,
  'drg_C5_left': 118,
  'drg_C5_right': 119,
  'root_C6_left': 120,
  'root_C6_right': 121,
  'drg_C6_left': 122,
  'drg_C6_right': 123,
  'root_C7_left': 124,
  'root_C7_right': 125,
  'drg_C7_left': 126,
  'drg_C7_right': 127,
  'root_C8_left': 128,
  'root_C8_right': 129,
  'drg_C8_left': 130,
  'drg_C8_right': 131,
  'root_T1_left': 132,
  'root_T1_right': 133,
  'drg_T1_left': 134,
  'drg_T1_right': 135,
  'root_T2_left': 136,
  'root_T2_right': 137,
  'drg_T2_left': 138,
  'drg_T2_right': 139,
  'root_T3_left': 140,
  'root_T3_right': 141,
  'drg_T3_left': 142,
  'drg_T3_right': 143,
  'root_T4_left': 144,
  'root_T4_right': 145,
  'drg_T4_left': 146,
  'drg_T4_right': 147,
  'root_T5_left': 148,
  'root_T5_right': 149,
  'drg_T5_left': 150,
  'drg_T5_right': 151,
  'root_T6_left': 152,
  'root_T6_right': 153,
  'drg_T6_left': 154,
  'drg_T6_right': 155,
  'root_T7_left': 156,
  'root_T7_right': 157,
  'drg_T7_left': 158,
  'drg_T7_right': 159,
  'root_T8_left': 160,
  'root_T8_right': 161,
  'drg_T8_left': 162,
  'drg_T8_right': 163,
  'root_T9_left': 164,
  'root_T9_right': 165,
  'drg_T9_left': 166,
  'drg_T9_right': 167,
  'root_T10_left': 168,
  'root_T10_right': 169,
  'drg_T10_left': 170,
  'drg_T10_right': 171,
  'root_T11_left': 172,
  'root_T11_right': 173,
  'drg_T11_left': 174,
  'drg_T11_right': 175,
  'root_T12_left': 176,
  'root_T12_right': 177,
  'drg_T12_left': 178,
  'drg_T12_right': 179,
  'root_T13_left': 180,
  'root_T13_right': 181,
  'drg_T13_left': 182,
  'drg_T13_right': 183,
  'root_L1_left': 184,
  'root_L1_right': 185,
  'drg_L1_left': 186,
  'drg_L1_right': 187,
  'root_L2_left': 188,
  'root_L2_right': 189,
  'drg_L2_left': 190,
  'drg_L2_right': 191,
  'root_L3_left': 192,
  'root_L3_right': 193,
  'drg_L3_left': 194,
  'drg_L3_right': 195,
  'root_L4_left': 196,
  'root_L4_right': 197,
  'drg_L4_left': 198,
  'drg_L4_right': 199,
  'root_L5_left': 200,
  'root_L5_right': 201,
  'drg_L5_left': 202,
  'drg_L5_right': 203,
  'root_L6_left': 204,
  'root_L6_right': 205,
  'drg_L6_left': 206,
  'drg_L6_right': 207,
  'root_S1_left': 208,
  'root_S1_right': 209,
  'drg_S1_left': 210,
  'drg_S1_right': 211,
  'root_S2_left': 212,
  'root_S2_right': 213,
  'drg_S2_left': 214,
  'drg_S2_right': 215,
  // --- soft tissue, vessels, organs, pelvis 220–239 -----------------------
  'skin': 220,
  'fat': 221,
  'abdominal_wall': 222,
  'psoas_left': 223,
  'psoas_right': 224,
  'paraspinal_left': 225,
  'paraspinal_right': 226,
  'aorta': 227,
  'ivc': 228,
  'iliac_artery_left': 229,
  'iliac_artery_right': 230,
  'iliac_vein_left': 231,
  'iliac_vein_right': 232,
  'kidney_left': 233,
  'kidney_right': 234,
  'bowel': 235,
  'bowel_gas': 236,
  'ilium_left': 237,
  'ilium_right': 238,
  'pelvis': 239,
  // --- ribs 301–326 (rib of Tn: 299 + 2n left, 300 + 2n right) -------------
  'rib_T1_left': 301,
  'rib_T1_right': 302,
  'rib_T2_left': 303,
  'rib_T2_right': 304,
  'rib_T3_left': 305,
  'rib_T3_right': 306,
  'rib_T4_left': 307,
  'rib_T4_right': 308,
  'rib_T5_left': 309,
  'rib_T5_right': 310,
  'rib_T6_left': 311,
  'rib_T6_right': 312,
  'rib_T7_left': 313,
  'rib_T7_right': 314,
  'rib_T8_left': 315,
  'rib_T8_right': 316,
  'rib_T9_left': 317,
  'rib_T9_right': 318,
  'rib_T10_left': 319,
  'rib_T10_right': 320,
  'rib_T11_left': 321,
  'rib_T11_right': 322,
  'rib_T12_left': 323,
  'rib_T12_right': 324,
  'rib_T13_left': 325,
  'rib_T13_right': 326,
} as const satisfies Record<string, number>;

export type LabelName = keyof typeof LABELS;

/** Vertebra names in cranio-caudal order (the superset over all variants). */
export const VERTEBRA_NAMES = [
  'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7',
  'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'T13',
  'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'S1', 'sacrum', 'coccyx',
] as const;

export type VertebraName = (typeof VERTEBRA_NAMES)[number];

/** Spinal nerve names (roots and ganglia exist for these). */
export const NERVE_NAMES = [
  'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8',
  'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'T13',
  'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'S1', 'S2',
] as const;

export type NerveName = (typeof NERVE_NAMES)[number];

export type Side = 'left' | 'right';

export function isLabelName(name: string): name is LabelName {
  return Object.prototype.hasOwnProperty.call(LABELS, name);
}

export function isVertebraName(name: string): name is VertebraName {
  return (VERTEBRA_NAMES as readonly string[]).includes(name);
}

/** Label value of a structure name; throws a RangeError for a name outside the vocabulary (a programming error). */
export function labelOf(name: string): number {
  if (!isLabelName(name)) throw new RangeError(`${name} is not in the phantom vocabulary`);
  return LABELS[name];
}

/** Name of a label value, or undefined for a value the vocabulary does not define. */
export function labelName(value: number): LabelName | undefined {
  for (const name of Object.keys(LABELS) as LabelName[]) if (LABELS[name] === value) return name;
  return undefined;
}

/** Disc name between two vertebrae, for example `discName('L4', 'L5')` → `'L4-L5'`; `sacrum` below counts as S1 (or S2 below a lumbarized S1). */
export function discName(upper: string, lower: string): string {
  if (lower === 'sacrum') return upper === 'S1' ? 'S1-S2' : `${upper}-S1`;
  return `${upper}-${lower}`;
}

/**
 * Legend (value → name) limited to the given label values, in ascending value order; values outside the
 * vocabulary are an error (a label map must only hold vocabulary values).
 */
export function buildLegend(values: Iterable<number>): Readonly<Record<number, LabelName>> {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const legend: Record<number, LabelName> = {};
  for (const value of sorted) {
    const name = labelName(value);
    if (name === undefined) throw new RangeError(`label value ${value} is not in the phantom vocabulary`);
    legend[value] = name;
  }
  return legend;
}
