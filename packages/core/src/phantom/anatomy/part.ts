import { LABELS, type LabelName } from '../vocabulary.ts';
import type { Tissue } from '../tissue.ts';
import type { Shape } from './shapes.ts';
import type { ScenePart } from './types.ts';

/**
 * Painting priorities (higher wins where structures overlap; equal priorities: the later part wins).
 * The order encodes anatomy's "what displaces what": bone over everything soft, discs and fragments over
 * the canal contents they compress, roots over the fat and muscle they run through, vessels over muscle.
 */
export const PRIORITY = {
  skin: 10,
  fat: 20,
  abdominalWall: 24,
  /** Bowel yields to the retroperitoneal organs and muscles it may touch. */
  bowelWall: 26,
  bowelContent: 27,
  bowelGas: 28,
  muscle: 30,
  kidney: 35,
  vein: 40,
  artery: 41,
  epiduralFat: 50,
  /** Ligamentum flavum under the dural sac: the sac's own outline is the truth of its area (stenosis narrows it explicitly). */
  ligament: 51,
  duralSac: 52,
  cauda: 54,
  cord: 55,
  root: 58,
  ganglion: 59,
  annulus: 60,
  nucleus: 61,
  fragment: 62,
  cartilage: 69,
  cortical: 70,
  cancellous: 71,
  /** Sacral roots run through the sacral foramina: painted over the bone they pass through. */
  sacralRoot: 75,
  sacralGanglion: 76,
} as const;

export function part(structure: LabelName, tissue: Tissue, priority: number, shape: Shape): ScenePart {
  return { structure, label: LABELS[structure], tissue, priority, shape };
}
