/**
 * The DICOM JSON model (PS3.18 §F.2) of one instance, without bulk data, as stored in
 * `instance.metadata_json` and served by WADO-RS /metadata and QIDO-RS.
 *
 * dcmjs's reader produces nearly this model; the differences it leaves are fixed here:
 * - empty values: F.2.5 says an attribute without a value has no "Value" (dcmjs gives [""]);
 * - PN: F.2.2 objects { Alphabetic, Ideographic?, Phonetic? } (older dcmjs gives strings);
 * - numbers: DS, IS and the binary numeric VRs as JSON numbers (F.2.3);
 * - AT: 8 hex digits; binary VRs (OB, OW, OF, OD, OL, OV, UN): InlineBinary base64 (F.2.7) when
 *   small, otherwise a BulkDataURI (F.2.6); Pixel Data always a BulkDataURI;
 * - dcmjs's internal `_rawValue` keys are dropped.
 */
import type { DcmjsDict, DcmjsElement } from './dcmjs-reader.ts';

export type DicomJsonElement = { vr: string; Value?: unknown[]; InlineBinary?: string; BulkDataURI?: string };
export type DicomJsonDataset = Record<string, DicomJsonElement>;

/** Binary values up to this size stay inline; larger ones become bulk data (PS3.18 leaves the threshold to the server). */
export const INLINE_BINARY_MAX_BYTES = 1024;

const BINARY_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);
const NUMBER_VRS = new Set(['DS', 'IS', 'US', 'SS', 'UL', 'SL', 'FL', 'FD', 'UV', 'SV']);
const PIXEL_DATA_TAGS = new Set(['7FE00010', '7FE00008', '7FE00009']);

export interface ToDicomJsonOptions {
  readonly dict: DcmjsDict;
  /** Base of the instance's bulk data URIs, e.g. `/dicom-web/studies/S/series/R/instances/I`. */
  readonly instanceUri: string;
}

export function toDicomJson(options: ToDicomJsonOptions): DicomJsonDataset {
  return convertDataset(options.dict, options.instanceUri, '');
}

function convertDataset(dict: DcmjsDict, instanceUri: string, tagPath: string): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const tag of Object.keys(dict).sort()) {
    const element = dict[tag];
    if (element === undefined) continue;
    const upper = tag.toUpperCase();
    // Group length elements (gggg,0000) are retired in data sets (PS3.5 §7.2) and not part of the model.
    if (upper.endsWith('0000')) continue;
    out[upper] = convertElement(element, instanceUri, tagPath === '' ? upper : `${tagPath}/${upper}`);
  }
  return out;
}

function convertElement(element: DcmjsElement, instanceUri: string, tagPath: string): DicomJsonElement {
  const vr = element.vr;
  const values = Array.isArray(element.Value) ? element.Value : [];
  if (vr === 'SQ') {
    const items = values.map((item, index) => convertDataset(item as DcmjsDict, instanceUri, `${tagPath}/${index}`));
    return items.length > 0 ? { vr, Value: items } : { vr };
  }
  if (BINARY_VRS.has(vr) || PIXEL_DATA_TAGS.has(tagPath)) {
    if (element.InlineBinary !== undefined) return { vr, InlineBinary: element.InlineBinary };
    const bytes = joinBinary(values);
    if (bytes === undefined || bytes.length === 0) return { vr };
    if (PIXEL_DATA_TAGS.has(tagPath) || bytes.length > INLINE_BINARY_MAX_BYTES) return { vr, BulkDataURI: `${instanceUri}/bulk/${tagPath}` };
    return { vr, InlineBinary: Buffer.from(bytes).toString('base64') };
  }
  if (vr === 'PN') {
    const names = values.map(personName).filter((name) => name !== undefined);
    return names.length > 0 ? { vr, Value: names } : { vr };
  }
  if (NUMBER_VRS.has(vr)) {
    const numbers = values.map((value) => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : null));
    return numbers.some((n) => n !== null) ? { vr, Value: numbers.map((n) => (n === null || Number.isNaN(n) ? null : n)) } : { vr };
  }
  if (vr === 'AT') {
    const tags = values.map((value) => (typeof value === 'number' ? value.toString(16).padStart(8, '0').toUpperCase() : String(value).toUpperCase()));
    return tags.length > 0 ? { vr, Value: tags } : { vr };
  }
  const strings = values.map((value) => (typeof value === 'string' ? value.replace(/[\0 ]+$/, '') : value));
  return strings.some((value) => value !== '' && value !== null && value !== undefined) ? { vr, Value: strings.map((value) => (value === '' ? null : value)) } : { vr };
}

function personName(value: unknown): { Alphabetic?: string; Ideographic?: string; Phonetic?: string } | undefined {
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    const [alphabetic, ideographic, phonetic] = value.split('=');
    return { ...(alphabetic ? { Alphabetic: alphabetic } : {}), ...(ideographic ? { Ideographic: ideographic } : {}), ...(phonetic ? { Phonetic: phonetic } : {}) };
  }
  if (value !== null && typeof value === 'object') {
    const name = value as Record<string, unknown>;
    const result: { Alphabetic?: string; Ideographic?: string; Phonetic?: string } = {};
    for (const key of ['Alphabetic', 'Ideographic', 'Phonetic'] as const) {
      const part = name[key];
      if (typeof part === 'string' && part !== '') result[key] = part;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }
  return undefined;
}

function joinBinary(values: unknown[]): Uint8Array | undefined {
  const parts = values.filter((value): value is ArrayBuffer | ArrayBufferView => value instanceof ArrayBuffer || ArrayBuffer.isView(value)).map((value) => (value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)));
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts);
}

/** First string value of an attribute, for the indexed columns. */
export function jsonString(dataset: DicomJsonDataset, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && 'Alphabetic' in value) return String((value as { Alphabetic?: string }).Alphabetic ?? '');
  return '';
}

export function jsonNumber(dataset: DicomJsonDataset, tag: string): number | null {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
