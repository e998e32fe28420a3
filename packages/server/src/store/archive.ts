import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** What the store needs: the archive database and the data folder that holds `objects/`. */
export interface Archive {
  readonly db: Kysely<Database>;
  readonly dataDir: string;
}

/** The identity of one stored instance in the DICOM hierarchy. */
export interface InstanceRef {
  readonly patientId: string;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
}

export const objectsDir = (dataDir: string): string => join(dataDir, 'objects');
export const stagingDir = (dataDir: string): string => join(dataDir, 'objects', '.staging');

/** Path of an instance's Part 10 file relative to `objects/` (UIDs are validated before they get here). */
export function relativeObjectPath(ref: Pick<InstanceRef, 'studyUid' | 'seriesUid' | 'sopInstanceUid'>): string {
  return `${ref.studyUid}/${ref.seriesUid}/${ref.sopInstanceUid}.dcm`;
}
