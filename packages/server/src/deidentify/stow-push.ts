import { randomBytes } from 'node:crypto';
import { KeyholeError } from '@keyhole/core';

/**
 * STOW-RS client (PS3.18 §10.5): sends Part 10 instances to a DICOMweb node as
 * `multipart/related; type="application/dicom"`, a batch per request so that neither side holds a
 * whole study in memory. 200 = all stored, 202 = some refused, 409 = none stored (§10.5.3).
 */
export interface StowEndpoint {
  /** The DICOMweb root, e.g. http://pacs:8042/dicom-web (no trailing slash). */
  readonly baseUrl: string;
  /** Sent as the Authorization header, e.g. `Bearer …` or `Basic …`. */
  readonly auth?: string;
}

export interface StowBatchResult {
  readonly sent: number;
  /** Instances the node refused (Failed SOP Sequence (0008,1198) of its answer). */
  readonly refused: number;
}

function multipart(instances: readonly Uint8Array[], boundary: string): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const bytes of instances) {
    parts.push(encoder.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), bytes, encoder.encode('\r\n'));
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return body;
}

export async function stowBatch(endpoint: StowEndpoint, instances: readonly Uint8Array[]): Promise<StowBatchResult> {
  const boundary = `keyhole-${randomBytes(12).toString('hex')}`;
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}/studies`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
        ...(endpoint.auth !== undefined && endpoint.auth !== '' ? { authorization: endpoint.auth } : {}),
      },
      body: multipart(instances, boundary),
    });
  } catch (error) {
    throw new KeyholeError('REMOTE_NODE_FAILED', { message: `cannot reach ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`, cause: error });
  }
  const text = await response.text();
  if (response.status !== 200 && response.status !== 202 && response.status !== 409) {
    throw new KeyholeError('REMOTE_NODE_FAILED', { message: `${url} answered HTTP ${response.status} ${text.slice(0, 200)}`, details: { status: response.status } });
  }
  let refused = response.status === 409 ? instances.length : 0;
  try {
    const answer = JSON.parse(text) as Record<string, { Value?: unknown[] }>;
    const failed = answer['00081198']?.Value?.length;
    if (failed !== undefined) refused = failed;
  } catch {
    // An answer without a body (some nodes) says nothing beyond its status.
  }
  return { sent: instances.length, refused };
}
