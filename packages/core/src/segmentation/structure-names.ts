/**
 * Mapping of other tools' structure names onto Keyhole's anatomy vocabulary (LABELS).
 *
 * TotalSegmentator v2, task `total` (names as in its label json, e.g.
 * ../shared/data/labels-totalsegmentator-total.json; v1 used the same names for these structures).
 * Names Keyhole has no structure for (liver, femur_left, …) are NOT mapped: importers keep them
 * under their source name, mark them foreign and report them.
 *
 * Approximate correspondences are marked with a `note` that importers pass on:
 * - `iliopsoas_*` is psoas major + iliacus; Keyhole's `psoas_*` is psoas major;
 * - `autochthon_*` (the deep "autochthonous" back muscles: erector spinae + transversospinalis) →
 *   Keyhole's `paraspinal_*`;
 * - `hip_*` is the whole hip bone (ilium, ischium, pubis); Keyhole splits it into `ilium_*` (with the
 *   iliac crest a trajectory must clear) and `pelvis` (pubis/ischium), so the whole bone goes to `ilium_*`;
 * - `colon`, `small_bowel` and `duodenum` merge into Keyhole's single `bowel`;
 * - `vertebrae_S1` → `S1`: TotalSegmentator always separates S1 from the rest of the sacrum, Keyhole's
 *   phantom only does for a lumbarized S1 (see ../phantom/vocabulary.ts); the spine model reads both.
 */
import { isLabelName, type LabelName } from '../phantom/vocabulary.ts';

export interface NameMapping {
  readonly name: LabelName;
  /** Why the correspondence is not one to one, when it is not. */
  readonly note?: string;
}

const ILIOPSOAS = 'TotalSegmentator iliopsoas is psoas major and iliacus together';
const AUTOCHTHON = 'TotalSegmentator autochthon is the deep back muscles (erector spinae and transversospinalis)';
const HIP = 'TotalSegmentator hip is the whole hip bone (ilium, ischium and pubis)';
const BOWEL = 'Keyhole has one bowel structure; TotalSegmentator colon, small_bowel and duodenum merge into it';

/** TotalSegmentator `total` names that are not `vertebrae_*` or `rib_*`. */
const TOTALSEGMENTATOR_NAMES: Readonly<Record<string, NameMapping>> = {
  sacrum: { name: 'sacrum' },
  spinal_cord: { name: 'spinal_cord' },
  aorta: { name: 'aorta' },
  inferior_vena_cava: { name: 'ivc' },
  iliac_artery_left: { name: 'iliac_artery_left' },
  iliac_artery_right: { name: 'iliac_artery_right' },
  iliac_vena_left: { name: 'iliac_vein_left' },
  iliac_vena_right: { name: 'iliac_vein_right' },
  kidney_left: { name: 'kidney_left' },
  kidney_right: { name: 'kidney_right' },
  colon: { name: 'bowel', note: BOWEL },
  small_bowel: { name: 'bowel', note: BOWEL },
  duodenum: { name: 'bowel', note: BOWEL },
  iliopsoas_left: { name: 'psoas_left', note: ILIOPSOAS },
  iliopsoas_right: { name: 'psoas_right', note: ILIOPSOAS },
  autochthon_left: { name: 'paraspinal_left', note: AUTOCHTHON },
  autochthon_right: { name: 'paraspinal_right', note: AUTOCHTHON },
  hip_left: { name: 'ilium_left', note: HIP },
  hip_right: { name: 'ilium_right', note: HIP },
};

/**
 * The Keyhole structure a source name stands for: a Keyhole vocabulary name maps to itself, then
 * TotalSegmentator's names (`vertebrae_L4` → `L4`, `rib_left_12` → `rib_T12_left`, table above).
 * Undefined when Keyhole has no name for it.
 */
export function mapStructureName(sourceName: string): NameMapping | undefined {
  if (isLabelName(sourceName)) return sourceName === 'background' ? undefined : { name: sourceName };
  const vertebra = /^vertebrae_([CTLS]\d{1,2})$/.exec(sourceName);
  if (vertebra !== null) {
    const name = vertebra[1]!;
    return isLabelName(name) ? { name } : undefined;
  }
  const rib = /^rib_(left|right)_(\d{1,2})$/.exec(sourceName);
  if (rib !== null) {
    const name = `rib_T${rib[2]}_${rib[1]}`;
    return isLabelName(name) ? { name } : undefined;
  }
  return Object.prototype.hasOwnProperty.call(TOTALSEGMENTATOR_NAMES, sourceName) ? TOTALSEGMENTATOR_NAMES[sourceName] : undefined;
}
