/**
 * DICOM Segmentation (SEG) writer: a LabelMap → one binary Segmentation Storage instance
 * (SOP class 1.2.840.10008.5.1.4.1.1.66.4, Segmentation IOD, PS3.3 §A.51).
 *
 * Layout — the one dcmqi and highdicom write, which OHIF, 3D Slicer and pydicom-seg read:
 * - one segment per legend entry present in the voxels (Segment Number 1…n in legend order),
 *   Segment Label = the Keyhole name, category/type/modifier/region codes from anatomy-codes.ts;
 * - one frame per (segment, slice k) where the segment has voxels on that slice ("frames only where
 *   the segment is present"), ordered by segment then k; BINARY, 1 bit per pixel, pixels packed
 *   LSB first and frames packed back to back without padding (PS3.5 §8.1.1);
 * - Shared Functional Groups: Plane Orientation (the grid's i and j axes) and Pixel Measures
 *   (PixelSpacing = [spacing_j, spacing_i], i.e. row spacing first; SliceThickness and
 *   SpacingBetweenSlices = spacing_k);
 * - Per-frame Functional Groups: Frame Content (Dimension Index Values = [segment, k + 1]),
 *   Plane Position (ImagePositionPatient of slice k), Segment Identification, and — where slice k is
 *   exactly a source image's plane (same orientation, size and position) — Derivation Image with the
 *   Source Image reference (PS3.3 §C.7.6.16.2.6);
 * - Multi-frame Dimension module with two indices: Referenced Segment Number (0062,000B) in the
 *   Segment Identification Sequence (0062,000A), and ImagePositionPatient (0020,0032) in the Plane
 *   Position Sequence (0020,9113);
 * - Common Instance Reference: the source series and every source image that a frame derives from.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { mat3Column } from '../../geometry/matrix.ts';
import { add, dot, scale, type Vec3 } from '../../geometry/vec3.ts';
import { structureCodes, type CodedConcept } from '../../segmentation/anatomy-codes.ts';
import type { LabelMap } from '../../segmentation/label-map.ts';
import { encodePart10 } from './dcmjs-api.ts';
import { formatDecimalString, formatDecimalStrings } from './decimal-string.ts';
import { codeItem, codingSchemeIdentification, fileMeta, SOFTWARE_VERSION, studyAttributes, type CreationTime } from './seg-common.ts';
import type { SegSourceImage, SegSourceSeries } from './seg-source.ts';
import type { DicomFile } from './series-metadata.ts';
import { uidFromKey } from './uid.ts';

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

export interface SegAlgorithm {
  /** PS3.3 §C.8.20.2: AUTOMATIC, SEMIAUTOMATIC or MANUAL. */
  readonly type: 'AUTOMATIC' | 'SEMIAUTOMATIC' | 'MANUAL';
  /** E.g. `Keyhole spine CT` or `TotalSegmentator`; required unless MANUAL. */
  readonly name?: string;
  readonly version?: string;
}

export interface WriteDicomSegOptions {
  readonly labelMap: LabelMap;
  readonly source: SegSourceSeries;
  readonly created: CreationTime;
  readonly algorithm: SegAlgorithm;
  /** Key of the deterministic UIDs (series, instance, dimension organisation); default derived from the source series. */
  readonly uidKey?: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  /** Content Label (CS: capitals, digits, underscore and space, ≤ 16); default `SEGMENTATION`. */
  readonly contentLabel?: string;
  readonly contentDescription?: string;
  readonly contentCreatorName?: string;
}

export interface WriteDicomSegResult {
  readonly file: DicomFile;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly segments: ReadonlyArray<{ readonly number: number; readonly name: string; readonly value: number; readonly frames: number }>;
  readonly frames: number;
  /** Frames that carry a Derivation Image reference to a source image. */
  readonly framesWithSourceImage: number;
}

export function writeDicomSeg(options: WriteDicomSegOptions): WriteDicomSegResult {
  const { labelMap, source, created, algorithm } = options;
  const volume = labelMap.volume;
  const [ni, nj, nk] = volume.size;
  if (ni > 65535 || nj > 65535) invalid(`slices of ${ni}×${nj} pixels exceed DICOM's 65535 rows or columns`);
  if (algorithm.type !== 'MANUAL' && (algorithm.name === undefined || algorithm.name === '')) invalid('an AUTOMATIC or SEMIAUTOMATIC segmentation needs the algorithm name');
  const contentLabel = options.contentLabel ?? 'SEGMENTATION';
  if (!/^[A-Z0-9_ ]{1,16}$/.test(contentLabel)) invalid(`content label "${contentLabel}" must be 1–16 capitals, digits, underscores or spaces (DICOM CS)`);

  const row = mat3Column(volume.direction, 0);
  const column = mat3Column(volume.direction, 1);
  const sliceAxis = mat3Column(volume.direction, 2);
  const positions: Vec3[] = Array.from({ length: nk }, (_, k) => add(volume.origin, scale(sliceAxis, k * volume.spacing[2])));
  const sourceOfSlice = matchSourceImages(positions, row, column, [ni, nj], source.images, Math.min(...volume.spacing) * 0.01);

  // Which slices each label occupies, in one pass over the voxels.
  const sliceLength = ni * nj;
  const presence = new Map<number, Uint8Array>();
  const data = volume.data;
  for (let k = 0; k < nk; k++) {
    const base = k * sliceLength;
    for (let n = 0; n < sliceLength; n++) {
      const value = data[base + n]!;
      if (value === 0) continue;
      let slices = presence.get(value);
      if (slices === undefined) presence.set(value, (slices = new Uint8Array(nk)));
      slices[k] = 1;
    }
  }
  const entries = labelMap.legend.labels.filter((entry) => presence.has(entry.value));
  if (entries.length === 0) invalid('the label map is empty: there is no segment to write');

  const uidKey = options.uidKey ?? `seg/${source.seriesInstanceUid}`;
  const seriesInstanceUid = uidFromKey(`${uidKey}/series`);
  const sopInstanceUid = uidFromKey(`${uidKey}/instance`);
  const dimensionOrganizationUid = uidFromKey(`${uidKey}/dimension-organization`);

  const usedCodes: CodedConcept[] = [];
  const segmentItems: Record<string, unknown>[] = [];
  const frameList: Array<{ segment: number; value: number; k: number }> = [];
  const segments: Array<{ number: number; name: string; value: number; frames: number }> = [];
  entries.forEach((entry, index) => {
    const number = index + 1;
    const codes = structureCodes(entry.name, entry.foreign === true);
    usedCodes.push(codes.category, codes.type, ...codes.typeModifiers, ...(codes.region !== undefined ? [codes.region] : []));
    segmentItems.push({
      SegmentNumber: number,
      SegmentLabel: entry.name.slice(0, 64),
      ...(entry.source !== undefined && entry.source !== entry.name ? { SegmentDescription: `from ${entry.source}`.slice(0, 64) } : {}),
      SegmentAlgorithmType: algorithm.type,
      ...(algorithm.type !== 'MANUAL' ? { SegmentAlgorithmName: algorithm.name } : {}),
      SegmentedPropertyCategoryCodeSequence: [codeItem(codes.category)],
      SegmentedPropertyTypeCodeSequence: [{
        ...codeItem(codes.type),
        ...(codes.typeModifiers.length > 0 ? { SegmentedPropertyTypeModifierCodeSequence: codes.typeModifiers.map(codeItem) } : {}),
      }],
      ...(codes.region !== undefined ? { AnatomicRegionSequence: [codeItem(codes.region)] } : {}),
    });
    const slices = presence.get(entry.value)!;
    let frames = 0;
    for (let k = 0; k < nk; k++) {
      if (slices[k] === 1) {
        frameList.push({ segment: number, value: entry.value, k });
        frames++;
      }
    }
    segments.push({ number, name: entry.name, value: entry.value, frames });
  });

  const pixelData = packFrames(data, frameList, sliceLength);
  const referencedImages = new Map<string, SegSourceImage>();
  let framesWithSourceImage = 0;
  const perFrame = frameList.map(({ segment, k }) => {
    const image = sourceOfSlice[k];
    if (image !== undefined) {
      referencedImages.set(image.sopInstanceUid, image);
      framesWithSourceImage++;
    }
    return {
      ...(image !== undefined ? {
        DerivationImageSequence: [{
          SourceImageSequence: [{
            ReferencedSOPClassUID: image.sopClassUid,
            ReferencedSOPInstanceUID: image.sopInstanceUid,
            // DCM 121322 "Source image for image processing operation" (CID 7202), as dcmqi and highdicom write.
            PurposeOfReferenceCodeSequence: [codeItem({ value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' })],
          }],
          // DCM 113076 "Segmentation" (CID 7203 Image Derivation).
          DerivationCodeSequence: [codeItem({ value: '113076', scheme: 'DCM', meaning: 'Segmentation' })],
        }],
      } : {}),
      FrameContentSequence: [{ DimensionIndexValues: [segment, k + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: formatDecimalStrings(positions[k]!) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment }],
    };
  });

  const dataset: Record<string, unknown> = {
    ...studyAttributes(source.study, created),
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    ...codingSchemeIdentification(usedCodes),
    ImageType: ['DERIVED', 'PRIMARY'],
    ContentDate: created.date,
    ContentTime: created.time,
    SeriesDate: created.date,
    SeriesTime: created.time,
    Modality: 'SEG',
    Manufacturer: 'Keyhole',
    ManufacturerModelName: 'Keyhole',
    DeviceSerialNumber: '0',
    SoftwareVersions: SOFTWARE_VERSION,
    SeriesDescription: (options.seriesDescription ?? `Segmentation (${algorithm.name ?? 'manual'})`).slice(0, 64),
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: options.seriesNumber ?? 900,
    InstanceNumber: 1,
    FrameOfReferenceUID: source.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    ReferencedSeriesSequence: [{
      SeriesInstanceUID: source.seriesInstanceUid,
      ReferencedInstanceSequence: [...referencedImages.values()].map((image) => ({ ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid })),
    }],
    ContentLabel: contentLabel,
    ContentDescription: (options.contentDescription ?? 'Keyhole label map').slice(0, 64),
    ContentCreatorName: options.contentCreatorName ?? '',
    SegmentationType: 'BINARY',
    SegmentSequence: segmentItems,
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionOrganizationType: '3D',
    DimensionIndexSequence: [
      { DimensionOrganizationUID: dimensionOrganizationUid, DimensionIndexPointer: 0x0062000b, FunctionalGroupPointer: 0x0062000a, DimensionDescriptionLabel: 'Segment Number' },
      { DimensionOrganizationUID: dimensionOrganizationUid, DimensionIndexPointer: 0x00200032, FunctionalGroupPointer: 0x00209113, DimensionDescriptionLabel: 'ImagePositionPatient' },
    ],
    SharedFunctionalGroupsSequence: [{
      PlaneOrientationSequence: [{ ImageOrientationPatient: formatDecimalStrings([...row, ...column]) }],
      PixelMeasuresSequence: [{
        PixelSpacing: formatDecimalStrings([volume.spacing[1], volume.spacing[0]]),
        SliceThickness: formatDecimalString(volume.spacing[2]),
        SpacingBetweenSlices: formatDecimalString(volume.spacing[2]),
      }],
    }],
    PerFrameFunctionalGroupsSequence: perFrame,
    NumberOfFrames: frameList.length,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: nj,
    Columns: ni,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    PixelData: pixelData.buffer,
    _vrMap: { PixelData: 'OB' },
  };
  const bytes = encodePart10({ meta: fileMeta(SEGMENTATION_STORAGE, sopInstanceUid), dataset });
  return {
    file: { name: 'seg.dcm', bytes },
    sopInstanceUid,
    seriesInstanceUid,
    segments,
    frames: frameList.length,
    framesWithSourceImage,
  };
}

/** Source image whose plane is exactly slice k of the grid (orientation, size and position), per k. */
function matchSourceImages(
  positions: readonly Vec3[],
  row: Vec3,
  column: Vec3,
  [columns, rows]: readonly [number, number],
  images: readonly SegSourceImage[],
  toleranceMm: number,
): Array<SegSourceImage | undefined> {
  const candidates = images.filter((image) => {
    const o = image.orientation;
    return image.rows === rows && image.columns === columns
      && Math.abs(dot(row, [o[0], o[1], o[2]]) - 1) < 1e-4 && Math.abs(dot(column, [o[3], o[4], o[5]]) - 1) < 1e-4;
  });
  return positions.map((position) => candidates.find((image) => Math.hypot(
    image.position[0] - position[0], image.position[1] - position[1], image.position[2] - position[2]) <= Math.max(toleranceMm, 1e-3)));
}

/** Frames packed 1 bit per pixel, LSB first, back to back (PS3.5 §8.1.1), padded to an even length. */
function packFrames(data: ArrayLike<number>, frames: ReadonlyArray<{ value: number; k: number }>, sliceLength: number): Uint8Array {
  const bits = frames.length * sliceLength;
  const bytes = new Uint8Array(Math.ceil(Math.ceil(bits / 8) / 2) * 2);
  let bit = 0;
  for (const { value, k } of frames) {
    const base = k * sliceLength;
    for (let n = 0; n < sliceLength; n++, bit++) {
      if (data[base + n] === value) bytes[bit >>> 3] = bytes[bit >>> 3]! | (1 << (bit & 7));
    }
  }
  return bytes;
}

function invalid(message: string): never {
  throw new KeyholeError('INVALID_ARGUMENT', { message: `cannot write DICOM SEG: ${message}` });
}
