/**
 * Operating-room mode: the whole app full screen, in large type readable from two metres, with
 * touch-sized controls (styles under `.or-mode` in styles.css). Any screen toggles it with a
 * window event, so the viewer's O key and the header's button share one switch held by App.
 */
export const OR_MODE_EVENT = 'keyhole:toggle-or-mode';

export function toggleOrMode(): void {
  window.dispatchEvent(new Event(OR_MODE_EVENT));
}

/** Full screen where the browser allows it (a headless or embedded browser may refuse: the large type still applies). */
export async function setFullScreen(on: boolean): Promise<void> {
  try {
    if (on && document.fullscreenElement === null) await document.documentElement.requestFullscreen();
    else if (!on && document.fullscreenElement !== null) await document.exitFullscreen();
  } catch {
    // refused (no user gesture, or not allowed here): large type without full screen
  }
}
