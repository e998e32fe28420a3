import { KeyholeError } from '../../errors/keyhole-error.ts';
import { mat3Column } from '../../geometry/matrix.ts';
import { add, cross, dot, scale, type Vec3 } from '../../geometry/vec3.ts';
import type { Volume } from '../../volume/volume.ts';
import { encodePart10, EXPLICIT_VR_LITTLE_ENDIAN } from './dcmjs-api.ts';
import { formatDecimalString, formatDecimalStrings } from './decimal-string.ts';
import type { DicomFile, SeriesMetadata } from './series-metadata.ts';
import { uidFromKey } from './uid.ts';

/**
 * Writes a volume as a classic single-frame DICOM series: one Part 10 file per k slice, Explicit
 * VR Little Endian, CT Image Storage or MR Image Storage.
 *
 * Geometry (DICOM PS3.3 §C.7.6.2, Image Plane module), all from the volume:
 * - ImageOrientationPatient = [direction column 0 (the i axis, along a row), direction column 1
 *   (the j axis, down a column)];
 * - PixelSpacing = [spacing_j (distance between rows), spacing_i (distance between columns)]:
 *   row spacing first, the order cornerstone3D once got wrong in one place;
 * - ImagePositionPatient of slice k = origin + k · spacing_k · (direction column 2);
 * - Rows = size_j, Columns = size_i; a slice's pixels are `data[i + ni·j + ni·nj·k]`, which is
 *   exactly DICOM's row-by-row order;
 * - SpacingBetweenSlices = spacing_k; SliceThickness comes from the metadata (may be smaller
 *   than the spacing when slices have gaps, as in 2D MR).
 * The volume's k axis must be row × column (right-handed); stacks that go the other way are
 * written in the same order but readers sort by position along the normal anyway.
 */

export interface WriteDicomSeriesOptions {
  readonly volume: Volume;
  readonly metadata: SeriesMetadata;
}

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
/** Our implementation class UID (PS3.7 §D.3.3.2), itself derived under 2.25. */
const IMPLEMENTATION_CLASS_UID = uidFromKey('keyhole/dicom-writer/implementation-class');
const IMPLEMENTATION_VERSION = 'KEYHOLE_0_1';

export function writeDicomSeries(options: WriteDicomSeriesOptions): DicomFile[] {
  const { volume, metadata } = options;
  const [ni, nj, nk] = volume.size;
  if (ni > 65535 || nj > 65535) invalid(`slices of ${ni}×${nj} pixels exceed DICOM's 65535 rows or columns`);
  const stored = storedPixels(volume, metadata);
  const row = mat3Column(volume.direction, 0);
  const column = mat3Column(volume.direction, 1);
  const sliceAxis = mat3Column(volume.direction, 2);
  const normal = cross(row, column);
  const sopClassUid = metadata.modality === 'CT' ? CT_IMAGE_STORAGE : MR_IMAGE_STORAGE;
  const firstInstance = metadata.firstInstanceNumber ?? 1;
  const uidKey = metadata.instanceUidKey ?? metadata.seriesInstanceUid;
  const prefix = metadata.fileNamePrefix ?? `s${String(metadata.seriesNumber).padStart(4, '0')}-`;
  const common = commonAttributes(volume, metadata, stored);
  const sliceLength = ni * nj;
  const files: DicomFile[] = [];
  for (let k = 0; k < nk; k++) {
    const instanceNumber = firstInstance + k;
    const sopInstanceUid = uidFromKey(`${uidKey}/${instanceNumber}`);
    const position: Vec3 = add(volume.origin, scale(sliceAxis, k * volume.spacing[2]));
    const pixels = stored.data.slice(k * sliceLength, (k + 1) * sliceLength);
    const dataset: Record<string, unknown> = {
      ...common,
      SOPClassUID: sopClassUid,
      SOPInstanceUID: sopInstanceUid,
      InstanceNumber: instanceNumber,
      ImagePositionPatient: formatDecimalStrings(position),
      ImageOrientationPatient: formatDecimalStrings([...row, ...column]),
      SliceLocation: formatDecimalString(dot(position, normal)),
      PixelData: pixels.buffer,
      _vrMap: { PixelData: 'OW' },
    };
    const meta = {
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: sopClassUid,
      MediaStorageSOPInstanceUID: sopInstanceUid,
      TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
      ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
      ImplementationVersionName: IMPLEMENTATION_VERSION,
    };
    files.push({ name: `${prefix}i${String(instanceNumber).padStart(4, '0')}.dcm`, bytes: encodePart10({ meta, dataset }) });
  }
  return files;
}

interface StoredPixels {
  readonly data: Uint16Array | Int16Array;
  readonly signed: boolean;
  readonly intercept: number;
}

/** Converts the volume's values to what is stored; CT may be offset by −1024 (see CtAcquisition.storage). */
function storedPixels(volume: Volume, metadata: SeriesMetadata): StoredPixels {
  const source = volume.data;
  if (!(source instanceof Int16Array || source instanceof Uint16Array || source instanceof Uint8Array || source instanceof Int8Array)) {
    invalid(`voxels of type ${source.constructor.name} cannot be written; round them to 16-bit integers first`);
  }
  const acquisition = metadata.acquisition;
  if (acquisition.kind === 'CT' && acquisition.storage === 'unsigned-offset') {
    const out = new Uint16Array(source.length);
    for (let n = 0; n < source.length; n++) out[n] = Math.min(65535, Math.max(0, source[n]! + 1024));
    return { data: out, signed: false, intercept: -1024 };
  }
  if (source instanceof Int16Array) return { data: source, signed: true, intercept: 0 };
  if (source instanceof Uint16Array) return { data: source, signed: false, intercept: 0 };
  const signed = source instanceof Int8Array || (acquisition.kind === 'CT');
  const out = signed ? Int16Array.from(source) : Uint16Array.from(source);
  return { data: out, signed, intercept: 0 };
}

/** Attributes that are the same on every slice of the series. */
function commonAttributes(volume: Volume, metadata: SeriesMetadata, stored: StoredPixels): Record<string, unknown> {
  const { patient, study, acquisition } = metadata;
  const attributes: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 100',
    ImageType: acquisition.kind === 'CT' ? ['ORIGINAL', 'PRIMARY', 'AXIAL'] : ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
    InstanceCreationDate: study.date,
    InstanceCreationTime: study.time,
    StudyDate: study.date,
    SeriesDate: study.date,
    AcquisitionDate: study.date,
    ContentDate: study.date,
    StudyTime: study.time,
    SeriesTime: study.time,
    AcquisitionTime: study.time,
    ContentTime: study.time,
    AccessionNumber: study.accessionNumber ?? '',
    Modality: metadata.modality,
    Manufacturer: 'Keyhole',
    ReferringPhysicianName: '',
    StationName: 'KEYHOLE',
    StudyDescription: study.description ?? '',
    SeriesDescription: metadata.seriesDescription,
    ManufacturerModelName: 'Keyhole spine phantom',
    PatientName: patient.name,
    PatientID: patient.id,
    PatientBirthDate: patient.birthDate ?? '',
    PatientSex: patient.sex ?? '',
    ...(patient.age !== undefined ? { PatientAge: patient.age } : {}),
    ...(metadata.bodyPart !== undefined ? { BodyPartExamined: metadata.bodyPart } : {}),
    SliceThickness: formatDecimalString(metadata.sliceThickness),
    SpacingBetweenSlices: formatDecimalString(volume.spacing[2]),
    SoftwareVersions: 'keyhole 0.1.0',
    PatientPosition: metadata.patientPosition,
    StudyInstanceUID: study.studyInstanceUid,
    SeriesInstanceUID: metadata.seriesInstanceUid,
    StudyID: study.studyId,
    SeriesNumber: metadata.seriesNumber,
    AcquisitionNumber: 1,
    FrameOfReferenceUID: study.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: volume.size[1],
    Columns: volume.size[0],
    PixelSpacing: formatDecimalStrings([volume.spacing[1], volume.spacing[0]]),
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: stored.signed ? 1 : 0,
    WindowCenter: formatDecimalString(metadata.displayWindow.center),
    WindowWidth: formatDecimalString(metadata.displayWindow.width),
    ...(metadata.synthetic !== false ? { SyntheticData: 'YES' } : {}),
    ...(metadata.imageComments !== undefined ? { ImageComments: metadata.imageComments } : {}),
  };
  if (acquisition.kind === 'CT') {
    Object.assign(attributes, {
      KVP: formatDecimalString(acquisition.kvp),
      ...(acquisition.exposureMas !== undefined ? { Exposure: Math.round(acquisition.exposureMas) } : {}),
      ...(acquisition.convolutionKernel !== undefined ? { ConvolutionKernel: acquisition.convolutionKernel } : {}),
      RescaleIntercept: formatDecimalString(stored.intercept),
      RescaleSlope: '1',
      RescaleType: 'HU',
    });
  } else {
    Object.assign(attributes, {
      ScanningSequence: acquisition.scanningSequence,
      SequenceVariant: acquisition.sequenceVariant,
      ScanOptions: '',
      MRAcquisitionType: acquisition.acquisitionType,
      ...(acquisition.sequenceName !== undefined ? { SequenceName: acquisition.sequenceName } : {}),
      RepetitionTime: formatDecimalString(acquisition.repetitionTime),
      EchoTime: formatDecimalString(acquisition.echoTime),
      EchoTrainLength: acquisition.echoTrainLength,
      NumberOfAverages: '1',
      ImagedNucleus: '1H',
      MagneticFieldStrength: formatDecimalString(acquisition.magneticFieldStrength),
      ...(acquisition.flipAngle !== undefined ? { FlipAngle: formatDecimalString(acquisition.flipAngle) } : {}),
    });
  }
  return attributes;
}

function invalid(message: string): never {
  throw new KeyholeError('INVALID_ARGUMENT', { message: `cannot write DICOM series: ${message}` });
}
