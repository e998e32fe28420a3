/**
 * One anatomy run of a stored series (issue 5, the server side of the viewer's anatomy step):
 * the series' volume (the derived-volume cache, volumes/series-volumes.ts) → the CT spine
 * pipeline on a worker thread (anatomy-in-worker.ts) → the label map as a DICOM SEG stored in the
 * same study (so every DICOMweb viewer, ours included, shows it over its source) → the spine model
 * and the run's state in anatomy_model, and an audit entry naming who asked.
 *
 * Never throws: a failure is recorded as the run's state with a message a user can act on.
 */
import { asKeyholeError, createVolume, importLabelVolume, parseDicom, segSourceFromInstances, sourceNamesFromJson, writeDicomSeg, type FrameCodecRegistry, type SpineModel, type VoxelUnit } from '@keyhole/core';
import { readNiftiFile } from '@keyhole/io';
import { appendAudit } from '../audit/audit-log.ts';
import { findInstances } from '../dicomweb/lookup.ts';
import type { Archive } from '../store/archive.ts';
import { readStoredInstance } from '../store/read-instance.ts';
import { storeInstances } from '../store/index.ts';
import { seriesVolumes, volumeFile } from '../volumes/series-volumes.ts';
import { anatomyInWorker } from './anatomy-in-worker.ts';
import { updateAnatomy } from './anatomy-records.ts';

export interface RunAnatomyOptions {
  readonly archive: Archive;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly patientId: string;
  readonly codecs: () => Promise<FrameCodecRegistry>;
  /** Who asked (for the audit entry of the outcome). */
  readonly requestedBy: { readonly userName: string; readonly role: string };
  /** Aborted when the server shuts down: the worker stops and the run is recorded as interrupted. */
  readonly signal?: AbortSignal;
}

/** Progress is written to the database at most this often (the viewer polls it). */
const PROGRESS_INTERVAL_MS = 500;

export async function runAnatomy(options: RunAnatomyOptions): Promise<void> {
  const { archive, studyUid, seriesUid } = options;
  const db = archive.db;
  const audit = (outcome: 'success' | 'failed', detail: string) =>
    appendAudit(db, { userName: options.requestedBy.userName, role: options.requestedBy.role, action: 'anatomy.completed', outcome, patientId: options.patientId, studyUid, resource: seriesUid, detail }).catch(() => undefined);
  try {
    await updateAnatomy(db, seriesUid, { stage: 'loading the volume', progress: 0.02 });
    const volumes = await seriesVolumes({ archive, studyUid, seriesUid, codecs: options.codecs });
    const loaded = (await readNiftiFile({ path: volumeFile(volumes, 0) })).volumes[0];
    const summary0 = volumes.manifest.volumes[0];
    if (loaded === undefined || summary0 === undefined) throw new Error(`series ${seriesUid} gave no volume`);
    // NIfTI keeps no voxel units: the cache's manifest does (HU for a CT with its rescale).
    const volume = createVolume({ ...loaded, direction: Array.from(loaded.direction), units: summary0.units as VoxelUnit });
    let lastWrite = 0;
    const result = await anatomyInWorker({
      volume,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      onProgress: (fraction, stage) => {
        const now = Date.now();
        if (now - lastWrite < PROGRESS_INTERVAL_MS) return;
        lastWrite = now;
        // The pipeline is most of the run: 5–90 %; the SEG and its storage the rest.
        void updateAnatomy(db, seriesUid, { stage, progress: 0.05 + 0.85 * fraction }).catch(() => undefined);
      },
    });
    const { model, labels } = result;
    if (model.status !== 'ok' || labels === undefined) {
      await updateAnatomy(db, seriesUid, { state: 'no-spine', progress: 1, stage: model.status, message: model.message, model_json: JSON.stringify(model) });
      await audit('failed', `${model.status}: ${model.message}`);
      return;
    }
    await updateAnatomy(db, seriesUid, { stage: 'writing the DICOM SEG', progress: 0.92 });
    const rows = await findInstances({ db, study: studyUid, series: seriesUid });
    const instances = [];
    for (const row of rows) instances.push(parseDicom({ bytes: await readStoredInstance(archive, row), source: row.sopInstanceUid }));
    const imported = importLabelVolume({ volume: labels, names: sourceNamesFromJson(result.legend, 'anatomy legend'), source: `anatomy of series ${seriesUid}` });
    const now = new Date();
    const created = { date: now.toISOString().slice(0, 10).replace(/-/g, ''), time: now.toISOString().slice(11, 19).replace(/:/g, '') };
    const seg = writeDicomSeg({
      labelMap: imported.labelMap,
      source: segSourceFromInstances({ instances }),
      created,
      algorithm: { type: 'AUTOMATIC', name: 'Keyhole spine CT' },
      contentLabel: 'SPINE',
      uidKey: `anatomy-seg/${seriesUid}/${created.date}${created.time}`,
    });
    const stored = await storeInstances({ archive, files: [{ bytes: seg.file.bytes, source: `anatomy SEG of series ${seriesUid}` }] });
    const segRef = stored.stored[0] ?? stored.duplicates[0];
    if (segRef === undefined) throw stored.failed[0]?.error ?? new Error('the DICOM SEG could not be stored');
    await updateAnatomy(db, seriesUid, { state: 'done', progress: 1, stage: 'done', message: summary(model), model_json: JSON.stringify(model), seg_series_uid: segRef.seriesUid });
    await audit('success', `${model.levelCount.labels.join(' ')}; ${model.levelCount.verified ? 'numbering verified' : 'numbering NOT verified'} (confidence ${model.levelCount.confidence.toFixed(2)}); SEG series ${segRef.seriesUid}`);
  } catch (error) {
    if (options.signal?.aborted === true) {
      await updateAnatomy(db, seriesUid, { state: 'interrupted', message: 'the server stopped while the anatomy was being computed; run it again' }).catch(() => undefined);
      return;
    }
    const keyhole = asKeyholeError(error, 'INTERNAL');
    await updateAnatomy(db, seriesUid, { state: 'failed', progress: 1, stage: 'failed', message: `the anatomy could not be computed: ${keyhole.message}` }).catch(() => undefined);
    await audit('failed', keyhole.message);
  }
}

/** The run's outcome in words, with what the person must do when the numbering is not verified. */
function summary(model: SpineModel): string {
  const count = model.levelCount;
  const first = count.labels[0];
  const last = count.labels[count.labels.length - 1];
  const span = first !== undefined && last !== undefined ? `${first}–${last}, ${count.labels.length} vertebrae` : 'no vertebra named';
  return count.verified
    ? `${span}; numbering verified by its cues (confidence ${count.confidence.toFixed(2)})`
    : `${span}; numbering NOT verified (confidence ${count.confidence.toFixed(2)}): a surgeon or radiologist must confirm it before planning`;
}
