/**
 * Parsed instances → patients → studies → series → volume sets → volumes, from headers alone
 * (no pixel is decoded, so `keyhole info` on a large folder stays fast). Every problem is recorded
 * where it happened (an instance, a volume) and the rest of the batch is kept.
 */
import { KeyholeError, asKeyholeError } from '../../errors/keyhole-error.ts';
import type { DicomInstance } from '../instance.ts';
import { readFrameRecords, type FrameRecord } from './frame-records.ts';
import { readPlanarImageHeader, type PlanarImageDescriptor } from './planar-header.ts';
import { SERIES_TAGS as T } from './series-tags.ts';
import { splitSeries, type GeometryPolicy, type SeriesProblem, type VolumeSetDescriptor } from './split-series.ts';

export interface SeriesEntry {
  readonly seriesInstanceUid: string;
  readonly seriesNumber?: number;
  readonly modality?: string;
  readonly description?: string;
  readonly manufacturer?: string;
  readonly bodyPart?: string;
  readonly instanceCount: number;
  readonly frameCount: number;
  readonly volumeSets: readonly VolumeSetDescriptor[];
  readonly planarImages: readonly PlanarImageDescriptor[];
  /** Instances without pixel data (reports, presentation states): listed, not converted. */
  readonly nonImageSources: readonly string[];
  readonly problems: readonly SeriesProblem[];
}

export interface StudyEntry {
  readonly studyInstanceUid: string;
  readonly date?: string;
  readonly description?: string;
  readonly accessionNumber?: string;
  readonly series: readonly SeriesEntry[];
}

export interface PatientEntry {
  readonly patientId: string;
  readonly patientName?: string;
  readonly birthDate?: string;
  readonly sex?: string;
  readonly studies: readonly StudyEntry[];
}

export interface DescribeDicomOptions {
  readonly instances: readonly DicomInstance[];
  readonly geometry?: GeometryPolicy;
}

export interface DescribeDicomResult {
  readonly patients: readonly PatientEntry[];
  /** Total counts, for a one-line summary. */
  readonly seriesCount: number;
  readonly volumeCount: number;
  readonly problemCount: number;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value !== undefined && value !== '' ? { [key]: value } : {}) as { [P in K]?: V };
}

function bucket<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

function describeSeries(instances: readonly DicomInstance[], geometry: GeometryPolicy | undefined): SeriesEntry {
  const ds = instances[0]!.dataset;
  const frames: FrameRecord[] = [];
  const planarImages: PlanarImageDescriptor[] = [];
  const nonImageSources: string[] = [];
  const problems: SeriesProblem[] = [];
  for (const instance of instances) {
    try {
      const result = readFrameRecords(instance);
      if (result.notVolumetric === 'no-pixel-data') nonImageSources.push(instance.source);
      else if (result.notVolumetric === 'no-plane-geometry') {
        const planar = readPlanarImageHeader(instance);
        if (planar !== undefined) planarImages.push(planar);
      } else frames.push(...result.frames);
    } catch (error) {
      if (!(error instanceof KeyholeError)) throw error;
      const e = asKeyholeError(error, 'INTERNAL', instance.source);
      problems.push({ code: e.code, message: e.message, ...(e.file !== undefined ? { file: e.file } : {}) });
    }
  }
  const split = frames.length > 0 ? splitSeries({ frames, ...(geometry !== undefined ? { geometry } : {}) }) : { sets: [], problems: [] };
  const seriesNumber = ds.number(T.seriesNumber);
  return {
    seriesInstanceUid: ds.string(T.seriesInstanceUid) ?? '',
    ...opt('seriesNumber', seriesNumber),
    ...opt('modality', ds.string(T.modality)),
    ...opt('description', ds.string(T.seriesDescription)),
    ...opt('manufacturer', ds.string(T.manufacturer)),
    ...opt('bodyPart', ds.string(T.bodyPartExamined)),
    instanceCount: instances.length,
    frameCount: frames.length + planarImages.reduce((n, p) => n + p.frameCount, 0),
    volumeSets: split.sets,
    planarImages,
    nonImageSources,
    problems: [...problems, ...split.problems],
  };
}

/** Builds the catalogue. Instances without a SeriesInstanceUID are grouped under an empty UID. */
export function describeDicom(options: DescribeDicomOptions): DescribeDicomResult {
  const byPatient = new Map<string, DicomInstance[]>();
  for (const instance of options.instances) bucket(byPatient, instance.dataset.string(T.patientId) ?? '', instance);
  const patients: PatientEntry[] = [];
  let seriesCount = 0;
  let volumeCount = 0;
  let problemCount = 0;
  for (const [patientId, patientInstances] of byPatient) {
    const byStudy = new Map<string, DicomInstance[]>();
    for (const instance of patientInstances) bucket(byStudy, instance.dataset.string(T.studyInstanceUid) ?? '', instance);
    const studies: StudyEntry[] = [];
    for (const [studyInstanceUid, studyInstances] of byStudy) {
      const bySeries = new Map<string, DicomInstance[]>();
      for (const instance of studyInstances) bucket(bySeries, instance.dataset.string(T.seriesInstanceUid) ?? '', instance);
      const series = [...bySeries.values()].map((list) => describeSeries(list, options.geometry));
      series.sort((a, b) => (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0) || a.seriesInstanceUid.localeCompare(b.seriesInstanceUid));
      seriesCount += series.length;
      for (const s of series) {
        volumeCount += s.volumeSets.reduce((n, set) => n + set.volumes.length, 0);
        problemCount += s.problems.length;
      }
      const sds = studyInstances[0]!.dataset;
      studies.push({
        studyInstanceUid,
        ...opt('date', sds.string(T.studyDate)),
        ...opt('description', sds.string(T.studyDescription)),
        ...opt('accessionNumber', sds.string(T.accessionNumber)),
        series,
      });
    }
    const pds = patientInstances[0]!.dataset;
    patients.push({
      patientId,
      ...opt('patientName', pds.string(T.patientName)),
      ...opt('birthDate', pds.string(T.patientBirthDate)),
      ...opt('sex', pds.string(T.patientSex)),
      studies,
    });
  }
  return { patients, seriesCount, volumeCount, problemCount };
}

/** All volume sets of a catalogue in reading order, for callers that pick one (`--series N`). */
export function listVolumeSets(catalogue: DescribeDicomResult): { series: SeriesEntry; set: VolumeSetDescriptor }[] {
  return catalogue.patients.flatMap((p) => p.studies.flatMap((st) => st.series.flatMap((series) => series.volumeSets.map((set) => ({ series, set })))));
}
