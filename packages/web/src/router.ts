/**
 * The few screens of the app as URL paths (history API), so that a reload or a shared link opens
 * the same screen; the server answers index.html for each of them (web-app plugin).
 */
import { useEffect, useState } from 'react';

/** One series as a stack, reformatted in three planes (MPR), rendered in 3D, or several series side by side (compare). */
export type ViewerLayout = 'stack' | 'mpr' | 'volume3d' | 'compare';

/** Grids of the side-by-side (compare) layout: rows × columns. */
export const COMPARE_GRIDS = ['1x2', '1x3', '2x2'] as const;
export type CompareGrid = (typeof COMPARE_GRIDS)[number];

/** One viewport of the compare layout: a series, possibly of another study of the same patient. */
export interface PaneSeries {
  readonly studyUid: string;
  readonly seriesUid: string;
}

export type Route =
  | { readonly name: 'worklist' }
  | { readonly name: 'case'; readonly caseId: number; readonly tab: string }
  | { readonly name: 'viewer'; readonly studyUid: string; readonly seriesUid: string | undefined; readonly caseId: number | undefined; readonly layout: ViewerLayout }
  | { readonly name: 'compare'; readonly studyUid: string; readonly caseId: number | undefined; readonly grid: CompareGrid; readonly panes: PaneSeries[] }
  | { readonly name: 'not-found'; readonly path: string };

export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.length === 0 || (parts[0] === 'worklist' && parts.length === 1)) return { name: 'worklist' };
  if (parts[0] === 'cases' && parts.length >= 2 && /^\d+$/.test(parts[1] ?? '')) return { name: 'case', caseId: Number(parts[1]), tab: parts[2] ?? 'images' };
  if (parts[0] === 'viewer' && parts.length === 2) {
    const caseId = query.get('case');
    if (query.get('layout') === 'compare') {
      const grid = COMPARE_GRIDS.find((g) => g === query.get('grid')) ?? '1x2';
      // panes=study:series,study:series (UIDs hold only digits and dots); an empty slot is ':'.
      const panes = (query.get('panes') ?? '').split(',').filter((p) => p !== '').map((p) => {
        const [studyUid = '', seriesUid = ''] = p.split(':');
        return { studyUid, seriesUid };
      });
      return { name: 'compare', studyUid: parts[1] ?? '', caseId: caseId !== null && /^\d+$/.test(caseId) ? Number(caseId) : undefined, grid, panes };
    }
    return { name: 'viewer', studyUid: parts[1] ?? '', seriesUid: query.get('series') ?? undefined, caseId: caseId !== null && /^\d+$/.test(caseId) ? Number(caseId) : undefined, layout: query.get('layout') === 'mpr' ? 'mpr' : query.get('layout') === 'volume3d' ? 'volume3d' : 'stack' };
  }
  return { name: 'not-found', path: pathname };
}

export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname, window.location.search));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.pathname, window.location.search));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** The side-by-side layout of `studyUid` (the study it was opened from) with one series per viewport. */
export function comparePath(studyUid: string, grid: CompareGrid, panes: readonly PaneSeries[], caseId?: number): string {
  const query = new URLSearchParams();
  query.set('layout', 'compare');
  query.set('grid', grid);
  query.set('panes', panes.map((p) => `${p.studyUid}:${p.seriesUid}`).join(','));
  if (caseId !== undefined) query.set('case', String(caseId));
  return `/viewer/${studyUid}?${query.toString()}`;
}

export function viewerPath(studyUid: string, seriesUid?: string, caseId?: number, layout: ViewerLayout = 'stack'): string {
  const query = new URLSearchParams();
  if (seriesUid !== undefined) query.set('series', seriesUid);
  if (caseId !== undefined) query.set('case', String(caseId));
  if (layout !== 'stack') query.set('layout', layout);
  const q = query.toString();
  return `/viewer/${studyUid}${q !== '' ? `?${q}` : ''}`;
}
