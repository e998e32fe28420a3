/**
 * Which studies hold synthetic images (phantoms, the demo case), so that the API can say so
 * beside every case and study it returns and nobody mistakes a phantom for a patient.
 *
 * The marker is the standard attribute Synthetic Data (0008,001C) = YES (DICOM PS3.3 §C.12.1,
 * SOP Common Module), which Keyhole's phantom writes in every instance and the demo seeding sets
 * again (demo/demo-study.ts). Nothing else is trusted: not a name, not an ID prefix, which a real
 * patient's data could carry by accident.
 *
 * It is read from the stored DICOM JSON metadata of one instance per series (the first stored,
 * as QIDO-RS reads its representative instance): Synthetic Data describes how the images were
 * made, which is the same for every instance of a series. A study is synthetic when any of its
 * series is: a study with some synthetic content must be flagged as a whole.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DicomJsonDataset } from '../store/index.ts';

/** Synthetic Data (0008,001C), DICOM JSON key. */
const SYNTHETIC_DATA = '0008001C';

/** Whether a DICOM JSON data set says its content was made artificially (0008,001C = YES). */
export function isSyntheticDataset(dataset: DicomJsonDataset): boolean {
  const value = dataset[SYNTHETIC_DATA]?.Value?.[0];
  return typeof value === 'string' && value.trim().toUpperCase() === 'YES';
}

/** The synthetic ones among these study rows (by `study.id`). */
export async function syntheticStudyRefs(db: Kysely<Database>, studyRefs: readonly number[]): Promise<Set<number>> {
  const synthetic = new Set<number>();
  // Chunks keep the IN lists under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < studyRefs.length; i += 500) {
    const chunk = studyRefs.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const firsts = await db
      .selectFrom('instance')
      .innerJoin('series', 'series.id', 'instance.series_ref')
      .select((eb) => ['series.study_ref as studyRef', eb.fn.min('instance.id').as('instanceId')])
      .where('series.study_ref', 'in', chunk)
      .groupBy(['series.id', 'series.study_ref'])
      .execute();
    const studyOf = new Map(firsts.map((f) => [Number(f.instanceId), f.studyRef]));
    const ids = [...studyOf.keys()];
    for (let j = 0; j < ids.length; j += 500) {
      const rows = await db.selectFrom('instance').select(['id', 'metadata_json']).where('id', 'in', ids.slice(j, j + 500)).execute();
      for (const row of rows) {
        const study = studyOf.get(row.id);
        if (study !== undefined && !synthetic.has(study) && isSyntheticDataset(JSON.parse(row.metadata_json) as DicomJsonDataset)) synthetic.add(study);
      }
    }
  }
  return synthetic;
}
