/**
 * The source series a segmentation was made on, as the SEG writer references it: study context,
 * series and frame-of-reference UIDs, and each source image's SOP identity and plane (to attach a
 * Derivation Image / Source Image reference to every SEG frame that lies on a source slice).
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { Vec3 } from '../../geometry/vec3.ts';
import type { DicomInstance } from '../instance.ts';
import { Tag } from '../tags.ts';
import type { DerivedStudyContext } from './seg-common.ts';

export interface SegSourceImage {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** ImagePositionPatient (LPS mm) of the image's first pixel. */
  readonly position: Vec3;
  /** ImageOrientationPatient: row direction then column direction. */
  readonly orientation: readonly [number, number, number, number, number, number];
  readonly rows: number;
  readonly columns: number;
}

export interface SegSourceSeries {
  readonly study: DerivedStudyContext;
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly images: readonly SegSourceImage[];
}

export interface SegSourceFromInstancesOptions {
  /** The instances of ONE series (e.g. `readDicomInput(...).instances` filtered by series UID). */
  readonly instances: readonly DicomInstance[];
  /**
   * UIDs to use where the instances have none (blank or absent): for example the ones the archive
   * assigned when it repaired such an import. UIDs the instances do carry always win.
   */
  readonly missingUids?: { readonly study?: string; readonly series?: string; readonly frameOfReference?: string };
}

/** Reads the study context and every image's plane from parsed instances of one series. */
export function segSourceFromInstances(options: SegSourceFromInstancesOptions): SegSourceSeries {
  const first = options.instances[0];
  if (first === undefined) throw new KeyholeError('EMPTY_INPUT', { message: 'no source images to reference' });
  const d = first.dataset;
  const fallback = options.missingUids ?? {};
  const ownSeriesUid = d.string(Tag.SeriesInstanceUID);
  const seriesInstanceUid = ownSeriesUid ?? fallback.series ?? '';
  const frameOfReferenceUid = d.string(Tag.FrameOfReferenceUID) ?? fallback.frameOfReference ?? '';
  const studyInstanceUid = d.string(Tag.StudyInstanceUID) ?? fallback.study ?? '';
  for (const [name, value] of [['StudyInstanceUID', studyInstanceUid], ['SeriesInstanceUID', seriesInstanceUid], ['FrameOfReferenceUID', frameOfReferenceUid]] as const) {
    if (value === '') throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', { file: first.source, message: `${name} is missing; a derived object must reference its source by UID (pass the UIDs the archive assigned as missingUids)` });
  }
  const images: SegSourceImage[] = [];
  for (const instance of options.instances) {
    const ds = instance.dataset;
    if (ds.string(Tag.SeriesInstanceUID) !== ownSeriesUid) {
      throw new KeyholeError('INVALID_ARGUMENT', { file: instance.source, message: `belongs to series ${ds.string(Tag.SeriesInstanceUID) ?? '(none)'}, not ${ownSeriesUid ?? '(none)'}; pass the instances of one series` });
    }
    const position = ds.numbers(Tag.ImagePositionPatient);
    const orientation = ds.numbers(Tag.ImageOrientationPatient);
    const rows = ds.number(Tag.Rows);
    const columns = ds.number(Tag.Columns);
    if (instance.sopInstanceUid === '' || position.length !== 3 || orientation.length !== 6 || rows === undefined || columns === undefined) continue;
    images.push({
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      position: [position[0]!, position[1]!, position[2]!],
      orientation: orientation as unknown as SegSourceImage['orientation'],
      rows,
      columns,
    });
  }
  const text = (tag: string): string | undefined => d.string(tag);
  const study: DerivedStudyContext = {
    patientName: text(Tag.PatientName) ?? '',
    patientId: text(Tag.PatientID) ?? '',
    studyInstanceUid,
    ...optional('patientBirthDate', text(Tag.PatientBirthDate)),
    ...optional('patientSex', text(Tag.PatientSex)),
    ...optional('studyDate', text(Tag.StudyDate)),
    ...optional('studyTime', text(Tag.StudyTime)),
    ...optional('studyId', text(Tag.StudyID)),
    ...optional('accessionNumber', text(Tag.AccessionNumber)),
    ...optional('referringPhysicianName', text(Tag.ReferringPhysicianName)),
    ...optional('studyDescription', text(Tag.StudyDescription)),
  };
  return { study, seriesInstanceUid, frameOfReferenceUid, images };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
