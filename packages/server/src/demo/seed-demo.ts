/**
 * Puts the demo case in the archive at start-up (`keyhole serve`, which `npm start` runs): the
 * synthetic phantom study (demo-study.ts) stored through storeInstances — the same code as any
 * STOW-RS, upload or C-STORE — and a case linked to it, titled "Synthetic demo (phantom, not a
 * patient)".
 *
 * - Idempotent: the demo is recognised by its Patient ID and case title; a restart finds it and
 *   adds nothing. A start that died between storing and opening the case opens the case only.
 * - `if-empty` (the default): an archive that already holds any other patient gets no demo; a
 *   hospital's archive never has a phantom slipped in. `always` adds it anyway (`--demo`).
 * - Audited as a write by the `system` user, like every write of patient data.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.ts';
import type { Database } from '../db/schema.ts';
import { createCase, listCases, updateCase } from '../cases/cases.ts';
import { storeInstances } from '../store/index.ts';
import { DEMO_CASE_SUMMARY, DEMO_CASE_TITLE, DEMO_PATIENT_ID, DEMO_STUDY_UID, makeDemoStudy, type DemoSeriesPlan, type DemoSeriesSummary } from './demo-study.ts';

export type DemoSeedMode = 'if-empty' | 'always';

export interface SeedDemoCaseOptions {
  readonly db: Kysely<Database>;
  readonly dataDir: string;
  /** Default `if-empty`. */
  readonly mode?: DemoSeedMode;
  /** Series grids (tests shrink them); default the demo's own (demo-study.ts). */
  readonly series?: readonly DemoSeriesPlan[];
  /** fraction 0..1 and what is being done, while the demo is generated and stored. */
  readonly onProgress?: (fraction: number, stage: string) => void;
}

export interface SeedDemoCaseResult {
  /** `created`: made now; `present`: found from an earlier start; `skipped`: the archive holds other patients' data. */
  readonly status: 'created' | 'present' | 'skipped';
  readonly patientId: string;
  readonly studyUid: string;
  readonly caseId?: number;
  readonly caseTitle: string;
  /** Series made now (`created` only). */
  readonly series: readonly DemoSeriesSummary[];
  /** Instances of the demo study in the archive (0 when skipped). */
  readonly instanceCount: number;
  /** Why nothing was added (`skipped`). */
  readonly reason?: string;
}

async function demoCaseId(db: Kysely<Database>): Promise<number | undefined> {
  const cases = await listCases(db, { patientId: DEMO_PATIENT_ID });
  return cases.find((c) => c.title === DEMO_CASE_TITLE)?.id;
}

async function demoStudyInstances(db: Kysely<Database>): Promise<number | undefined> {
  const row = await db.selectFrom('study').select('instance_count').where('study_uid', '=', DEMO_STUDY_UID).executeTakeFirst();
  return row === undefined ? undefined : Number(row.instance_count);
}

export async function seedDemoCase(options: SeedDemoCaseOptions): Promise<SeedDemoCaseResult> {
  const { db } = options;
  const base = { patientId: DEMO_PATIENT_ID, studyUid: DEMO_STUDY_UID, caseTitle: DEMO_CASE_TITLE };
  const existingCase = await demoCaseId(db);
  if (existingCase !== undefined) return { ...base, status: 'present', caseId: existingCase, series: [], instanceCount: (await demoStudyInstances(db)) ?? 0 };

  if ((options.mode ?? 'if-empty') === 'if-empty') {
    const others = await db.selectFrom('patient').select((eb) => eb.fn.countAll<number | string>().as('n')).where('patient_id', '!=', DEMO_PATIENT_ID).executeTakeFirstOrThrow();
    if (Number(others.n) > 0) return { ...base, status: 'skipped', series: [], instanceCount: 0, reason: `the archive already holds ${Number(others.n)} patient(s); start with --demo to add the synthetic demo case anyway` };
  }

  let series: DemoSeriesSummary[] = [];
  if ((await demoStudyInstances(db)) === undefined) {
    const study = makeDemoStudy({ ...(options.series !== undefined ? { series: options.series } : {}), ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}) });
    options.onProgress?.(0.92, 'storing');
    const stored = await storeInstances({ archive: { db, dataDir: options.dataDir }, files: study.files });
    const first = stored.failed[0];
    if (first !== undefined) throw first.error;
    series = study.series;
  }
  options.onProgress?.(0.98, 'opening the case');
  const created = await createCase({ db, patientId: DEMO_PATIENT_ID, title: DEMO_CASE_TITLE, studies: [{ studyUid: DEMO_STUDY_UID, role: 'pre-op' }] });
  await updateCase({ db, id: created.id, document: { schemaVersion: 1, summary: DEMO_CASE_SUMMARY } });
  const instanceCount = (await demoStudyInstances(db)) ?? 0;
  await appendAudit(db, { userName: 'system', role: '', action: 'demo.seed', outcome: 'success', patientId: DEMO_PATIENT_ID, studyUid: DEMO_STUDY_UID, resource: `case ${created.id}`, detail: `synthetic demo case (phantom, not a patient): ${instanceCount} instances` });
  options.onProgress?.(1, 'done');
  return { ...base, status: 'created', caseId: created.id, series, instanceCount };
}
