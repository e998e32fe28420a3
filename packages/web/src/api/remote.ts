/** Searching and pulling from a configured PACS (packages/server/src/remote/remote-routes.ts). */
import { api } from './client.ts';

export type Via = 'dicomweb' | 'dimse';

export interface RemotePacs {
  readonly name: string;
  readonly aeTitle?: string;
  readonly via: readonly Via[];
}

export interface RemoteMatch {
  readonly studyUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly studyDate: string;
  readonly studyDescription: string;
  readonly modalities: string;
  readonly instances?: number;
}

export interface PullResult {
  readonly via: Via;
  /** DICOMweb pulls */
  readonly received?: number;
  readonly stored?: number;
  readonly duplicates?: number;
  readonly failed?: ReadonlyArray<{ readonly source: string; readonly code: string; readonly message: string }> | number;
  /** C-MOVE pulls */
  readonly completed?: number;
  readonly warnings?: number;
}

export const listRemotePacs = (): Promise<RemotePacs[]> => api<RemotePacs[]>('/api/remote');

export const searchRemote = (node: string, query: Readonly<Record<string, string>>): Promise<{ matches: RemoteMatch[] }> =>
  api<{ matches: RemoteMatch[] }>(`/api/remote/${encodeURIComponent(node)}/query`, { method: 'POST', body: { level: 'study', query } });

export const pullFromRemote = (node: string, studyUid: string): Promise<PullResult> =>
  api<PullResult>(`/api/remote/${encodeURIComponent(node)}/retrieve`, { method: 'POST', body: { studyUid } });

/** The pull's outcome in words. */
export function pullSummary(result: PullResult): string {
  if (result.via === 'dimse') return `${result.completed ?? 0} received over C-MOVE${typeof result.failed === 'number' && result.failed > 0 ? `, ${result.failed} failed` : ''}`;
  const failed = Array.isArray(result.failed) ? result.failed.length : 0;
  return [`${result.stored ?? 0} stored`, (result.duplicates ?? 0) > 0 ? `${result.duplicates} already in the archive` : '', failed > 0 ? `${failed} refused` : ''].filter((p) => p !== '').join(', ');
}
