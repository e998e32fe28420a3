/** The landmarks of a study's finished anatomy runs in one frame of reference (fetched once per study). */
import { useEffect, useState } from 'react';
import { listStudyAnatomy } from '../../api/anatomy.ts';
import { landmarksFromAnatomy, type Landmark } from './landmarks.ts';

export function useAnatomyLandmarks(studyUid: string | undefined, frameOfReferenceUid: string | undefined): readonly Landmark[] {
  const [landmarks, setLandmarks] = useState<readonly Landmark[]>([]);
  useEffect(() => {
    if (studyUid === undefined || frameOfReferenceUid === undefined) return undefined;
    let cancelled = false;
    // No anatomy (or no right to see it) simply means no names: the images stay usable.
    listStudyAnatomy(studyUid).then((runs) => {
      if (!cancelled) setLandmarks(landmarksFromAnatomy(runs, frameOfReferenceUid));
    }, () => undefined);
    return () => {
      cancelled = true;
    };
  }, [studyUid, frameOfReferenceUid]);
  return landmarks;
}
