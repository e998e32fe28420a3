/**
 * A series as cornerstone3D image ids: the instances' metadata from our WADO-RS
 * (`…/series/{uid}/metadata`), handed to the DICOM image loader's metadata store, and the slices
 * ordered along the slice normal (not by Instance Number, which scanners do not always keep in
 * spatial order).
 */
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { api } from '../api/client.ts';
import { numbers, text, TAG, type DicomJson } from '../api/dicom-json.ts';

export interface LoadedInstance {
  readonly imageId: string;
  readonly sopInstanceUid: string;
  readonly metadata: DicomJson;
}

export interface LoadedSeries {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly instances: LoadedInstance[];
  readonly frameOfReferenceUid: string;
  readonly modality: string;
  readonly description: string;
}

function cross(a: number[], b: number[]): [number, number, number] {
  return [(a[1] ?? 0) * (b[2] ?? 0) - (a[2] ?? 0) * (b[1] ?? 0), (a[2] ?? 0) * (b[0] ?? 0) - (a[0] ?? 0) * (b[2] ?? 0), (a[0] ?? 0) * (b[1] ?? 0) - (a[1] ?? 0) * (b[0] ?? 0)];
}

/** Distance of a slice along the normal of its orientation (row × column), PS3.3 C.7.6.2. */
function slicePosition(metadata: DicomJson): number {
  const iop = numbers(metadata, TAG.ImageOrientationPatient);
  const ipp = numbers(metadata, TAG.ImagePositionPatient);
  if (iop.length !== 6 || ipp.length !== 3) return Number.NaN;
  const normal = cross(iop.slice(0, 3), iop.slice(3, 6));
  return normal[0] * ipp[0]! + normal[1] * ipp[1]! + normal[2] * ipp[2]!;
}

export async function loadSeries(studyUid: string, seriesUid: string): Promise<LoadedSeries> {
  const metadata = await api<DicomJson[]>(`/dicom-web/studies/${studyUid}/series/${seriesUid}/metadata`, { accept: 'application/dicom+json' });
  const root = `${window.location.origin}/dicom-web`;
  const withPosition = metadata.map((m) => ({ m, position: slicePosition(m), number: Number(text(m, TAG.InstanceNumber)) || 0 }));
  const spatial = withPosition.every((s) => Number.isFinite(s.position));
  withPosition.sort((a, b) => (spatial ? a.position - b.position : a.number - b.number));
  const instances = withPosition.map(({ m }) => {
    const sopInstanceUid = text(m, TAG.SOPInstanceUID);
    const imageId = `wadors:${root}/studies/${studyUid}/series/${seriesUid}/instances/${sopInstanceUid}/frames/1`;
    wadors.metaDataManager.add(imageId, m as never);
    return { imageId, sopInstanceUid, metadata: m };
  });
  const first = metadata[0] ?? {};
  return { studyUid, seriesUid, instances, frameOfReferenceUid: text(first, TAG.FrameOfReferenceUID), modality: text(first, TAG.Modality), description: text(first, TAG.SeriesDescription) };
}
