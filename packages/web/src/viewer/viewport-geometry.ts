/**
 * Patient directions of a cornerstone3D viewport's screen, read from the viewport itself
 * (canvas → world at the centre and one pixel right and down), so that flips, rotations and
 * reformatted planes all give the right orientation markers.
 */
import type { Types } from '@cornerstonejs/core';
import { screenMarkers, type ScreenMarkers, type Vec3 } from './orientation.ts';

export function vec(p: ArrayLike<number> | undefined): Vec3 {
  return [p?.[0] ?? 0, p?.[1] ?? 0, p?.[2] ?? 0];
}

function unitDifference(a: Vec3, b: Vec3): Vec3 {
  const d: Vec3 = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  const n = Math.hypot(d[0], d[1], d[2]) || 1;
  return [d[0] / n, d[1] / n, d[2] / n];
}

export function viewportMarkers(viewport: Pick<Types.IViewport, 'canvasToWorld'>, element: HTMLElement): ScreenMarkers {
  const cx = element.clientWidth / 2;
  const cy = element.clientHeight / 2;
  const origin = vec(viewport.canvasToWorld([cx, cy]));
  return screenMarkers(unitDifference(vec(viewport.canvasToWorld([cx + 1, cy])), origin), unitDifference(vec(viewport.canvasToWorld([cx, cy + 1])), origin));
}
