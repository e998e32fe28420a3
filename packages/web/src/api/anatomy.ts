/** The server's spine anatomy runs (packages/server/src/anatomy/routes.ts). */
import type { LevelCount } from '@keyhole/core';
import { api } from './client.ts';

// The level count as @keyhole/core's spine model defines it (type-only: no core code in the main bundle).
export type { LevelCount, LevelCue } from '@keyhole/core';

export type AnatomyState = 'running' | 'done' | 'no-spine' | 'failed' | 'interrupted';

export interface AnatomyStatus {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly state: AnatomyState;
  readonly progress: number;
  readonly stage: string;
  readonly message: string;
  readonly levelCount?: LevelCount;
  readonly segSeriesUid?: string;
  readonly requestedBy: string;
  /** The series' frame of reference: the model's landmarks apply to every series in it. */
  readonly frameOfReferenceUid?: string;
  /** The spine model (LPS mm); only the parts the viewer draws are typed here. */
  readonly model?: {
    readonly vertebrae: ReadonlyArray<{ readonly name: string; readonly bodyCentre: readonly [number, number, number] }>;
    readonly discs: ReadonlyArray<{ readonly name: string; readonly centre: readonly [number, number, number] }>;
  };
  readonly confirmation?: { readonly by: string; readonly at: string; readonly labels: readonly string[] };
  readonly updatedAt: string;
}

const base = (studyUid: string, seriesUid: string): string => `/api/studies/${studyUid}/series/${seriesUid}/anatomy`;

export const startAnatomy = (studyUid: string, seriesUid: string): Promise<AnatomyStatus> => api<AnatomyStatus>(base(studyUid, seriesUid), { method: 'POST' });
export const getAnatomy = (studyUid: string, seriesUid: string): Promise<AnatomyStatus> => api<AnatomyStatus>(base(studyUid, seriesUid));
export const listStudyAnatomy = (studyUid: string): Promise<AnatomyStatus[]> => api<AnatomyStatus[]>(`/api/studies/${studyUid}/anatomy`);
export const confirmAnatomy = (studyUid: string, seriesUid: string, labels: readonly string[]): Promise<AnatomyStatus> =>
  api<AnatomyStatus>(`${base(studyUid, seriesUid)}/confirm`, { method: 'POST', body: { labels } });

/** Roles that may confirm a level numbering (the server's patient-data:confirm). */
export const CONFIRMING_ROLES: ReadonlySet<string> = new Set(['admin', 'surgeon', 'radiologist']);
