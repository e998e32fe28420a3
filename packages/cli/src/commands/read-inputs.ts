import { describeDicom, type DescribeDicomResult, type GeometryPolicy, type KeyholeError, type SeriesEntry, type VolumeDescriptor } from '@keyhole/core';
import { readDicomInput } from '@keyhole/io';
import { createProgress } from '../progress.ts';

export interface CatalogueOptions {
  readonly paths: readonly string[];
  readonly interactive: boolean;
  readonly geometry?: GeometryPolicy;
}

export interface NumberedSeries {
  /** 1-based number in listing order: what `--series N` refers to. */
  readonly number: number;
  readonly entry: SeriesEntry;
  readonly patientId: string;
  readonly studyInstanceUid: string;
}

export interface CatalogueResult {
  readonly description: DescribeDicomResult;
  readonly series: readonly NumberedSeries[];
  /** Files refused while reading (not DICOM, truncated, unsafe archive entries...). */
  readonly fileProblems: readonly KeyholeError[];
  readonly filesSeen: number;
  readonly instances: Awaited<ReturnType<typeof readDicomInput>>['instances'];
}

/** Reads the inputs (with a progress bar for people) and catalogues them from headers alone. */
export async function catalogueInputs(options: CatalogueOptions): Promise<CatalogueResult> {
  const progress = createProgress({ enabled: options.interactive, title: 'reading' });
  let input: Awaited<ReturnType<typeof readDicomInput>>;
  try {
    input = await readDicomInput({
      paths: [...options.paths],
      onProgress: (p) => progress.update(p.total > 0 ? p.done / p.total : 0, `${p.done}/${p.total} files`),
    });
  } finally {
    progress.stop();
  }
  const description = describeDicom({ instances: input.instances, ...(options.geometry !== undefined ? { geometry: options.geometry } : {}) });
  const series: NumberedSeries[] = [];
  for (const patient of description.patients) {
    for (const study of patient.studies) {
      for (const entry of study.series) {
        series.push({ number: series.length + 1, entry, patientId: patient.patientId, studyInstanceUid: study.studyInstanceUid });
      }
    }
  }
  return { description, series, fileProblems: input.problems, filesSeen: input.filesSeen, instances: input.instances };
}

export function voxelCount(volume: VolumeDescriptor): number {
  const [a, b, c] = volume.geometry.grid.size;
  return a * b * c;
}

export function seriesVoxelCount(entry: SeriesEntry): number {
  return entry.volumeSets.reduce((sum, set) => sum + set.volumes.reduce((s, v) => s + voxelCount(v), 0), 0);
}
