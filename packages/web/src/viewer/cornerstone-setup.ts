/**
 * One-time start of cornerstone3D (core, tools, DICOM image loader) for the whole app.
 *
 * Images come from our own WADO-RS (`wadors:` image ids); the browser's session cookie
 * authenticates them (same origin). A bearer token, when the page was given one, is added to each
 * request by the loader's `beforeSend` hook. Decoding runs in one worker: the server already
 * sends frames decoded (explicit VR little endian), so workers mostly copy bytes.
 */
import { getRenderingEngine, init as coreInit, RenderingEngine } from '@cornerstonejs/core';
import { init as imageLoaderInit } from '@cornerstonejs/dicom-image-loader';
import { addTool, AngleTool, CobbAngleTool, EllipticalROITool, init as toolsInit, LengthTool, PanTool, RectangleROITool, ReferenceLinesTool, StackScrollTool, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';

export const RENDERING_ENGINE_ID = 'keyhole';

let started: Promise<void> | undefined;

/** A bearer token for DICOMweb requests (scripts embedding the viewer); the cookie is used otherwise. */
let bearerToken: string | undefined;
export function setBearerToken(token: string | undefined): void {
  bearerToken = token;
}

export function startCornerstone(): Promise<void> {
  started ??= (async () => {
    await coreInit();
    imageLoaderInit({
      maxWebWorkers: 1,
      beforeSend: () => (bearerToken !== undefined ? { Authorization: `Bearer ${bearerToken}` } : {}),
    });
    toolsInit();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, CobbAngleTool, EllipticalROITool, RectangleROITool, ReferenceLinesTool]) addTool(tool);
  })();
  return started;
}

/** The app's rendering engine, created on first use; only after startCornerstone() has resolved. */
export function renderingEngine(): RenderingEngine {
  if (started === undefined) throw new Error('cornerstone3D is not started: await startCornerstone() first');
  return getRenderingEngine(RENDERING_ENGINE_ID) ?? new RenderingEngine(RENDERING_ENGINE_ID);
}

/** The rendering engine if it exists (never creates one: safe before start-up, e.g. in resize handlers). */
export function existingRenderingEngine(): RenderingEngine | undefined {
  return getRenderingEngine(RENDERING_ENGINE_ID);
}
