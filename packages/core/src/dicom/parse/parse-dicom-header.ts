/**
 * parseDicomHeader: the start of a DICOM file → a DicomInstance whose native pixel data stays in
 * the file until a frame is asked for; or undefined when these bytes cannot give that answer, and
 * the caller should parse the whole file with parseDicom instead.
 *
 * Why: a 512×512×300 CT is 157 MB of pixels in 300 files. Reading each whole file into memory
 * first, and then copying its pixels into the volume, holds every file at once and touches every
 * byte twice (docs/benchmarks.md). Reading the header from the first few kilobytes and each
 * frame straight from the file when the volume is filled is what dcm2niix does with its headers.
 *
 * Deferral applies only where it is certainly right, and every other case falls back to the whole
 * file, so that errors and results are exactly parseDicom's:
 * - a Part 10 file (preamble and "DICM"), transfer syntax native and not deflated (PS3.5 §A.5: a
 *   deflated data set must be inflated whole; encapsulated pixel data needs its fragment items);
 * - the top-level Integer Pixel Data (7FE0,0010) element begins within `bytes`, has a defined
 *   length, and that length fits inside the file (otherwise the file is truncated: parseDicom of
 *   the whole file reports it);
 * - dicom-parser's walk stops at that element (`untilTag`; nested sequences, such as an Icon Image
 *   Sequence with its own Pixel Data, are walked whole and do not stop it).
 * Elements after the Pixel Data (trailing padding, signatures) are not read; no part of the
 * volume path uses them.
 */
import dicomParser, { type DataSet } from 'dicom-parser';
import type { DicomInstance } from '../instance.ts';
import { TAG_VR, Tag } from '../tags.ts';
import { adaptDataSet, assembleInstance, hasPart10Preamble } from './parse-dicom.ts';
import { deferredNativePixelData } from './pixel-data.ts';
import { TransferSyntax, transferSyntaxInfo } from './transfer-syntax.ts';

export interface ParseDicomHeaderOptions {
  /** The first bytes of the file (any length; a few kilobytes hold most headers). */
  readonly bytes: Uint8Array;
  /** Where the bytes came from; named in every error. */
  readonly source: string;
  /** Size of the whole file in bytes. */
  readonly fileSize: number;
  /** Reads `length` bytes of the file from `offset` when a frame is needed; the bytes are the caller's to keep. */
  readonly readRange: (offset: number, length: number) => Uint8Array;
  /** Reads `target.length` bytes of the file from `offset` into `target`. */
  readonly readRangeInto: (offset: number, target: Uint8Array) => void;
}

export function parseDicomHeader(options: ParseDicomHeaderOptions): DicomInstance | undefined {
  const { bytes, source, fileSize } = options;
  if (!hasPart10Preamble(bytes) || bytes.length > fileSize) return undefined;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, { untilTag: Tag.PixelData, vrCallback: (tag: string) => TAG_VR.get(tag) } as dicomParser.ParseDicomOptions);
  } catch {
    return undefined;
  }
  const element = dataSet.elements[Tag.PixelData];
  if (element === undefined || element.hadUndefinedLength === true || element.dataOffset + element.length > fileSize) return undefined;
  const dataset = adaptDataSet(dataSet);
  const transferSyntaxUid = dataset.string(Tag.TransferSyntaxUID);
  if (transferSyntaxUid === undefined || transferSyntaxUid === TransferSyntax.DeflatedExplicitVRLittleEndian) return undefined;
  const syntax = transferSyntaxInfo(transferSyntaxUid);
  if (syntax.encapsulated) return undefined;
  // Every element before the Pixel Data must lie inside the bytes read (dicom-parser does not
  // always throw when a value runs past the end of its buffer).
  for (const other of Object.values(dataSet.elements)) {
    if (other !== element && other.hadUndefinedLength !== true && other.dataOffset + other.length > bytes.length) return undefined;
  }
  let pixelData;
  try {
    pixelData = deferredNativePixelData({ source, dataSet, dataset, littleEndian: syntax.littleEndian, element, readRange: options.readRange, readRangeInto: options.readRangeInto });
  } catch {
    return undefined;
  }
  return assembleInstance({ source, transferSyntaxUid, dataset, pixelData });
}
