import type { Types } from '@cornerstonejs/core';
import { LandmarkLayer } from './LandmarkLayer.tsx';
import { useAnatomyLandmarks } from './use-anatomy-landmarks.ts';

/** A landmark layer fed by its own study's anatomy runs (for views whose viewports show different studies). */
export function StudyLandmarkLayer(props: { readonly studyUid: string | undefined; readonly frameOfReferenceUid: string | undefined; readonly element: HTMLDivElement | null; readonly viewport: () => Types.IViewport | undefined; readonly testId: string }) {
  const landmarks = useAnatomyLandmarks(props.studyUid, props.frameOfReferenceUid);
  return <LandmarkLayer element={props.element} viewport={props.viewport} landmarks={landmarks} testId={props.testId} />;
}
