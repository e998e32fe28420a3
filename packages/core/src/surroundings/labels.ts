/**
 * Names and values the surroundings analysis writes. Everything but the two keep-out unions is in the phantom
 * vocabulary (`../phantom/vocabulary.ts`), so the planner (`../plan/keep-out.ts`) reads them as it reads a
 * phantom's truth. A native (non-contrast) CT does not separate the bowel, kidneys and great vessels from
 * each other or from unopacified bowel reliably (they share 10–50 HU), so what lies inside the posterior
 * and lateral abdominal wall is given as two conservative unions; their values (240, 241) are the next free
 * ones after the vocabulary's soft-tissue range (220–239) and are proposed for the vocabulary.
 */
import { LABELS } from '../phantom/vocabulary.ts';

export const SURROUNDINGS_LABELS = {
  fat: LABELS.fat,
  abdominal_wall: LABELS.abdominal_wall,
  psoas_left: LABELS.psoas_left,
  psoas_right: LABELS.psoas_right,
  paraspinal_left: LABELS.paraspinal_left,
  paraspinal_right: LABELS.paraspinal_right,
  bowel_gas: LABELS.bowel_gas,
  ilium_left: LABELS.ilium_left,
  ilium_right: LABELS.ilium_right,
  /** Keep-out: everything inside the abdominal wall behind a coronal plane in front of the vertebral bodies (kidneys, aorta, IVC, iliac vessels, ascending/descending colon, duodenum, retroperitoneal fat). */
  retroperitoneal_keep_out: 240,
  /** Keep-out: everything else inside the abdominal wall (bowel, liver, spleen, bladder, mesenteric fat). */
  peritoneal_keep_out: 241,
} as const;

export type SurroundingsLabelName = keyof typeof SURROUNDINGS_LABELS;

/** Names the planner must treat as keep-out (bowel_gas it already knows; the unions it must learn). */
export const SURROUNDINGS_KEEP_OUT_NAMES: readonly SurroundingsLabelName[] = ['retroperitoneal_keep_out', 'peritoneal_keep_out', 'bowel_gas'];
