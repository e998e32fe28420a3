/**
 * parseDicom: bytes of one DICOM file (PS3.10) or raw data set → DicomInstance.
 *
 * dicom-parser does the element walk (fast, zero-copy; the parser under cornerstone3D). This
 * module decides what the bytes are, maps dicom-parser's failures onto the error catalogue,
 * and wraps the result in the DicomDataset / EncodedPixelData contract of ../instance.ts.
 *
 * - Part 10 files have "DICM" at byte 128 (PS3.10 §7.1). Files without it are accepted when a
 *   plausible data set starts at byte 0 (old ACR-NEMA-style exports, some PACS caches), the way
 *   DCMTK's dcmdump and dcm2niix accept them; the VR encoding is then guessed from the first element.
 * - Deflated Explicit VR Little Endian (PS3.5 §A.5) is inflated with fflate (raw deflate, RFC 1951).
 * - Pixel data is not read here: EncodedPixelData hands out views of the file's bytes per frame.
 */
import dicomParser, { type DataSet } from 'dicom-parser';
import { inflateSync } from 'fflate';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { DicomDataset, DicomInstance } from '../instance.ts';
import { TAG_VR, Tag } from '../tags.ts';
import { createDatasetAdapter } from './dataset-adapter.ts';
import { readPixelData } from './pixel-data.ts';
import { encodingForCharacterSet } from './text.ts';
import { TransferSyntax, transferSyntaxInfo } from './transfer-syntax.ts';

export interface ParseDicomOptions {
  readonly bytes: Uint8Array;
  /** Where the bytes came from (file path, archive entry); named in every error. */
  readonly source: string;
}

export function parseDicom(options: ParseDicomOptions): DicomInstance {
  const { bytes, source } = options;
  const guessedSyntax = hasPart10Preamble(bytes) ? undefined : guessRawDataSetSyntax(bytes);
  if (!hasPart10Preamble(bytes) && guessedSyntax === undefined) {
    throw new KeyholeError('DICOM_NOT_DICOM', {
      file: source,
      message: bytes.length < 132
        ? `not a DICOM file: only ${bytes.length} bytes, no "DICM" marker and no recognisable data set`
        : 'not a DICOM file: no "DICM" marker at byte 128 and no recognisable data set at byte 0',
    });
  }

  const dataSet = runDicomParser(bytes, source, guessedSyntax);
  checkComplete(dataSet, source);

  const dataset = adaptDataSet(dataSet);
  const transferSyntaxUid = dataset.string(Tag.TransferSyntaxUID) ?? guessedSyntax ?? TransferSyntax.ImplicitVRLittleEndian;
  const syntax = transferSyntaxInfo(transferSyntaxUid);
  const pixelData = readPixelData({ source, dataSet, dataset, encapsulated: syntax.encapsulated, littleEndian: syntax.littleEndian });
  return assembleInstance({ source, transferSyntaxUid, dataset, pixelData });
}

/** dicom-parser's DataSet behind the DicomDataset contract, text decoded per its Specific Character Set. */
export function adaptDataSet(dataSet: DataSet): DicomDataset {
  const rootText = dataSet.elements[Tag.SpecificCharacterSet];
  const characterSet = rootText === undefined ? undefined : dataSet.string(Tag.SpecificCharacterSet);
  return createDatasetAdapter({ dataSet, encoding: encodingForCharacterSet(characterSet) });
}

/** The instance record, with the SOP UIDs from the data set or, failing that, from the file meta. */
export function assembleInstance(parts: Pick<DicomInstance, 'source' | 'transferSyntaxUid' | 'dataset' | 'pixelData'>): DicomInstance {
  const { dataset } = parts;
  return {
    ...parts,
    sopClassUid: dataset.string(Tag.SOPClassUID) ?? dataset.string(Tag.MediaStorageSOPClassUID) ?? '',
    sopInstanceUid: dataset.string(Tag.SOPInstanceUID) ?? dataset.string(Tag.MediaStorageSOPInstanceUID) ?? '',
  };
}

export function hasPart10Preamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** Value representations of PS3.5 §6.2, to recognise an explicit-VR element at byte 0. */
const KNOWN_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN',
  'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/**
 * A data set without preamble starts with a low group: command (0000), file meta (0002) or,
 * almost always, identifying (0008). Returns the syntax to parse it with, or undefined when
 * byte 0 does not look like the start of a data set.
 */
function guessRawDataSetSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const group = (bytes[0] as number) | ((bytes[1] as number) << 8);
  if (group !== 0x0000 && group !== 0x0002 && group !== 0x0008) return undefined;
  const vr = String.fromCharCode(bytes[4] as number, bytes[5] as number);
  if (KNOWN_VRS.has(vr)) return TransferSyntax.ExplicitVRLittleEndian;
  const length = ((bytes[4] as number) | ((bytes[5] as number) << 8) | ((bytes[6] as number) << 16)) + (bytes[7] as number) * 0x1000000;
  return length <= bytes.length - 8 ? TransferSyntax.ImplicitVRLittleEndian : undefined;
}

function runDicomParser(bytes: Uint8Array, source: string, rawSyntax: string | undefined): DataSet {
  try {
    return dicomParser.parseDicom(bytes, {
      ...(rawSyntax !== undefined ? { TransferSyntaxUID: rawSyntax } : {}),
      // Tells the implicit-VR reader which elements are sequences (it peeks for items otherwise).
      vrCallback: (tag: string) => TAG_VR.get(tag),
      inflater: (array: Uint8Array, position: number) => inflateDeflated(array, position, source),
    } as dicomParser.ParseDicomOptions);
  } catch (thrown) {
    throw mapParserFailure(thrown, bytes, source);
  }
}

function inflateDeflated(array: Uint8Array, position: number, source: string): Uint8Array {
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(array.subarray(position));
  } catch (cause) {
    throw new KeyholeError('DICOM_MALFORMED', { file: source, message: `the deflated data set cannot be inflated: ${messageOf(cause)}`, cause });
  }
  const full = new Uint8Array(position + inflated.length);
  full.set(array.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

/**
 * dicom-parser throws strings or Errors, and from the data set walk an object
 * `{ exception, dataSet }` carrying what it read so far. Running off the end of the buffer
 * means the file is truncated; anything else is malformed.
 */
function mapParserFailure(thrown: unknown, bytes: Uint8Array, source: string): KeyholeError {
  if (thrown instanceof KeyholeError) return thrown;
  const partial = isPartialResult(thrown) ? thrown : undefined;
  const inner = partial?.exception ?? thrown;
  if (inner instanceof KeyholeError) return inner;
  const message = messageOf(inner);
  const truncated = /past end|end of buffer|overrun|eof encountered|beyond|greater than or equal to 'byteArray' length/i.test(message)
    || (partial?.dataSet !== undefined && readsPastEnd(partial.dataSet, partial.dataSet.byteArray.length))
    || endsInsideFileMeta(bytes);
  if (truncated) {
    return new KeyholeError('DICOM_TRUNCATED', {
      file: source,
      message: `the file ends inside a DICOM element (${bytes.length} bytes read; parser: ${message})`,
      cause: inner,
    });
  }
  return new KeyholeError('DICOM_MALFORMED', { file: source, message: `the data set cannot be parsed: ${message}`, cause: inner });
}

/** The file meta group announces its length (0002,0000, PS3.10 §7.1); a file shorter than that is cut inside it. */
function endsInsideFileMeta(bytes: Uint8Array): boolean {
  if (!hasPart10Preamble(bytes)) return false;
  if (bytes.length < 144) return true;
  const isGroupLength = bytes[132] === 0x02 && bytes[133] === 0x00 && bytes[134] === 0x00 && bytes[135] === 0x00;
  if (!isGroupLength) return false;
  const groupLength = ((bytes[140] as number) | ((bytes[141] as number) << 8) | ((bytes[142] as number) << 16)) + (bytes[143] as number) * 0x1000000;
  return bytes.length <= 144 + groupLength;
}

/** dicom-parser can finish "successfully" with an element whose value runs past the last byte. */
function checkComplete(dataSet: DataSet, source: string): void {
  const size = dataSet.byteArray.length;
  if (readsPastEnd(dataSet, size)) {
    throw new KeyholeError('DICOM_TRUNCATED', { file: source, message: `the file ends inside a DICOM element (file has ${size} bytes)` });
  }
  const warning = dataSet.warnings.find((text) => /eof|end of (the )?buffer|missing.*delimit/i.test(text));
  if (warning !== undefined) {
    throw new KeyholeError('DICOM_TRUNCATED', { file: source, message: `the file ends inside a DICOM element (parser: ${warning})` });
  }
}

function readsPastEnd(dataSet: DataSet, size: number): boolean {
  for (const element of Object.values(dataSet.elements)) {
    if (element.hadUndefinedLength !== true && element.dataOffset + element.length > size) return true;
    const lastFragment = element.fragments?.[element.fragments.length - 1];
    if (lastFragment !== undefined && lastFragment.position + lastFragment.length > size) return true;
  }
  return false;
}

function isPartialResult(value: unknown): value is { exception: unknown; dataSet?: DataSet } {
  return typeof value === 'object' && value !== null && 'exception' in value;
}

function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === 'string' ? value : String(value);
}
