/**
 * storeInstances: the one way images enter the archive (STOW-RS, browser upload, C-STORE, pulls).
 *
 * Per instance: the checks of check/check-instance.ts (parse, the four identifying UIDs, DICOM
 * JSON, SHA-256), on the server's worker threads when `checks` has them; a failure refuses that
 * instance only, with a KeyholeError naming the source and the problem.
 *
 * Atomicity (a crash leaves either nothing visible or everything):
 * 1. every file is written to `objects/.staging/` and fsynced; the write starts as the file
 *    arrives and runs while the file is checked and the next ones arrive (at most
 *    MAX_WRITES_IN_FLIGHT instances not yet written and checked), so parsing and the disk overlap;
 * 2. under the archive's write lock, instances already in the database are set aside as
 *    duplicates (their files are not touched), the others are renamed to their final path
 *    `objects/<study>/<series>/<sop>.dcm` (rename is atomic on POSIX; the renames run
 *    concurrently); then the files' fsyncs are awaited together with one fsync per folder;
 * 3. all rows of the batch (patient, study, series upserts; instance inserts, many rows per
 *    statement, with ON CONFLICT DO NOTHING on sop_instance_uid; cached counts) are committed in
 *    ONE transaction, with whatever the caller adds to it (inTransaction).
 * Nothing is visible before step 3 commits: QIDO and WADO read rows, not folders. A crash before
 * the commit leaves only unreferenced files, which recoverStore deletes at the next start.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asKeyholeError, KeyholeError } from '@keyhole/core';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { nowIso } from '../db/connect.ts';
import { objectsDir, relativeObjectPath, stagingDir, type Archive, type InstanceRef } from './archive.ts';
import { type CheckedInstance, type CheckFailure } from './check/check-instance.ts';
import { inlineInstanceChecks, type InstanceChecks } from './check/check-worker-pool.ts';
import type { StagedWrite } from './check/stage-file.ts';
import { jsonNumber, jsonString } from './dicom-json.ts';
import { withArchiveLock } from './write-lock.ts';

export interface StoreLimits {
  /** Most instances in one call (ServerOptions.limits.maxInstancesPerRequest). */
  readonly maxInstancesPerRequest?: number;
}

export interface StoreInstancesOptions {
  readonly archive: Archive;
  /**
   * The instances, as an array or as they arrive (an async iterable: STOW-RS streams each part to
   * staging while the request body is still coming in, so memory holds one instance at a time).
   */
  readonly files: Iterable<StoreFile> | AsyncIterable<StoreFile>;
  readonly limits?: StoreLimits;
  /**
   * Where the instances are checked (parsed, UIDs validated, DICOM JSON built, hashed): the
   * server's worker threads (`app.keyhole.instanceChecks`); default the calling thread.
   */
  readonly checks?: InstanceChecks;
  /**
   * Runs inside the transaction that makes the batch visible, after its rows are written: writes
   * that must commit with the instances or not at all (the DIMSE SCP's audit entry, so a C-STORE
   * costs one commit instead of two and no stored instance lacks its audit record).
   */
  readonly inTransaction?: (trx: Transaction<Database>, outcome: { stored: InstanceRef[]; duplicates: InstanceRef[]; failed: StoreFailure[] }) => Promise<void>;
}

export interface StoreFile {
  readonly bytes: Uint8Array;
  readonly source: string;
  /**
   * The bytes are this file's own buffer (from `checks.allocate`) and the caller will not read
   * them again: they may be handed over to a worker thread instead of copied.
   */
  readonly handOver?: boolean;
}

export interface StoreFailure {
  readonly source: string;
  readonly sopInstanceUid?: string;
  readonly error: KeyholeError;
}

export interface StoreResult {
  readonly stored: InstanceRef[];
  readonly duplicates: InstanceRef[];
  readonly failed: StoreFailure[];
  /** Where each stored or duplicate instance came from (SOP Instance UID → source of its first file), for per-file reports. */
  readonly sources: ReadonlyMap<string, string>;
}

/** One instance that passed the checks, with everything its rows need. */
interface Accepted extends CheckedInstance {
  readonly stagingPath: string;
  readonly write: StagedWrite;
  finalPath?: string;
}

/** Staging writes in flight at once: parsing the next instance overlaps the fsync of the previous ones. */
const MAX_WRITES_IN_FLIGHT = 8;

export async function storeInstances(options: StoreInstancesOptions): Promise<StoreResult> {
  const { archive, files } = options;
  const checks = options.checks ?? inlineInstanceChecks;
  const limit = options.limits?.maxInstancesPerRequest;
  const tooMany = (count: string): KeyholeError => new KeyholeError('REQUEST_TOO_LARGE', { message: `${count} instances in one request, more than the limit of ${limit} (maxInstancesPerRequest)`, details: { limit } });
  if (limit !== undefined && Array.isArray(files) && files.length > limit) throw tooMany(String(files.length));
  const failed: StoreFailure[] = [];
  const accepted: Accepted[] = [];
  const staging = stagingDir(archive.dataDir);
  await mkdir(staging, { recursive: true });
  const seenInBatch = new Set<string>();
  const duplicates: InstanceRef[] = [];
  const sources = new Map<string, string>();
  const stored: InstanceRef[] = [];
  // Every staging file this call writes, so that the finally below can remove what was not moved.
  const staged: Array<{ path: string; write: StagedWrite }> = [];
  const inFlight = new Set<Promise<unknown>>();
  let count = 0;
  try {
    // Checks run as the files arrive (on worker threads when `checks` has them); their outcomes are
    // taken in arrival order below, so duplicates and failures are reported as before.
    const arrived: Array<{ source: string; stagingPath: string; write: StagedWrite; checked: Promise<CheckedInstance | StoreFailure> }> = [];
    for await (const file of files) {
      count++;
      if (limit !== undefined && count > limit) throw tooMany('more than');
      const stagingPath = join(staging, `${randomBytes(9).toString('hex')}.partial`);
      // The staging write and the checks start together (on a worker thread when `checks` has
      // them), so the disk works while the instance is parsed; a refused instance's staging file
      // is removed in the finally below like any other.
      const { write, checked: checking } = checks.stage({ bytes: file.bytes, source: file.source, stagingPath, handOver: file.handOver === true });
      staged.push({ path: stagingPath, write });
      const checked = checking.catch((error: unknown): StoreFailure => {
        const keyhole = asKeyholeError(error, 'DICOM_MALFORMED', file.source);
        const sop = (error as CheckFailure).sopInstanceUid;
        return { source: file.source, ...(sop !== undefined ? { sopInstanceUid: sop } : {}), error: keyhole };
      });
      arrived.push({ source: file.source, stagingPath, write, checked });
      // The bytes are needed until they are in the file (the kernel's cache) and checked; the
      // fsyncs go on without them and are awaited together before the commit.
      const settled = Promise.all([write.buffered, checked]);
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      // Bounded: memory holds at most this many instances waiting to be written or checked.
      while (inFlight.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(inFlight);
    }
    for (const { source, stagingPath, write, checked } of arrived) {
      const outcome = await checked;
      if ('error' in outcome) {
        failed.push(outcome);
        continue;
      }
      if (!sources.has(outcome.ref.sopInstanceUid)) sources.set(outcome.ref.sopInstanceUid, source);
      if (seenInBatch.has(outcome.ref.sopInstanceUid)) duplicates.push(outcome.ref);
      else {
        seenInBatch.add(outcome.ref.sopInstanceUid);
        accepted.push({ ...outcome, stagingPath, write });
      }
    }
    const writeFailed = (item: Accepted, error: Error): void => {
      failed.push({ source: item.source, sopInstanceUid: item.ref.sopInstanceUid, error: new KeyholeError('INTERNAL', { file: item.source, message: `the instance could not be written to the file store: ${error.message}`, cause: error }) });
    };
    const written: Accepted[] = [];
    for (const item of accepted) {
      const error = await item.write.buffered;
      if (error === undefined) written.push(item);
      else writeFailed(item, error);
    }

    await withArchiveLock(archive.dataDir, async () => {
      const existing = await existingSopUids(archive.db, written.map((a) => a.ref.sopInstanceUid));
      let fresh: Accepted[] = [];
      for (const item of written) {
        if (existing.has(item.ref.sopInstanceUid)) duplicates.push(item.ref);
        else fresh.push(item);
      }
      const root = objectsDir(archive.dataDir);
      const folders = new Set(fresh.map((item) => dirname(join(root, relativeObjectPath(item.ref)))));
      try {
        await Promise.all([...folders].map((folder) => mkdir(folder, { recursive: true })));
        // Renames are independent of each other (one final name per SOP Instance UID, the lock
        // keeps other writers out); each folder is fsynced once, after all its renames.
        // allSettled: on a failure every rename has finished before the catch below takes files back.
        const renamed = await Promise.allSettled(fresh.map(async (item) => {
          const finalPath = join(root, relativeObjectPath(item.ref));
          await rename(item.stagingPath, finalPath);
          item.finalPath = finalPath;
        }));
        const renameFailure = renamed.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (renameFailure !== undefined) throw renameFailure.reason;
        // Before the commit, every file and every folder entry must be on disk; the files' fsyncs
        // (started when they arrived) and the folders' run at once, so a lone C-STORE waits for one
        // round of syncs rather than a file sync and then a folder sync. A file renamed before its
        // sync finished is harmless: nothing references it until the commit, and recoverStore
        // removes unreferenced files after a crash.
        const [syncs] = await Promise.all([Promise.all(fresh.map((item) => item.write.durable)), Promise.all([...folders].map((folder) => syncFolder(folder)))]);
        const unsynced = fresh.filter((_, i) => syncs[i] !== undefined);
        if (unsynced.length > 0) {
          await Promise.all(unsynced.map((item) => rm(item.finalPath!, { force: true })));
          unsynced.forEach((item) => writeFailed(item, syncs[fresh.indexOf(item)]!));
          fresh = fresh.filter((item) => !unsynced.includes(item));
        }
        const inserted = await archive.db.transaction().execute(async (trx) => {
          const rows = await insertRows(trx, fresh);
          if (options.inTransaction !== undefined) {
            const storedNow = fresh.filter((item) => rows.has(item.ref.sopInstanceUid)).map((item) => item.ref);
            await options.inTransaction(trx, { stored: storedNow, duplicates: [...duplicates, ...fresh.filter((item) => !rows.has(item.ref.sopInstanceUid)).map((item) => item.ref)], failed });
          }
          return rows;
        });
        for (const item of fresh) {
          if (inserted.has(item.ref.sopInstanceUid)) stored.push(item.ref);
          else duplicates.push(item.ref);
        }
      } catch (error) {
        // Nothing was committed: take the moved files back out so no orphan is left.
        await Promise.all(fresh.map((item) => (item.finalPath !== undefined ? rm(item.finalPath, { force: true }) : undefined)));
        throw error;
      }
    });
  } finally {
    // Writes still running (an error or a dropped request ended the loop) finish before their files go.
    await Promise.all(staged.map((s) => s.write.durable));
    const moved = new Set(accepted.filter((item) => item.finalPath !== undefined).map((item) => item.stagingPath));
    await Promise.all(staged.filter((s) => !moved.has(s.path)).map((s) => rm(s.path, { force: true })));
  }
  return { stored, duplicates, failed, sources };
}

async function existingSopUids(db: Kysely<Database>, uids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // Chunks keep the IN list under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < uids.length; i += 500) {
    const chunk = uids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('instance').select('sop_instance_uid').where('sop_instance_uid', 'in', chunk).execute();
    for (const row of rows) found.add(row.sop_instance_uid);
  }
  return found;
}

/** Instance rows per INSERT statement. */
const INSERT_CHUNK = 100;

/** Writes the rows of one batch; returns the SOP Instance UIDs actually inserted. */
async function insertRows(trx: Transaction<Database>, items: readonly Accepted[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  const now = nowIso();
  const patientIds = new Map<string, number>();
  const studyIds = new Map<string, number>();
  const seriesIds = new Map<string, number>();
  // Studies that gained a series in this batch: only their modalities can change.
  const studiesWithNewSeries = new Set<number>();
  const instanceRows: Insertable<Database['instance']>[] = [];
  // Each level is looked up first and inserted only when missing: a batch added to a known series
  // (every C-STORE after the first of a series) costs one SELECT per level instead of an INSERT and
  // a SELECT; the INSERT keeps ON CONFLICT DO NOTHING and falls back to the SELECT if it lost a race.
  for (const item of items) {
    const m = item.metadata;
    const seen = seriesIds.get(item.ref.seriesUid);
    if (seen !== undefined) {
      instanceRows.push(instanceRow(item, seen, now));
      continue;
    }
    {
      // A known series answers for its study and patient in one query (the common case: every
      // C-STORE after a series' first instance, and every STOW batch after the first).
      const known = await trx.selectFrom('series').innerJoin('study', 'study.id', 'series.study_ref').select(['series.id as seriesRef', 'study.id as studyRef', 'study.study_uid as studyUid']).where('series.series_uid', '=', item.ref.seriesUid).executeTakeFirst();
      if (known !== undefined && known.studyUid === item.ref.studyUid) {
        seriesIds.set(item.ref.seriesUid, known.seriesRef);
        studyIds.set(item.ref.studyUid, known.studyRef);
        instanceRows.push(instanceRow(item, known.seriesRef, now));
        continue;
      }
    }
    const patientKey = `${item.ref.patientId}\u0000${item.issuer}`;
    let patientRef = patientIds.get(patientKey);
    if (patientRef === undefined) {
      const find = () => trx.selectFrom('patient').select('id').where('patient_id', '=', item.ref.patientId).where('issuer', '=', item.issuer).executeTakeFirst();
      patientRef = (await find())?.id
        ?? (await trx.insertInto('patient').values({ patient_id: item.ref.patientId, issuer: item.issuer, patient_name: jsonString(m, '00100010'), birth_date: jsonString(m, '00100030'), sex: jsonString(m, '00100040'), created_at: now }).onConflict((oc) => oc.columns(['patient_id', 'issuer']).doNothing()).returning('id').executeTakeFirst())?.id
        ?? (await find())!.id;
      patientIds.set(patientKey, patientRef);
    }
    let studyRef = studyIds.get(item.ref.studyUid);
    if (studyRef === undefined) {
      const find = () => trx.selectFrom('study').select('id').where('study_uid', '=', item.ref.studyUid).executeTakeFirst();
      studyRef = (await find())?.id
        ?? (await trx.insertInto('study').values({ patient_ref: patientRef, study_uid: item.ref.studyUid, study_date: jsonString(m, '00080020'), study_time: jsonString(m, '00080030'), accession_number: jsonString(m, '00080050'), study_description: jsonString(m, '00081030'), referring_physician: jsonString(m, '00080090'), study_id: jsonString(m, '00200010'), modalities: '', series_count: 0, instance_count: 0, created_at: now }).onConflict((oc) => oc.column('study_uid').doNothing()).returning('id').executeTakeFirst())?.id
        ?? (await find())!.id;
      studyIds.set(item.ref.studyUid, studyRef);
    }
    let seriesRef = seriesIds.get(item.ref.seriesUid);
    if (seriesRef === undefined) {
      const seriesNumber = jsonNumber(m, '00200011');
      const find = () => trx.selectFrom('series').select('id').where('series_uid', '=', item.ref.seriesUid).executeTakeFirst();
      seriesRef = (await find())?.id;
      if (seriesRef === undefined) {
        seriesRef = (await trx.insertInto('series').values({ study_ref: studyRef, series_uid: item.ref.seriesUid, modality: jsonString(m, '00080060'), series_number: seriesNumber === null ? null : Math.trunc(seriesNumber), series_description: jsonString(m, '0008103E'), body_part: jsonString(m, '00180015'), instance_count: 0, created_at: now }).onConflict((oc) => oc.column('series_uid').doNothing()).returning('id').executeTakeFirst())?.id
          ?? (await find())!.id;
        studiesWithNewSeries.add(studyRef);
      }
      seriesIds.set(item.ref.seriesUid, seriesRef);
    }
    instanceRows.push(instanceRow(item, seriesRef, now));
  }
  // Many rows per statement (one round trip on PostgreSQL instead of one per instance); 14
  // parameters a row keeps a chunk far below SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < instanceRows.length; i += INSERT_CHUNK) {
    const chunk = instanceRows.slice(i, i + INSERT_CHUNK);
    const rows = await trx.insertInto('instance').values(chunk).onConflict((oc) => oc.column('sop_instance_uid').doNothing()).returning('sop_instance_uid').execute();
    for (const row of rows) inserted.add(row.sop_instance_uid);
  }
  await refreshCounts(trx, [...seriesIds.values()], [...studyIds.values()], { modalitiesOf: [...studiesWithNewSeries] });
  return inserted;
}

function instanceRow(item: Accepted, seriesRef: number, now: string): Insertable<Database['instance']> {
  const m = item.metadata;
  const instanceNumber = jsonNumber(m, '00200013');
  const frames = jsonNumber(m, '00280008');
  return { series_ref: seriesRef, sop_instance_uid: item.ref.sopInstanceUid, sop_class_uid: item.ref.sopClassUid, instance_number: instanceNumber === null ? null : Math.trunc(instanceNumber), transfer_syntax_uid: item.transferSyntaxUid, rows: jsonNumber(m, '00280010'), columns: jsonNumber(m, '00280011'), frames: frames === null ? null : Math.trunc(frames), file_path: relativeObjectPath(item.ref), file_size: item.size, sha256: item.sha256, metadata_json: JSON.stringify(m), created_at: now };
}

/**
 * Recomputes the cached counts QIDO returns (NumberOfSeriesRelatedInstances and friends) from the
 * rows, two UPDATE statements whatever the number of series and studies, and the studies'
 * modalities (for `modalitiesOf`, default all of `studyRefs`: only a new series can change them).
 */
export async function refreshCounts(trx: Kysely<Database>, seriesRefs: number[], studyRefs: number[], options: { modalitiesOf?: readonly number[] } = {}): Promise<void> {
  if (seriesRefs.length > 0) {
    await trx
      .updateTable('series')
      .set((eb) => ({ instance_count: eb.selectFrom('instance').select((e) => e.fn.countAll<number>().as('n')).whereRef('instance.series_ref', '=', 'series.id') }))
      .where('id', 'in', seriesRefs)
      .execute();
  }
  if (studyRefs.length > 0) {
    await trx
      .updateTable('study')
      .set((eb) => ({
        series_count: eb.selectFrom('series').select((e) => e.fn.countAll<number>().as('n')).whereRef('series.study_ref', '=', 'study.id'),
        instance_count: eb.selectFrom('series').select((e) => e.fn.coalesce(e.fn.sum<number>('series.instance_count'), e.lit(0)).as('n')).whereRef('series.study_ref', '=', 'study.id'),
      }))
      .where('id', 'in', studyRefs)
      .execute();
  }
  for (const id of options.modalitiesOf ?? studyRefs) {
    const series = await trx.selectFrom('series').select('modality').where('study_ref', '=', id).execute();
    const modalities = [...new Set(series.map((s) => s.modality).filter((m) => m !== ''))].sort().join('\\');
    await trx.updateTable('study').set({ modalities }).where('id', '=', id).execute();
  }
}

/** fsync of a folder makes the renames into it durable (POSIX); not supported on Windows, where it is skipped. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open folders for sync; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}
