/**
 * cornerstone3D's streaming volume loader, registered once for the MPR and 3D screens (volumes are
 * built from the same `wadors:` image ids the stack viewer uses).
 */
import { cornerstoneStreamingImageVolumeLoader, volumeLoader } from '@cornerstonejs/core';

let registered = false;

export const STREAMING_VOLUME_SCHEME = 'cornerstoneStreamingImageVolume';

export function ensureVolumeLoader(): void {
  if (registered) return;
  volumeLoader.registerVolumeLoader(STREAMING_VOLUME_SCHEME, cornerstoneStreamingImageVolumeLoader as unknown as Parameters<typeof volumeLoader.registerVolumeLoader>[1]);
  registered = true;
}

/** Resolves once every slice of the volume is loaded. */
export function volumeLoaded(volume: unknown): Promise<void> {
  return new Promise<void>((resolve) => {
    (volume as { load: (callback: () => void) => void }).load(() => resolve());
  });
}
