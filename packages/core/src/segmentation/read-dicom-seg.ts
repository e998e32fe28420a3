/**
 * Reads a DICOM Segmentation (parsed with parseDicom) back into a LabelMap: Keyhole's own SEGs and
 * other tools' (the frame-per-segment layout dcmqi, highdicom, TotalSegmentator and 3D Slicer write;
 * BINARY, or FRACTIONAL thresholded at half of Maximum Fractional Value).
 *
 * Geometry comes from the functional groups alone: the plane orientation (shared or per frame), the
 * pixel spacing, and each frame's ImagePositionPatient. Frames are placed on a grid whose k axis is
 * the plane normal (row × column), spaced by Spacing Between Slices (else the smallest step between
 * frame positions); a frame between grid planes, or offset within its plane, is refused. With a
 * `reference` grid (the source series' volume) the labels are put on it through LPS, exactly when the
 * grids coincide, else by nearest neighbour.
 *
 * Segment → Keyhole name: the Segment Label when it is a Keyhole name or a TotalSegmentator name
 * (`vertebrae_L4`), else the coded type and modifiers (anatomy-codes.ts); otherwise the segment is
 * kept under its label and marked foreign. Where segments overlap, the higher segment number wins
 * and the overlap is reported.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { mat3FromColumns } from '../geometry/matrix.ts';
import { cross, dot, normalize, sub, type Vec3 } from '../geometry/vec3.ts';
import type { DicomDataset, DicomInstance } from '../dicom/instance.ts';
import { LABELS, type LabelName } from '../phantom/vocabulary.ts';
import { createVolume } from '../volume/volume.ts';
import { structureFromCodes, type CodedConcept } from './anatomy-codes.ts';
import { FOREIGN_VALUE_BASE } from './import-labels.ts';
import { createLabelMap, type LabelMap } from './label-map.ts';
import type { LegendEntry } from './legend.ts';
import { placeOnGrid, type ReferenceGrid } from './place-on-grid.ts';
import { mapStructureName } from './structure-names.ts';

/** SEG tags (PS3.6), spelled as dicom-parser spells them. */
const T = {
  SOPClassUID: 'x00080016',
  CodeValue: 'x00080100',
  CodingSchemeDesignator: 'x00080102',
  CodeMeaning: 'x00080104',
  SeriesInstanceUID: 'x0020000e',
  FrameOfReferenceUID: 'x00200052',
  ImagePositionPatient: 'x00200032',
  ImageOrientationPatient: 'x00200037',
  SliceThickness: 'x00180050',
  SpacingBetweenSlices: 'x00180088',
  PixelSpacing: 'x00280030',
  Rows: 'x00280010',
  Columns: 'x00280011',
  NumberOfFrames: 'x00280008',
  BitsAllocated: 'x00280100',
  PixelData: 'x7fe00010',
  PlanePositionSequence: 'x00209113',
  PlaneOrientationSequence: 'x00209116',
  PixelMeasuresSequence: 'x00289110',
  SharedFunctionalGroupsSequence: 'x52009229',
  PerFrameFunctionalGroupsSequence: 'x52009230',
  ReferencedSeriesSequence: 'x00081115',
  SegmentationType: 'x00620001',
  SegmentSequence: 'x00620002',
  SegmentedPropertyCategoryCodeSequence: 'x00620003',
  SegmentNumber: 'x00620004',
  SegmentLabel: 'x00620005',
  SegmentIdentificationSequence: 'x0062000a',
  ReferencedSegmentNumber: 'x0062000b',
  MaximumFractionalValue: 'x0062000e',
  SegmentedPropertyTypeCodeSequence: 'x0062000f',
  SegmentedPropertyTypeModifierCodeSequence: 'x00620011',
} as const;

const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

export interface ReadDicomSegOptions {
  readonly instance: DicomInstance;
  /** Put the labels on this grid (the source series' volume). Default: a grid spanning the frames. */
  readonly reference?: ReferenceGrid;
}

export interface ReadSegment {
  readonly number: number;
  readonly label: string;
  /** Keyhole name (or the label, when foreign). */
  readonly name: string;
  readonly value: number;
  readonly foreign: boolean;
  readonly frames: number;
  readonly type: CodedConcept | undefined;
}

export interface ReadDicomSegResult {
  readonly labelMap: LabelMap;
  readonly segments: readonly ReadSegment[];
  /** Voxels claimed by more than one segment (the higher segment number kept them). */
  readonly overlappingVoxels: number;
  readonly referencedSeriesInstanceUids: readonly string[];
  readonly frameOfReferenceUid: string | undefined;
  readonly warnings: readonly string[];
}

export function readDicomSeg(options: ReadDicomSegOptions): ReadDicomSegResult {
  const { instance } = options;
  const ds = instance.dataset;
  const file = instance.source;
  if (instance.sopClassUid !== SEGMENTATION_STORAGE) {
    throw new KeyholeError('INVALID_ARGUMENT', { file, message: `not a DICOM Segmentation (SOP class ${instance.sopClassUid || 'missing'}, expected ${SEGMENTATION_STORAGE})` });
  }
  const type = ds.string(T.SegmentationType) ?? '';
  if (type !== 'BINARY' && type !== 'FRACTIONAL') {
    throw new KeyholeError('DICOM_UNSUPPORTED_PIXEL_FORMAT', { file, message: `segmentation type "${type}" is not supported (BINARY and FRACTIONAL are)` });
  }
  const rows = required(ds.number(T.Rows), 'Rows', file);
  const columns = required(ds.number(T.Columns), 'Columns', file);
  const frameCount = required(ds.number(T.NumberOfFrames), 'NumberOfFrames', file);
  const shared = ds.sequence(T.SharedFunctionalGroupsSequence)[0];
  const perFrame = ds.sequence(T.PerFrameFunctionalGroupsSequence);
  if (perFrame.length !== frameCount) {
    throw new KeyholeError('DICOM_MALFORMED', { file, message: `${frameCount} frames but ${perFrame.length} per-frame functional group items` });
  }

  // Segments and their Keyhole names.
  const warnings: string[] = [];
  const segments = readSegments(ds, warnings);
  const segmentByNumber = new Map(segments.map((s) => [s.number, s]));

  // Per-frame geometry.
  const group = (frame: DicomDataset | undefined, tag: string): DicomDataset | undefined => frame?.sequence(tag)[0] ?? shared?.sequence(tag)[0];
  const orientation = group(perFrame[0], T.PlaneOrientationSequence)?.numbers(T.ImageOrientationPatient) ?? [];
  const measures = group(perFrame[0], T.PixelMeasuresSequence);
  const pixelSpacing = measures?.numbers(T.PixelSpacing) ?? [];
  if (orientation.length !== 6) throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', { file, message: 'the Plane Orientation functional group (ImageOrientationPatient) is missing' });
  if (pixelSpacing.length !== 2) throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', { file, message: 'the Pixel Measures functional group (PixelSpacing) is missing' });
  const row = normalize([orientation[0]!, orientation[1]!, orientation[2]!]);
  const column = normalize([orientation[3]!, orientation[4]!, orientation[5]!]);
  const normal = normalize(cross(row, column));
  const frames = perFrame.map((item, index) => {
    const ipp = group(item, T.PlanePositionSequence)?.numbers(T.ImagePositionPatient) ?? [];
    if (ipp.length !== 3) throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', { file, message: `frame ${index + 1} has no ImagePositionPatient` });
    const frameOrientation = item.sequence(T.PlaneOrientationSequence)[0]?.numbers(T.ImageOrientationPatient);
    if (frameOrientation !== undefined && frameOrientation.some((v, n) => Math.abs(v - orientation[n]!) > 1e-4)) {
      throw new KeyholeError('DICOM_SERIES_INCONSISTENT', { file, message: `frame ${index + 1} lies in another orientation than frame 1; such a segmentation cannot form one label volume` });
    }
    const segment = group(item, T.SegmentIdentificationSequence)?.number(T.ReferencedSegmentNumber);
    if (segment === undefined || !segmentByNumber.has(segment)) {
      throw new KeyholeError('DICOM_MALFORMED', { file, message: `frame ${index + 1} references segment ${segment ?? '(none)'}, which the Segment Sequence does not define` });
    }
    const position: Vec3 = [ipp[0]!, ipp[1]!, ipp[2]!];
    return { position, along: dot(position, normal), segment };
  });

  // The grid: k along the normal, from the lowest frame position.
  const alongs = [...new Set(frames.map((f) => Math.round(f.along * 1000) / 1000))].sort((a, b) => a - b);
  const steps = alongs.slice(1).map((a, n) => a - alongs[n]!).filter((d) => d > 1e-3);
  const spacingK = measures?.number(T.SpacingBetweenSlices) ?? (steps.length > 0 ? Math.min(...steps) : measures?.number(T.SliceThickness) ?? 1);
  const lowest = frames.reduce((best, f) => (f.along < best.along ? f : best), frames[0]!);
  const origin = lowest.position;
  const nk = Math.round((alongs[alongs.length - 1]! - alongs[0]!) / spacingK) + 1;
  const sliceLength = rows * columns;
  const spacingRow = pixelSpacing[1]!; // between columns (along a row): spacing_i
  const spacingColumn = pixelSpacing[0]!; // between rows: spacing_j
  const kOfFrame = frames.map((f, index) => {
    const offset = sub(f.position, origin);
    const kExact = dot(offset, normal) / spacingK;
    const k = Math.round(kExact);
    const inPlane = Math.hypot(dot(offset, row), dot(offset, column));
    if (Math.abs(kExact - k) > 0.1 || inPlane > 0.1 * Math.min(spacingRow, spacingColumn)) {
      throw new KeyholeError('DICOM_SERIES_INCONSISTENT', {
        file,
        message: `frame ${index + 1} does not lie on the grid of the other frames (${(Math.abs(kExact - k) * spacingK).toFixed(2)} mm off its plane, ${inPlane.toFixed(2)} mm off in plane)`,
      });
    }
    return k;
  });

  // Labels.
  const bits = unpackFrames(instance, type, frameCount, sliceLength, ds);
  const maxValue = Math.max(...segments.map((s) => s.value));
  const data = maxValue <= 255 ? new Uint8Array(sliceLength * nk) : new Uint16Array(sliceLength * nk);
  let overlapping = 0;
  const order = frames.map((_, index) => index).sort((a, b) => frames[a]!.segment - frames[b]!.segment);
  const frameCounts = new Map<number, number>();
  for (const index of order) {
    const segment = segmentByNumber.get(frames[index]!.segment)!;
    frameCounts.set(segment.number, (frameCounts.get(segment.number) ?? 0) + 1);
    const base = kOfFrame[index]! * sliceLength;
    const frame = bits(index);
    for (let n = 0; n < sliceLength; n++) {
      if (frame[n] === 0) continue;
      if (data[base + n] !== 0 && data[base + n] !== segment.value) overlapping++;
      data[base + n] = segment.value;
    }
  }
  if (overlapping > 0) warnings.push(`${overlapping} voxels belong to more than one segment; the higher segment number was kept`);

  const own = createVolume({
    size: [columns, rows, nk],
    spacing: [spacingRow, spacingColumn, spacingK],
    origin,
    direction: mat3FromColumns(row, column, normal),
    data,
    units: 'label',
  });
  const placed = options.reference !== undefined ? placeOnGrid({ volume: own, reference: options.reference, source: file }) : undefined;
  if (placed !== undefined && placed.labelledVoxelsOutside > 0) {
    warnings.push(`${placed.labelledVoxelsOutside} of ${placed.labelledVoxels} labelled voxels lie outside the reference grid and were dropped`);
  }
  const entries = new Map<number, LegendEntry>();
  for (const segment of segments) {
    const existing = entries.get(segment.value);
    entries.set(segment.value, {
      value: segment.value,
      name: segment.name,
      ...(segment.foreign ? { foreign: true } : {}),
      source: existing?.source !== undefined ? `${existing.source}+${segment.label}` : segment.label,
    });
  }
  const labelMap = createLabelMap({ volume: placed?.volume ?? own, legend: { labels: [...entries.values()] }, source: file });
  return {
    labelMap,
    segments: segments.map((s) => ({ ...s, frames: frameCounts.get(s.number) ?? 0 })),
    overlappingVoxels: overlapping,
    referencedSeriesInstanceUids: ds.sequence(T.ReferencedSeriesSequence).map((item) => item.string(T.SeriesInstanceUID) ?? '').filter((uid) => uid !== ''),
    frameOfReferenceUid: ds.string(T.FrameOfReferenceUID),
    warnings,
  };
}

function readSegments(ds: DicomDataset, warnings: string[]): ReadSegment[] {
  const items = ds.sequence(T.SegmentSequence);
  if (items.length === 0) throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', { message: 'the Segment Sequence is empty: the segmentation defines no segment' });
  const foreignValues = new Map<string, number>();
  return items.map((item, index) => {
    const number = item.number(T.SegmentNumber) ?? index + 1;
    const label = item.string(T.SegmentLabel) ?? `segment ${number}`;
    const typeItem = item.sequence(T.SegmentedPropertyTypeCodeSequence)[0];
    const type = typeItem !== undefined ? readCode(typeItem) : undefined;
    const modifiers = typeItem?.sequence(T.SegmentedPropertyTypeModifierCodeSequence).map(readCode) ?? [];
    const mapped = mapStructureName(label)?.name ?? (type !== undefined ? structureFromCodes(type, modifiers) : undefined);
    if (mapped !== undefined) {
      if (mapped !== label) warnings.push(`segment ${number} "${label}" read as ${mapped}`);
      return { number, label, name: mapped, value: LABELS[mapped as LabelName], foreign: false, frames: 0, type };
    }
    let value = foreignValues.get(label);
    if (value === undefined) foreignValues.set(label, (value = FOREIGN_VALUE_BASE + number));
    warnings.push(`segment ${number} "${label}" has no Keyhole name; kept under its label`);
    return { number, label, name: label, value, foreign: true, frames: 0, type };
  });
}

function readCode(item: DicomDataset): CodedConcept {
  return { value: item.string(T.CodeValue) ?? '', scheme: item.string(T.CodingSchemeDesignator) ?? '', meaning: item.string(T.CodeMeaning) ?? '' };
}

/** Frame reader: 1 for inside, 0 outside, per pixel. */
function unpackFrames(instance: DicomInstance, type: string, frameCount: number, sliceLength: number, ds: DicomDataset): (index: number) => Uint8Array {
  const file = instance.source;
  const bytes = ds.bytes(T.PixelData);
  if (bytes === undefined) throw new KeyholeError('DICOM_MISSING_PIXEL_DATA', { file, message: 'the segmentation has no Pixel Data' });
  if (instance.pixelData?.encapsulated === true) {
    throw new KeyholeError('DICOM_UNSUPPORTED_TRANSFER_SYNTAX', { file, message: 'compressed segmentations are not supported; write it uncompressed (e.g. gdcmconv --raw)' });
  }
  const bitsAllocated = ds.number(T.BitsAllocated) ?? (type === 'BINARY' ? 1 : 8);
  const frame = new Uint8Array(sliceLength);
  if (bitsAllocated === 1) {
    if (bytes.length * 8 < frameCount * sliceLength) throw new KeyholeError('DICOM_TRUNCATED', { file, message: `Pixel Data holds ${bytes.length} bytes, fewer than ${frameCount} frames of ${sliceLength} bits need` });
    return (index) => {
      // Frames follow each other bit by bit (PS3.5 §8.1.1), so a frame may start inside a byte.
      let bit = index * sliceLength;
      for (let n = 0; n < sliceLength; n++, bit++) frame[n] = (bytes[bit >>> 3]! >>> (bit & 7)) & 1;
      return frame;
    };
  }
  if (bitsAllocated !== 8) throw new KeyholeError('DICOM_UNSUPPORTED_PIXEL_FORMAT', { file, message: `${bitsAllocated} bits per pixel; SEG uses 1 (BINARY) or 8 (FRACTIONAL)` });
  if (bytes.length < frameCount * sliceLength) throw new KeyholeError('DICOM_TRUNCATED', { file, message: `Pixel Data holds ${bytes.length} bytes, fewer than ${frameCount} frames need` });
  const threshold = (ds.number(T.MaximumFractionalValue) ?? 255) / 2;
  return (index) => {
    const base = index * sliceLength;
    for (let n = 0; n < sliceLength; n++) frame[n] = bytes[base + n]! > threshold ? 1 : 0;
    return frame;
  };
}

function required(value: number | undefined, name: string, file: string): number {
  if (value === undefined || !Number.isInteger(value) || value <= 0) {
    throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', { file, message: `${name} is ${value === undefined ? 'missing' : `invalid (${value})`}` });
  }
  return value;
}
