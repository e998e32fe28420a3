import { describe, expect, it } from 'vitest';
import { comparePath, parseRoute, viewerPath } from './router.ts';

describe('app routes', () => {
  it('maps paths to screens, so a reload opens the same screen', () => {
    expect(parseRoute('/', '')).toEqual({ name: 'worklist' });
    expect(parseRoute('/cases/12/findings', '')).toEqual({ name: 'case', caseId: 12, tab: 'findings' });
    expect(parseRoute('/viewer/1.2.3', '?series=1.2.3.4&case=7&layout=mpr')).toEqual({ name: 'viewer', studyUid: '1.2.3', seriesUid: '1.2.3.4', caseId: 7, layout: 'mpr' });
    expect(parseRoute('/nowhere', '')).toEqual({ name: 'not-found', path: '/nowhere' });
  });
  it('builds viewer paths that parse back to the same screen', () => {
    const path = viewerPath('1.2.3', '1.2.3.4', 7, 'mpr');
    const [pathname = '', search = ''] = path.split('?');
    expect(parseRoute(pathname, `?${search}`)).toEqual({ name: 'viewer', studyUid: '1.2.3', seriesUid: '1.2.3.4', caseId: 7, layout: 'mpr' });
    expect(viewerPath('1.2.3')).toBe('/viewer/1.2.3');
    const volume = viewerPath('1.2.3', '1.2.3.4', undefined, 'volume3d');
    const [volumePath = '', volumeSearch = ''] = volume.split('?');
    expect(parseRoute(volumePath, `?${volumeSearch}`)).toEqual({ name: 'viewer', studyUid: '1.2.3', seriesUid: '1.2.3.4', caseId: undefined, layout: 'volume3d' });
  });
  it('keeps the side-by-side layout, its grid and the series of each viewport in the URL', () => {
    const panes = [{ studyUid: '1.2.3', seriesUid: '1.2.3.4' }, { studyUid: '1.2.9', seriesUid: '1.2.9.1' }];
    const path = comparePath('1.2.3', '1x3', panes, 7);
    const [pathname = '', search = ''] = path.split('?');
    expect(parseRoute(pathname, `?${search}`)).toEqual({ name: 'compare', studyUid: '1.2.3', caseId: 7, grid: '1x3', panes });
    expect(parseRoute('/viewer/1.2.3', '?layout=compare&grid=9x9')).toEqual({ name: 'compare', studyUid: '1.2.3', caseId: undefined, grid: '1x2', panes: [] });
  });
});
