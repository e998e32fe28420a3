/**
 * Real DICOM bytes for synthetic stacks, written with dcmjs (the maintained DICOM toolkit of the
 * OHIF/Cornerstone stack) so that tests run the whole path: bytes → parseDicom → series assembly
 * → decodeFrame → Volume, and so that dcm2niix can read the very same files.
 */
import dcmjs from 'dcmjs';
import type { Vec3 } from '../../../geometry/vec3.ts';
import type { DicomInstance } from '../../instance.ts';
import { parseDicom } from '../../parse/parse-dicom.ts';

export interface SyntheticSlice {
  readonly position: Vec3;
  /** IOP: row cosines then column cosines. */
  readonly orientation: readonly number[];
  /** [row spacing, column spacing]. */
  readonly pixelSpacing: readonly [number, number];
  readonly rows: number;
  readonly columns: number;
  /** Stored values, columns fastest; Int16Array → signed, Uint16Array → unsigned. */
  readonly pixels: Int16Array | Uint16Array;
  readonly instanceNumber: number;
  readonly seriesInstanceUid?: string;
  readonly modality?: 'CT' | 'MR';
  /** Further attributes in dcmjs's naturalized keyword form (EchoNumbers, RescaleSlope, …). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Keywords to leave out (e.g. ImagePositionPatient for a projection image). */
  readonly omit?: readonly string[];
  /** SOP Class UID; default CT or MR Image Storage by modality. */
  readonly sopClassUid?: string;
  /** Modality attribute when it is not CT or MR (DX, XA, …). */
  readonly modalityName?: string;
}

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

const ds = (v: number): string => String(Number(v.toFixed(6)));

export function syntheticDicomBytes(slice: SyntheticSlice): Uint8Array {
  const modality = slice.modality ?? 'CT';
  const sopClass = slice.sopClassUid ?? (modality === 'CT' ? CT_IMAGE_STORAGE : MR_IMAGE_STORAGE);
  const series = slice.seriesInstanceUid ?? '2.25.1001';
  const sop = `${series}.${slice.instanceNumber}`;
  const signed = slice.pixels instanceof Int16Array;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sop,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: '2.25.42',
  };
  const full: Record<string, unknown> = {
    SOPClassUID: sopClass,
    SOPInstanceUID: sop,
    Modality: slice.modalityName ?? modality,
    Manufacturer: 'Keyhole synthetic',
    PatientName: 'Synthetic^Stack',
    PatientID: 'SYN-1',
    StudyInstanceUID: '2.25.1000',
    StudyDate: '20260101',
    SeriesInstanceUID: series,
    SeriesNumber: '7',
    InstanceNumber: String(slice.instanceNumber),
    FrameOfReferenceUID: '2.25.1002',
    ImagePositionPatient: slice.position.map(ds),
    ImageOrientationPatient: slice.orientation.map(ds),
    PixelSpacing: slice.pixelSpacing.map(ds),
    SliceThickness: '1',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: slice.rows,
    Columns: slice.columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: signed ? 1 : 0,
    ...(modality === 'CT' ? { RescaleIntercept: '0', RescaleSlope: '1', RescaleType: 'HU' } : {}),
    PixelData: [slice.pixels.buffer.slice(slice.pixels.byteOffset, slice.pixels.byteOffset + slice.pixels.byteLength)],
    _vrMap: { PixelData: 'OW' },
  };
  const kept = Object.fromEntries(Object.entries(full).filter(([keyword]) => !(slice.omit ?? []).includes(keyword)));
  const dataset = { ...kept, ...slice.extra };
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

export function syntheticInstances(slices: readonly SyntheticSlice[]): DicomInstance[] {
  return slices.map((slice, n) => parseDicom({ bytes: syntheticDicomBytes(slice), source: `synthetic-${String(n + 1).padStart(3, '0')}.dcm` }));
}

/** Stored pixels from a function of (i, j). */
export function pixelsFrom(columns: number, rows: number, value: (i: number, j: number) => number, signed = true): Int16Array | Uint16Array {
  const out = signed ? new Int16Array(columns * rows) : new Uint16Array(columns * rows);
  for (let j = 0; j < rows; j++) for (let i = 0; i < columns; i++) out[i + columns * j] = Math.round(value(i, j));
  return out;
}
