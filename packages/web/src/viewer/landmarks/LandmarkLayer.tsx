import { useEffect, useRef } from 'react';
import { Enums as CoreEnums, type Types } from '@cornerstonejs/core';
import { landmarksOnPlane, type Landmark, type Vec3 } from './landmarks.ts';

export interface LandmarkLayerProps {
  /** The cornerstone3D viewport element the layer covers (its events say when to redraw). */
  readonly element: HTMLDivElement | null;
  /** Any cornerstone3D viewport (stack or volume): its camera gives the plane, worldToCanvas the positions. */
  readonly viewport: () => Types.IViewport | undefined;
  readonly landmarks: readonly Landmark[];
  readonly testId: string;
}

/**
 * The names of the landmarks that lie on the plane on screen (vertebrae within their body's slab,
 * discs within theirs), drawn at their LPS position through the viewport's own worldToCanvas, so
 * zoom, pan, flips, rotations and oblique planes carry them along. Names of a numbering nobody has
 * confirmed and the cues did not verify are drawn with a question mark. The names drawn are kept in
 * the canvas's `data-names` for tests.
 */
export function LandmarkLayer({ element, viewport, landmarks, testId }: LandmarkLayerProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const target = canvas.current;
    if (element === null || target === null) return undefined;
    const draw = (): void => {
      const vp = viewport();
      const context = target.getContext('2d');
      if (context === null) return;
      const { clientWidth: width, clientHeight: height } = target;
      const scale = window.devicePixelRatio || 1;
      if (target.width !== Math.round(width * scale) || target.height !== Math.round(height * scale)) {
        target.width = Math.round(width * scale);
        target.height = Math.round(height * scale);
      }
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.clearRect(0, 0, width, height);
      if (vp === undefined || landmarks.length === 0) {
        target.dataset['names'] = '';
        return;
      }
      const camera = vp.getCamera();
      const origin = camera.focalPoint as Vec3 | undefined;
      const normal = camera.viewPlaneNormal as Vec3 | undefined;
      if (origin === undefined || normal === undefined) return;
      const shown = landmarksOnPlane(landmarks, origin, normal);
      const fontPx = Math.max(12, Math.round(Math.min(width, height) / 40));
      context.font = `600 ${fontPx}px system-ui, sans-serif`;
      context.textBaseline = 'middle';
      const names: string[] = [];
      for (const landmark of shown) {
        const [x, y] = vp.worldToCanvas([landmark.point[0], landmark.point[1], landmark.point[2]]);
        if (x < 0 || y < 0 || x > width || y > height) continue;
        const label = landmark.settled ? landmark.name : `${landmark.name}?`;
        names.push(landmark.name);
        // Vertebra names beside the body (to the right of its centre), disc names smaller, at the disc.
        const dx = landmark.kind === 'vertebra' ? fontPx * 0.6 : fontPx * 0.3;
        context.lineWidth = 3;
        context.strokeStyle = 'rgba(0,0,0,0.85)';
        context.fillStyle = landmark.kind === 'vertebra' ? '#ffd34d' : '#7fd3ff';
        context.strokeText(label, x + dx, y);
        context.fillText(label, x + dx, y);
        context.beginPath();
        context.arc(x, y, landmark.kind === 'vertebra' ? 3 : 2, 0, 2 * Math.PI);
        context.fill();
      }
      target.dataset['names'] = names.join(',');
    };
    draw();
    const events = [CoreEnums.Events.IMAGE_RENDERED, CoreEnums.Events.CAMERA_MODIFIED];
    for (const event of events) element.addEventListener(event, draw);
    return () => {
      for (const event of events) element.removeEventListener(event, draw);
    };
  }, [element, viewport, landmarks]);
  return <canvas ref={canvas} className="label-overlay landmark-overlay" data-testid={testId} aria-hidden="true" />;
}
