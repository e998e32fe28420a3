/**
 * The few screens of the app as URL paths (history API), so that a reload or a shared link opens
 * the same screen; the server answers index.html for each of them (web-app plugin).
 */
import { useEffect, useState } from 'react';

/** One series as a stack, or reformatted in three planes (MPR). */
export type ViewerLayout = 'stack' | 'mpr';

export type Route =
  | { readonly name: 'worklist' }
  | { readonly name: 'case'; readonly caseId: number; readonly tab: string }
  | { readonly name: 'viewer'; readonly studyUid: string; readonly seriesUid: string | undefined; readonly caseId: number | undefined; readonly layout: ViewerLayout }
  | { readonly name: 'not-found'; readonly path: string };

export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.length === 0 || (parts[0] === 'worklist' && parts.length === 1)) return { name: 'worklist' };
  if (parts[0] === 'cases' && parts.length >= 2 && /^\d+$/.test(parts[1] ?? '')) return { name: 'case', caseId: Number(parts[1]), tab: parts[2] ?? 'images' };
  if (parts[0] === 'viewer' && parts.length === 2) {
    const caseId = query.get('case');
    return { name: 'viewer', studyUid: parts[1] ?? '', seriesUid: query.get('series') ?? undefined, caseId: caseId !== null && /^\d+$/.test(caseId) ? Number(caseId) : undefined, layout: query.get('layout') === 'mpr' ? 'mpr' : 'stack' };
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

export function viewerPath(studyUid: string, seriesUid?: string, caseId?: number, layout: ViewerLayout = 'stack'): string {
  const query = new URLSearchParams();
  if (seriesUid !== undefined) query.set('series', seriesUid);
  if (caseId !== undefined) query.set('case', String(caseId));
  if (layout === 'mpr') query.set('layout', 'mpr');
  const q = query.toString();
  return `/viewer/${studyUid}${q !== '' ? `?${q}` : ''}`;
}
