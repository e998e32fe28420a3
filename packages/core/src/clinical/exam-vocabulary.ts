/**
 * The words of the clinical examination (issue 6), as closed lists. The JSON an examiner or the
 * case-view form writes uses exactly these names; the validator rejects anything else and names the
 * path of the bad field. Regions and movements are those of the body map: lower limb first, then neck
 * and upper limb. Which root each word points to lives in `root-map.ts`, with its source.
 */

export const COMPLAINTS = [
  /** Limb pain in a root's distribution (sciatica, brachialgia). */
  'radicular',
  /** Leg pain and heaviness on walking or standing, eased by sitting or stooping (central lumbar stenosis). */
  'neurogenic-claudication',
  /** Back or neck pain without limb pain. */
  'axial',
  /** Clumsy hands, gait disturbance, upper motor neuron signs (cervical cord). */
  'myelopathy',
] as const;
export type Complaint = (typeof COMPLAINTS)[number];

export const EXAM_SIDES = ['left', 'right', 'bilateral', 'none'] as const;
export type ExamSide = (typeof EXAM_SIDES)[number];

export const LOWER_LIMB_REGIONS = [
  'groin', 'anterior-thigh', 'medial-thigh', 'lateral-thigh', 'posterior-thigh', 'buttock', 'knee', 'anterior-shin',
  'medial-calf', 'lateral-calf', 'posterior-calf', 'medial-malleolus', 'dorsum-foot', 'great-toe', 'sole', 'lateral-heel',
  'lateral-foot', 'little-toe',
] as const;
export const UPPER_BODY_REGIONS = [
  'neck', 'shoulder', 'lateral-arm', 'medial-arm', 'lateral-forearm', 'medial-forearm', 'thumb', 'index-finger',
  'middle-finger', 'ring-finger', 'little-finger', 'scapula',
] as const;
export const BODY_REGIONS = [...LOWER_LIMB_REGIONS, ...UPPER_BODY_REGIONS] as const;
export type BodyRegion = (typeof BODY_REGIONS)[number];

export const LOWER_LIMB_MOVEMENTS = [
  'hip-flexion', 'knee-extension', 'hip-adduction', 'ankle-dorsiflexion', 'great-toe-extension', 'foot-eversion',
  'hip-abduction', 'ankle-plantarflexion', 'hip-extension',
] as const;
export const UPPER_LIMB_MOVEMENTS = [
  'shoulder-abduction', 'elbow-flexion', 'wrist-extension', 'elbow-extension', 'wrist-flexion', 'finger-extension',
  'finger-flexion', 'finger-abduction',
] as const;
export const MOVEMENTS = [...LOWER_LIMB_MOVEMENTS, ...UPPER_LIMB_MOVEMENTS] as const;
export type Movement = (typeof MOVEMENTS)[number];

/** Medical Research Council muscle grades: 0 no contraction … 5 normal power. */
export type MrcGrade = 0 | 1 | 2 | 3 | 4 | 5;

export const TENDON_REFLEXES = ['patellar', 'achilles', 'biceps', 'brachioradialis', 'triceps'] as const;
export type TendonReflex = (typeof TENDON_REFLEXES)[number];
export const REFLEX_GRADES = ['normal', 'reduced', 'absent', 'brisk'] as const;
export type ReflexGrade = (typeof REFLEX_GRADES)[number];

/** Upper motor neuron signs, recorded with the reflexes. */
export const PATHOLOGICAL_REFLEXES = ['hoffmann', 'babinski'] as const;
export type PathologicalReflex = (typeof PATHOLOGICAL_REFLEXES)[number];
export const SIGN_RESULTS = ['positive', 'negative'] as const;
export type SignResult = (typeof SIGN_RESULTS)[number];

export const PROVOCATION_TESTS = ['slr', 'crossed-slr', 'femoral-stretch', 'spurling'] as const;
export type ProvocationTest = (typeof PROVOCATION_TESTS)[number];

export const RED_FLAGS = [
  'saddle-anesthesia', 'urinary-retention', 'fecal-incontinence', 'bilateral-leg-symptoms', 'progressive-weakness',
  'fever', 'weight-loss', 'cancer-history', 'major-trauma', 'night-pain',
] as const;
export type RedFlag = (typeof RED_FLAGS)[number];

export const isLowerLimbRegion = (region: BodyRegion): boolean => (LOWER_LIMB_REGIONS as readonly string[]).includes(region);
