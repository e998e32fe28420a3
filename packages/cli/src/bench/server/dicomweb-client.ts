import { randomBytes } from 'node:crypto';
import type { BenchServer } from './bench-server.ts';

export interface StowSettings {
  /** Instances per multipart/related request. */
  readonly batchSize: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/** The request bodies, built before the clock starts so that only the transfer and the store are timed. */
export interface StowBatch {
  readonly body: Buffer;
  readonly contentType: string;
  readonly instances: number;
}

export function stowBatches(files: readonly Buffer[], batchSize: number): StowBatch[] {
  const batches: StowBatch[] = [];
  for (let i = 0; i < files.length; i += batchSize) {
    const boundary = `bench-${randomBytes(12).toString('hex')}`;
    const chunks: Buffer[] = [];
    const slice = files.slice(i, i + batchSize);
    for (const file of slice) chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), file, Buffer.from('\r\n'));
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    batches.push({ body: Buffer.concat(chunks), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`, instances: slice.length });
  }
  return batches;
}

/**
 * STOW-RS of all batches, `concurrency` requests at a time, with the same client code for every
 * server; every answer must be 200 and reference every instance of its batch. Returns seconds.
 */
export async function stowAll(server: BenchServer, batches: readonly StowBatch[], concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const response = await fetch(`${server.dicomwebUrl}/studies`, { method: 'POST', body: batch.body, headers: { ...server.headers, 'content-type': batch.contentType, accept: 'application/dicom+json' } });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${server.name} STOW-RS: HTTP ${response.status} ${text.slice(0, 500)}`);
      const referenced = (JSON.parse(text) as Record<string, { Value?: unknown[] }>)['00081199']?.Value?.length ?? 0;
      if (referenced !== batch.instances) throw new Error(`${server.name} STOW-RS: ${referenced} of ${batch.instances} instances referenced in the answer`);
    }
  }));
  return (performance.now() - started) / 1000;
}

/** WADO-RS of a whole series as multipart/related application/dicom; returns seconds and body bytes. */
export async function retrieveSeries(server: BenchServer, studyUid: string, seriesUid: string): Promise<{ seconds: number; bytes: number; parts: number }> {
  const started = performance.now();
  const response = await fetch(`${server.dicomwebUrl}/studies/${studyUid}/series/${seriesUid}`, { headers: { ...server.headers, accept: 'multipart/related; type="application/dicom"' } });
  if (response.status !== 200 || response.body === null) throw new Error(`${server.name} WADO-RS: HTTP ${response.status} ${await response.text()}`);
  const boundary = /boundary="?([^";]+)"?/.exec(response.headers.get('content-type') ?? '')?.[1];
  if (boundary === undefined) throw new Error(`${server.name} WADO-RS: no boundary in ${response.headers.get('content-type')}`);
  let bytes = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    chunks.push(Buffer.from(chunk));
  }
  const seconds = (performance.now() - started) / 1000;
  // Counted after the clock stops: the client's own parsing is not the server's speed.
  const body = Buffer.concat(chunks);
  const marker = Buffer.from(`--${boundary}`);
  let parts = -1;
  for (let at = body.indexOf(marker); at !== -1; at = body.indexOf(marker, at + marker.length)) parts++;
  return { seconds, bytes, parts };
}

/** NumberOfStudyRelatedInstances (0020,1208) of one study, through QIDO-RS. */
export async function studyInstanceCount(server: BenchServer, studyUid: string): Promise<number> {
  const response = await fetch(`${server.dicomwebUrl}/studies?StudyInstanceUID=${studyUid}&includefield=00201208`, { headers: { ...server.headers, accept: 'application/dicom+json' } });
  if (response.status === 204) return 0;
  if (response.status !== 200) throw new Error(`${server.name} QIDO-RS: HTTP ${response.status} ${await response.text()}`);
  const studies = (await response.json()) as Array<Record<string, { Value?: unknown[] }>>;
  return Number(studies[0]?.['00201208']?.Value?.[0] ?? 0);
}
