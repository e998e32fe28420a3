/**
 * Keep-out structures of a transforaminal cannula, as groups of label names in the phantom vocabulary
 * (clinical reference §7, "structures at risk"): the exiting root and its ganglion [MIS2017, Dannebrock2023],
 * the traversing root and the dural sac (the medial side of Kambin's triangle [MIS2017]), the other roots,
 * the great vessels and iliac vessels (segmental artery injury and pseudoaneurysm [Ahn2009, Panagiotopoulos]),
 * kidneys, bowel and other abdominal organs with too lateral an entry [Lee2020-JKNS], the iliac crest (the
 * ilium blocks L5–S1 trajectories [Sousa]) and vertebral bone, of which the lower vertebra's superior
 * articular process may be resected by foraminoplasty [PMID26815257]. Names from other segmenters
 * (TotalSegmentator's `colon`, `small_bowel`, `hip_left` …) and the surroundings' conservative unions
 * (`retroperitoneal_keep_out`, `peritoneal_keep_out`) are mapped to the same groups.
 */
import type { Side } from '../phantom/vocabulary.ts';

export type KeepOutGroup =
  | 'exiting_root'
  | 'traversing_root'
  | 'other_roots'
  | 'dural_sac'
  | 'vessels'
  | 'kidneys'
  | 'bowel'
  | 'organs'
  | 'iliac_bone'
  | 'vertebral_bone'
  | 'facet';

/** What kind of margin applies to a group (`PlanSettings.marginsMm`). */
export type MarginKind = 'neural' | 'viscera' | 'bone';

export const KEEP_OUT_GROUPS: readonly KeepOutGroup[] = [
  'exiting_root', 'traversing_root', 'other_roots', 'dural_sac', 'vessels', 'kidneys', 'bowel', 'organs', 'iliac_bone', 'vertebral_bone', 'facet',
];

export const GROUP_MARGIN: Readonly<Record<KeepOutGroup, MarginKind>> = {
  exiting_root: 'neural',
  traversing_root: 'neural',
  other_roots: 'neural',
  dural_sac: 'neural',
  vessels: 'viscera',
  kidneys: 'viscera',
  bowel: 'viscera',
  organs: 'viscera',
  iliac_bone: 'bone',
  vertebral_bone: 'bone',
  facet: 'bone',
};

export const GROUP_TITLE: Readonly<Record<KeepOutGroup, string>> = {
  exiting_root: 'exiting root and ganglion',
  traversing_root: 'traversing root',
  other_roots: 'other roots',
  dural_sac: 'dural sac',
  vessels: 'aorta, IVC and iliac vessels',
  kidneys: 'kidneys',
  bowel: 'bowel and colon',
  organs: 'other abdominal organs',
  iliac_bone: 'iliac crest and pelvis',
  vertebral_bone: 'vertebral bone',
  facet: 'lower vertebra (superior articular process)',
};

const VESSELS = /^(aorta|ivc|inferior_vena_cava|iliac_(artery|vein)_(left|right)|common_iliac_(artery|vein)_(left|right)|portal_vein_and_splenic_vein)$/;
const BOWEL = /^(bowel|bowel_gas|colon|small_bowel|duodenum|rectum)$/;
// `retroperitoneal_keep_out` / `peritoneal_keep_out`: the conservative unions that Keyhole's native-CT
// surroundings (../surroundings/) give where a plain CT cannot tell kidneys, vessels and bowel apart; they
// are kept out like the organs they stand for, with the viscera margin.
const ORGANS = /^(liver|spleen|stomach|pancreas|gallbladder|urinary_bladder|esophagus|adrenal_gland_(left|right)|lung_.*|heart|retroperitoneal_keep_out|peritoneal_keep_out)$/;
const KIDNEYS = /^kidney_(left|right)$/;
const ILIAC = /^(ilium_(left|right)|pelvis|hip_(left|right))$/;
const VERTEBRA = /^(C[1-7]|T1[0-3]|T[1-9]|L[1-6]|S1|sacrum|coccyx)$/;
const ROOT = /^(root|drg)_([CTLS]\d+)_(left|right)$/;
const SAC = /^(dural_sac|cauda_equina|spinal_cord|conus)$/;
const RIB = /^rib_/;

/** The vertebra below a disc by label name: `L5-S1` → the sacrum unless S1 is its own (lumbarized) label. */
export function lowerVertebraLabelName(lower: string, namesPresent: ReadonlySet<string>): string {
  return lower === 'S1' && !namesPresent.has('S1') ? 'sacrum' : lower;
}

/**
 * The group of a structure name for a plan at disc `upper-lower` on `side`: the exiting root is the upper
 * vertebra's (Ln exits below the Ln pedicle [Witek]), the traversing root the lower's.
 */
export function keepOutGroupOf(name: string, level: { readonly upper: string; readonly lower: string; readonly lowerLabel: string }, side: Side): KeepOutGroup | undefined {
  const root = ROOT.exec(name);
  if (root !== null) {
    if (root[3] === side && root[2] === level.upper) return 'exiting_root';
    if (root[3] === side && root[2] === level.lower) return 'traversing_root';
    return 'other_roots';
  }
  if (SAC.test(name)) return 'dural_sac';
  if (VESSELS.test(name)) return 'vessels';
  if (KIDNEYS.test(name)) return 'kidneys';
  if (BOWEL.test(name)) return 'bowel';
  if (ORGANS.test(name)) return 'organs';
  if (ILIAC.test(name)) return 'iliac_bone';
  if (VERTEBRA.test(name)) return name === level.lowerLabel ? 'facet' : 'vertebral_bone';
  if (RIB.test(name)) return 'vertebral_bone';
  return undefined;
}
