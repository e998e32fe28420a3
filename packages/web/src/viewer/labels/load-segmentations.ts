/**
 * The label maps that go with a series: the study's DICOM Segmentation series (Modality SEG) whose
 * referenced series is the one on screen, or that share its frame of reference. Each SEG is
 * fetched as its stored Part 10 file (WADO-URI, application/dicom) and read by @keyhole/core's
 * readDicomSeg — the same reader `keyhole labels` uses — into a LabelMap in LPS with the names of
 * its structures.
 */
import type { LabelMap, ReadSegment } from '@keyhole/core';
import { listSeries } from '../../api/archive.ts';
import { api, apiBytes } from '../../api/client.ts';
import { text, TAG, type DicomJson } from '../../api/dicom-json.ts';
import type { LoadedSeries } from '../series-loader.ts';

export interface LoadedSegmentation {
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly description: string;
  readonly labelMap: LabelMap;
  readonly segments: readonly ReadSegment[];
  readonly warnings: readonly string[];
}

export interface SegmentationProblem {
  readonly seriesUid: string;
  readonly description: string;
  readonly message: string;
}

export interface FindSegmentationsResult {
  readonly segmentations: LoadedSegmentation[];
  /** SEG series that could not be read (named, with the reason) — shown, not hidden. */
  readonly problems: SegmentationProblem[];
}

export async function findSegmentations(series: LoadedSeries): Promise<FindSegmentationsResult> {
  const segSeries = (await listSeries(series.studyUid)).filter((s) => s.modality === 'SEG');
  const segmentations: LoadedSegmentation[] = [];
  const problems: SegmentationProblem[] = [];
  if (segSeries.length === 0) return { segmentations, problems };
  // The DICOM reader comes with @keyhole/core, loaded on first need (most studies have no SEG).
  const { parseDicom, readDicomSeg } = await import('@keyhole/core');
  for (const seg of segSeries) {
    try {
      const instances = await api<DicomJson[]>(`/dicom-web/studies/${series.studyUid}/series/${seg.seriesUid}/instances`, { accept: 'application/dicom+json' });
      for (const instance of instances) {
        const sopInstanceUid = text(instance, TAG.SOPInstanceUID);
        const bytes = await apiBytes(`/wado?requestType=WADO&studyUID=${series.studyUid}&seriesUID=${seg.seriesUid}&objectUID=${sopInstanceUid}&contentType=application%2Fdicom`, 'application/dicom');
        const read = readDicomSeg({ instance: parseDicom({ bytes, source: `SEG ${sopInstanceUid}` }) });
        const references = read.referencedSeriesInstanceUids.includes(series.seriesUid);
        const sameFrame = read.frameOfReferenceUid !== undefined && read.frameOfReferenceUid === series.frameOfReferenceUid;
        if (!references && !sameFrame) continue;
        segmentations.push({ seriesUid: seg.seriesUid, sopInstanceUid, description: seg.description, labelMap: read.labelMap, segments: read.segments, warnings: read.warnings });
      }
    } catch (error) {
      problems.push({ seriesUid: seg.seriesUid, description: seg.description, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { segmentations, problems };
}
