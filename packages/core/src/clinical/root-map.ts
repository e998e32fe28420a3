import { KeyholeError } from '../errors/keyhole-error.ts';
import type { BodyRegion, Movement, ProvocationTest, TendonReflex } from './exam-vocabulary.ts';

/**
 * The nerve-root clinical map of clinical reference §1 (tables 1a and 1b), as data: for each root, the
 * regions where its sensory loss and its pain are felt, the movements it powers, its reflex, and the
 * tension tests that stretch it. Every entry carries the source tag it comes from, and the correlation
 * copies that tag into the evidence it reports, so a reviewer can trace each step.
 *
 * The map is a prior to weigh, not a lookup: only 62.6% of surgically confirmed cervical radiculopathies
 * had a textbook skin pattern and 67.3% a textbook muscle pattern [Hong&Nam]. `strength` says how
 * specific an entry is; the weights per strength are settings (correlation-settings.ts).
 *
 * Regions of the body map that the reference does not name exactly are placed by the nearest named area
 * and marked `secondary` with a comment saying so.
 */

export const CERVICAL_ROOTS = ['C5', 'C6', 'C7', 'C8', 'T1'] as const;
export const LUMBOSACRAL_ROOTS = ['L1', 'L2', 'L3', 'L4', 'L5', 'S1'] as const;
/** Roots of the clinical map. Other root names (L6 of a six-lumbar spine, S2) appear only as imaging targets. */
export type MappedRoot = (typeof CERVICAL_ROOTS)[number] | (typeof LUMBOSACRAL_ROOTS)[number];

export type EntryStrength = 'key' | 'primary' | 'secondary';

export interface RegionEntry {
  readonly region: BodyRegion;
  /** key: the ISNCSCI sensory key point; primary: the root's named area or pain path; secondary: a neighbouring or shared area. */
  readonly strength: EntryStrength;
  readonly source: string;
}
export interface MuscleEntry {
  readonly movement: Movement;
  /** key: the ISNCSCI key muscle; primary: another named muscle of the root; secondary: shared with a neighbour. */
  readonly strength: EntryStrength;
  readonly source: string;
}
export interface ReflexEntry {
  readonly reflex: TendonReflex;
  readonly strength: EntryStrength;
  readonly source: string;
}
export interface TestEntry {
  readonly test: ProvocationTest;
  readonly source: string;
}

export interface RootProfile {
  readonly root: MappedRoot;
  readonly limb: 'upper' | 'lower';
  readonly sensory: readonly RegionEntry[];
  readonly pain: readonly RegionEntry[];
  readonly muscles: readonly MuscleEntry[];
  readonly reflexes: readonly ReflexEntry[];
  readonly tests: readonly TestEntry[];
}

const r = (region: BodyRegion, strength: EntryStrength, source: string): RegionEntry => ({ region, strength, source });
const m = (movement: Movement, strength: EntryStrength, source: string): MuscleEntry => ({ movement, strength, source });

export const ROOT_PROFILES: readonly RootProfile[] = [
  // --- cervical, clinical reference §1a -------------------------------------------------------
  {
    root: 'C5', limb: 'upper',
    // Key point: radial side of the elbow crease [ISNCSCI]; wider area: outer upper arm over the deltoid [RootTbl, GPnb].
    sensory: [r('lateral-arm', 'key', '[ISNCSCI, RootTbl, GPnb]'), r('shoulder', 'secondary', '[RootTbl] (deltoid area)')],
    // Pain: deltoid area and outer arm [Yomo].
    pain: [r('lateral-arm', 'primary', '[Yomo]'), r('shoulder', 'primary', '[Yomo]'), r('lateral-forearm', 'secondary', '[ISNCSCI] (key point at the radial elbow crease)')],
    // Elbow flexors are the ISNCSCI key muscle [ASIA]; also deltoid (shoulder abduction) [RootTbl].
    muscles: [m('elbow-flexion', 'key', '[ASIA]'), m('shoulder-abduction', 'primary', '[RootTbl]')],
    reflexes: [{ reflex: 'biceps', strength: 'key', source: '[RootTbl, GPnb]' }],
    tests: [{ test: 'spurling', source: 'unconfirmed (setting spurlingWeight)' }],
  },
  {
    root: 'C6', limb: 'upper',
    // Key point: dorsal thumb [ISNCSCI]; wider: outer forearm, thumb, index finger [RootTbl].
    sensory: [r('thumb', 'key', '[ISNCSCI]'), r('index-finger', 'primary', '[RootTbl]'), r('lateral-forearm', 'primary', '[RootTbl]')],
    // Pain: outer forearm to thumb and index [Yomo].
    pain: [r('lateral-forearm', 'primary', '[Yomo]'), r('thumb', 'primary', '[Yomo]'), r('index-finger', 'primary', '[Yomo]')],
    // Wrist extensors are the key muscle [ASIA]; biceps also [RootTbl].
    muscles: [m('wrist-extension', 'key', '[ASIA]'), m('elbow-flexion', 'secondary', '[RootTbl]')],
    // Brachioradialis (and biceps) [RootTbl].
    reflexes: [{ reflex: 'brachioradialis', strength: 'key', source: '[RootTbl]' }, { reflex: 'biceps', strength: 'secondary', source: '[RootTbl]' }],
    tests: [{ test: 'spurling', source: 'unconfirmed (setting spurlingWeight)' }],
  },
  {
    root: 'C7', limb: 'upper',
    // Key point: dorsal middle finger [ISNCSCI]; wider: middle finger [RootTbl].
    sensory: [r('middle-finger', 'key', '[ISNCSCI, RootTbl]')],
    // Pain: mid forearm to index and middle fingers [Yomo]; the body map has no mid-forearm region.
    pain: [r('middle-finger', 'primary', '[Yomo]'), r('index-finger', 'secondary', '[Yomo] (shared with C6)')],
    // Triceps is the key muscle [ASIA]; wrist flexors, finger extensors [RootTbl].
    muscles: [m('elbow-extension', 'key', '[ASIA]'), m('wrist-flexion', 'primary', '[RootTbl]'), m('finger-extension', 'primary', '[RootTbl]')],
    reflexes: [{ reflex: 'triceps', strength: 'key', source: '[RootTbl]' }],
    tests: [{ test: 'spurling', source: 'unconfirmed (setting spurlingWeight)' }],
  },
  {
    root: 'C8', limb: 'upper',
    // Key point: dorsal little finger [ISNCSCI]; wider: inner forearm, ring and little fingers [RootTbl].
    sensory: [r('little-finger', 'key', '[ISNCSCI]'), r('ring-finger', 'primary', '[RootTbl]'), r('medial-forearm', 'primary', '[RootTbl]')],
    // Pain: ulnar forearm to ring and little fingers [Yomo].
    pain: [r('medial-forearm', 'primary', '[Yomo]'), r('ring-finger', 'primary', '[Yomo]'), r('little-finger', 'primary', '[Yomo]')],
    // Finger flexors are the key muscle [ASIA]; small hand muscles [RootTbl].
    muscles: [m('finger-flexion', 'key', '[ASIA]'), m('finger-abduction', 'secondary', '[RootTbl] (small hand muscles)')],
    reflexes: [], // none standard [RootTbl]
    tests: [{ test: 'spurling', source: 'unconfirmed (setting spurlingWeight)' }],
  },
  {
    root: 'T1', limb: 'upper',
    // Key point: inner elbow above the medial epicondyle [ISNCSCI]; wider: inner arm at the elbow [RootTbl].
    sensory: [r('medial-arm', 'key', '[ISNCSCI, RootTbl]')],
    // Pain: inner forearm [GPnb].
    pain: [r('medial-forearm', 'primary', '[GPnb]'), r('medial-arm', 'primary', '[RootTbl]')],
    // Little-finger abductors are the key muscle [ASIA].
    muscles: [m('finger-abduction', 'key', '[ASIA]')],
    reflexes: [], // none [RootTbl]
    tests: [],
  },
  // --- lumbosacral, clinical reference §1b ----------------------------------------------------
  {
    root: 'L1', limb: 'lower',
    // Key point between T12 (mid inguinal ligament) and L2 [ISNCSCI]; groin [Bromley].
    sensory: [r('groin', 'key', '[ISNCSCI, Bromley]')],
    // Groin pain for L1 is unconfirmed: its weight is the setting l1GroinPainWeight (pain entry added in implicate-roots.ts).
    pain: [],
    muscles: [], // no key muscle (key muscles start at L2) [ISNCSCI]; the L1 reflex is unconfirmed
    reflexes: [],
    tests: [],
  },
  {
    root: 'L2', limb: 'lower',
    // Key point mid anterior thigh [ISNCSCI]; pain front of thigh [Harrison].
    sensory: [r('anterior-thigh', 'key', '[ISNCSCI]'), r('medial-thigh', 'secondary', '[ISNCSCI] (next to the L2 and L3 key points)')],
    pain: [r('anterior-thigh', 'primary', '[Harrison]')],
    // Hip flexors are the key muscle [ISNCSCI]; iliopsoas [Harrison].
    muscles: [m('hip-flexion', 'key', '[ISNCSCI, Harrison]')],
    reflexes: [], // none [Harrison]
    // Femoral stretch (reverse SLR) is positive for L2–L4 [Harrison].
    tests: [{ test: 'femoral-stretch', source: '[Harrison]' }],
  },
  {
    root: 'L3', limb: 'lower',
    // Key point medial femoral condyle [ISNCSCI]: the medial knee, reached from the medial thigh.
    sensory: [r('knee', 'key', '[ISNCSCI] (medial femoral condyle)'), r('medial-thigh', 'primary', '[ISNCSCI] (above the key point)')],
    // Pain: front of thigh, knee [Harrison]; groin pain occurs only with L3 and L4 [Sasaki].
    pain: [r('anterior-thigh', 'primary', '[Harrison]'), r('knee', 'primary', '[Harrison]'), r('groin', 'primary', '[Sasaki]'), r('medial-thigh', 'secondary', '[ISNCSCI] (towards the key point)')],
    // Knee extensors are the key muscle [ISNCSCI]; psoas, quadriceps, adductors [Harrison].
    muscles: [m('knee-extension', 'key', '[ISNCSCI, Harrison]'), m('hip-adduction', 'primary', '[Harrison]'), m('hip-flexion', 'secondary', '[Harrison] (psoas)')],
    reflexes: [{ reflex: 'patellar', strength: 'secondary', source: '[Harrison] lists none for L3; the knee jerk belongs to L4, shared here with a low weight' }],
    tests: [{ test: 'femoral-stretch', source: '[Harrison]' }],
  },
  {
    root: 'L4', limb: 'lower',
    // Key point medial malleolus [ISNCSCI].
    sensory: [r('medial-malleolus', 'key', '[ISNCSCI]'), r('medial-calf', 'primary', '[Harrison] (inner calf)'), r('anterior-shin', 'secondary', '[Harrison] (between inner calf and outer calf)')],
    // Pain: knee, inner calf; outer front thigh [Harrison]; groin pain only with L3 and L4 [Sasaki].
    pain: [r('knee', 'primary', '[Harrison]'), r('medial-calf', 'primary', '[Harrison]'), r('lateral-thigh', 'primary', '[Harrison] (outer front thigh)'), r('anterior-thigh', 'secondary', '[Harrison] (outer front thigh)'), r('groin', 'primary', '[Sasaki]'), r('anterior-shin', 'secondary', '[Harrison] (next to the inner calf)'), r('medial-malleolus', 'secondary', '[ISNCSCI] (key point)')],
    // Ankle dorsiflexors are the key muscle [ISNCSCI]; quadriceps, adductors [Harrison].
    muscles: [m('ankle-dorsiflexion', 'key', '[ISNCSCI]'), m('knee-extension', 'primary', '[Harrison]'), m('hip-adduction', 'secondary', '[Harrison]')],
    // Knee jerk [Harrison].
    reflexes: [{ reflex: 'patellar', strength: 'key', source: '[Harrison]' }],
    tests: [{ test: 'femoral-stretch', source: '[Harrison]' }],
  },
  {
    root: 'L5', limb: 'lower',
    // Key point dorsum of the foot at the 3rd MTP joint [ISNCSCI]; the great toe's dorsum lies beside it.
    sensory: [r('dorsum-foot', 'key', '[ISNCSCI]'), r('great-toe', 'primary', '[ISNCSCI] (beside the key point)'), r('lateral-calf', 'primary', '[Harrison] (outer calf)'), r('anterior-shin', 'secondary', '[Harrison] (next to the outer calf)')],
    // Pain: outer calf, top of foot, posterolateral thigh, buttock [Harrison].
    pain: [r('lateral-calf', 'primary', '[Harrison]'), r('dorsum-foot', 'primary', '[Harrison]'), r('great-toe', 'primary', '[Harrison] (top of foot)'), r('lateral-thigh', 'secondary', '[Harrison] (posterolateral thigh)'), r('posterior-thigh', 'secondary', '[Harrison] (posterolateral thigh)'), r('buttock', 'secondary', '[Harrison]'), r('anterior-shin', 'secondary', '[Harrison] (next to the outer calf)')],
    // Long toe extensors are the key muscle [ISNCSCI]; foot evertors, tibialis anterior, gluteus medius [Harrison].
    muscles: [m('great-toe-extension', 'key', '[ISNCSCI]'), m('foot-eversion', 'primary', '[Harrison]'), m('ankle-dorsiflexion', 'primary', '[Harrison] (tibialis anterior)'), m('hip-abduction', 'primary', '[Harrison] (gluteus medius)')],
    reflexes: [], // none standard [Harrison]
    // SLR typically positive for L5 and S1 [Harrison].
    tests: [{ test: 'slr', source: '[Harrison]' }, { test: 'crossed-slr', source: 'unconfirmed (setting crossedSlrWeight)' }],
  },
  {
    root: 'S1', limb: 'lower',
    // Key point lateral heel [ISNCSCI]; sole [Harrison]; lateral foot and little toe lie beside the key point.
    sensory: [r('lateral-heel', 'key', '[ISNCSCI]'), r('sole', 'primary', '[Harrison]'), r('lateral-foot', 'primary', '[ISNCSCI] (beside the key point)'), r('little-toe', 'secondary', '[ISNCSCI] (beside the key point)')],
    // Pain: sole, back of calf, back of thigh, buttock [Harrison].
    pain: [r('sole', 'primary', '[Harrison]'), r('posterior-calf', 'primary', '[Harrison]'), r('posterior-thigh', 'primary', '[Harrison]'), r('buttock', 'secondary', '[Harrison]'), r('lateral-heel', 'primary', '[ISNCSCI] (key point)'), r('lateral-foot', 'secondary', '[ISNCSCI] (beside the key point)'), r('little-toe', 'secondary', '[ISNCSCI] (beside the key point)')],
    // Ankle plantar flexors are the key muscle [ISNCSCI]; gastrocnemius/soleus, toe flexors, gluteus maximus [Harrison].
    muscles: [m('ankle-plantarflexion', 'key', '[ISNCSCI, Harrison]'), m('hip-extension', 'primary', '[Harrison] (gluteus maximus)')],
    // Ankle jerk [Harrison].
    reflexes: [{ reflex: 'achilles', strength: 'key', source: '[Harrison]' }],
    tests: [{ test: 'slr', source: '[Harrison]' }, { test: 'crossed-slr', source: 'unconfirmed (setting crossedSlrWeight)' }],
  },
];

export function rootProfile(root: MappedRoot): RootProfile {
  const profile = ROOT_PROFILES.find((p) => p.root === root);
  // The list above covers every MappedRoot; a miss is a programming error caught by the tests.
  if (profile === undefined) throw new KeyholeError('INTERNAL', { message: `no clinical map for root ${root}` });
  return profile;
}
