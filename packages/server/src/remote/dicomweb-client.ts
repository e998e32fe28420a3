import { KeyholeError } from '@keyhole/core';
// One multipart/related parser for the whole server: the one STOW-RS uses (RFC 2046 §5.1.1).
import { contentTypeParameters, parseMultipart } from '../dicomweb/multipart.ts';

/**
 * A minimal DICOMweb client for pulling from a remote PACS, on Node's fetch: QIDO-RS search
 * (PS3.18 §10.6) and WADO-RS retrieve of a study or series as Part 10 instances (PS3.18 §10.4,
 * `multipart/related; type="application/dicom"`). `auth` is sent as the Authorization header.
 */
export interface DicomwebEndpoint {
  /** The DICOMweb root, e.g. http://pacs:8042/dicom-web (no trailing slash). */
  readonly baseUrl: string;
  readonly auth?: string;
}

/** DICOM JSON model (PS3.18 §F.2): tag → { vr, Value }. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

export interface QidoSearchOptions {
  readonly endpoint: DicomwebEndpoint;
  readonly level: 'studies' | 'series';
  /** For series: search within one study (`/studies/{uid}/series`). */
  readonly studyUid?: string;
  /** Matching keys and QIDO parameters (keyword or tag → value), e.g. { PatientID: 'KH*', limit: '10' }. */
  readonly query?: Readonly<Record<string, string>>;
}

export interface WadoRetrieveOptions {
  readonly endpoint: DicomwebEndpoint;
  readonly studyUid: string;
  readonly seriesUid?: string;
}

function headers(endpoint: DicomwebEndpoint, accept: string): Record<string, string> {
  return { accept, ...(endpoint.auth !== undefined && endpoint.auth !== '' ? { authorization: endpoint.auth } : {}) };
}

async function call(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new KeyholeError('REMOTE_NODE_FAILED', { message: `cannot reach ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`, cause: error });
  }
  if (!response.ok && response.status !== 204) {
    throw new KeyholeError('REMOTE_NODE_FAILED', { message: `${url} answered HTTP ${response.status} ${(await response.text()).slice(0, 200)}`, details: { status: response.status } });
  }
  return response;
}

export async function qidoSearch(options: QidoSearchOptions): Promise<DicomJson[]> {
  const path = options.level === 'studies' ? '/studies' : options.studyUid !== undefined ? `/studies/${encodeURIComponent(options.studyUid)}/series` : '/series';
  const params = new URLSearchParams(Object.entries(options.query ?? {}));
  const url = `${options.endpoint.baseUrl}${path}${params.size > 0 ? `?${params.toString()}` : ''}`;
  const response = await call(url, { headers: headers(options.endpoint, 'application/dicom+json') });
  if (response.status === 204) return [];
  const text = await response.text();
  const json = text === '' ? [] : (JSON.parse(text) as unknown);
  if (!Array.isArray(json)) throw new KeyholeError('REMOTE_NODE_FAILED', { message: `${url} did not answer a DICOM JSON array` });
  return json as DicomJson[];
}

/** The Part 10 files of a study or series, as the PACS stores them (transfer syntax `*`: no transcoding). */
export async function wadoRetrieve(options: WadoRetrieveOptions): Promise<Uint8Array[]> {
  const path = `/studies/${encodeURIComponent(options.studyUid)}${options.seriesUid !== undefined ? `/series/${encodeURIComponent(options.seriesUid)}` : ''}`;
  const url = `${options.endpoint.baseUrl}${path}`;
  const response = await call(url, { headers: headers(options.endpoint, 'multipart/related; type="application/dicom"; transfer-syntax=*') });
  const boundary = contentTypeParameters(response.headers.get('content-type') ?? '').params['boundary'];
  if (boundary === undefined) throw new KeyholeError('REMOTE_NODE_FAILED', { message: `${url} did not answer multipart/related (content type ${response.headers.get('content-type') ?? 'none'})` });
  return parseMultipart(new Uint8Array(await response.arrayBuffer()), boundary).map((part) => part.body);
}

/** A value of a DICOM JSON attribute as text (PN: its alphabetic group). */
export function jsonText(dataset: DicomJson, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return String((value as { Alphabetic?: unknown }).Alphabetic ?? '');
  return String(value);
}
