import type {
  BodyRegion, Complaint, ExamSide, Movement, MrcGrade, PathologicalReflex, ProvocationTest, RedFlag, ReflexGrade, SignResult, TendonReflex,
} from './exam-vocabulary.ts';

/**
 * A neurological examination, as recorded in the case view or written as JSON (issue 6):
 *
 * ```json
 * {"complaint":"radicular","side":"left","durationWeeks":10,"conservativeCareWeeks":8,
 *  "painRegions":["buttock","posterior-thigh","lateral-calf","dorsum-foot"],"sensoryLoss":["dorsum-foot"],
 *  "weakness":{"great-toe-extension":4},"reflexes":{"achilles":"normal","patellar":"normal"},
 *  "tests":{"slr":"positive","femoral-stretch":"negative"},"redFlags":[]}
 * ```
 *
 * Signs are those of the symptomatic side (`side`); with `bilateral` they apply to both. Only what was
 * examined is recorded: a movement absent from `weakness` was not tested (or not recorded), one with
 * grade 5 was tested and normal — the correlation reads the two differently.
 */
export interface ClinicalExam {
  /** Version of this document's layout; 1 (the default when absent). */
  readonly schemaVersion: 1;
  readonly complaint: Complaint;
  /** Side of the limb symptoms: left, right, bilateral, or none (axial pain, myelopathy without a side). */
  readonly side: ExamSide;
  /** How long the current episode has lasted. */
  readonly durationWeeks?: number;
  /** How long conservative care (physiotherapy, analgesia, injections) has been tried. */
  readonly conservativeCareWeeks?: number;
  /** Where the pain is felt (the body map). */
  readonly painRegions: readonly BodyRegion[];
  /** Where light touch or pinprick is reduced or lost. */
  readonly sensoryLoss: readonly BodyRegion[];
  /** MRC grade 0–5 of each movement tested. */
  readonly weakness: Readonly<Partial<Record<Movement, MrcGrade>>>;
  /** Tendon reflexes (normal, reduced, absent, brisk) and the Hoffmann and Babinski signs (positive, negative). */
  readonly reflexes: Readonly<Partial<Record<TendonReflex, ReflexGrade> & Record<PathologicalReflex, SignResult>>>;
  /** Nerve tension and provocation tests. */
  readonly tests: Readonly<Partial<Record<ProvocationTest, SignResult>>>;
  readonly redFlags: readonly RedFlag[];
  /** Free text; carried, never interpreted. */
  readonly notes?: string;
}
