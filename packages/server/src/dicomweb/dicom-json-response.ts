/**
 * Small helpers for DICOM JSON (PS3.18 §F.2) answers: building elements, absolute URLs.
 */
import type { FastifyRequest } from 'fastify';
import type { DicomJsonDataset, DicomJsonElement } from '../store/index.ts';

export const DICOM_JSON = 'application/dicom+json';

export const el = {
  str: (vr: string, value: string | undefined | null): DicomJsonElement => (value === undefined || value === null || value === '' ? { vr } : { vr, Value: [value] }),
  strs: (vr: string, values: string[]): DicomJsonElement => (values.length === 0 ? { vr } : { vr, Value: values }),
  num: (vr: string, value: number | null | undefined): DicomJsonElement => (value === undefined || value === null ? { vr } : { vr, Value: [value] }),
  pn: (value: string): DicomJsonElement => (value === '' ? { vr: 'PN' } : { vr: 'PN', Value: [{ Alphabetic: value }] }),
  seq: (items: DicomJsonDataset[]): DicomJsonElement => ({ vr: 'SQ', Value: items }),
};

/** The server's own base URL as the client addressed it (RetrieveURL, BulkDataURI are absolute, PS3.18 §8.7). */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Rewrites the stored, server-relative BulkDataURIs of a metadata data set into absolute URLs. */
export function absoluteBulkDataUris(dataset: DicomJsonDataset, base: string): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(dataset)) {
    if (element.BulkDataURI !== undefined && element.BulkDataURI.startsWith('/')) out[tag] = { ...element, BulkDataURI: `${base}${element.BulkDataURI}` };
    else if (element.vr === 'SQ' && Array.isArray(element.Value)) out[tag] = { ...element, Value: (element.Value as DicomJsonDataset[]).map((item) => absoluteBulkDataUris(item, base)) };
    else out[tag] = element;
  }
  return out;
}

/** A sorted copy (DICOM JSON objects list attributes in tag order, as PS3.18 F.2 examples do). */
export function sortedDataset(dataset: DicomJsonDataset): DicomJsonDataset {
  return Object.fromEntries(Object.entries(dataset).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** JSON schema of a DICOM JSON data set array, for route response schemas (loose: attributes vary). */
export const dicomJsonArraySchema = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** A Warning header value (RFC 7234 §5.5: code, agent, quoted text), as PS3.18 §8.3.5.1 uses for explanations. */
export function warning(text: string): string {
  return `299 keyhole "${text.replace(/[\r\n"\\]/g, ' ').slice(0, 300)}"`;
}
