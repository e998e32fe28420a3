import { useCallback, useEffect, useRef, useState } from 'react';
import { cache, Enums as CoreEnums, setVolumesForViewports, volumeLoader, type Types } from '@cornerstonejs/core';
import { addTool, Enums as ToolsEnums, OrientationMarkerTool, PanTool, ToolGroupManager, TrackballRotateTool, ZoomTool } from '@cornerstonejs/tools';
import { describeError } from '../api/client.ts';
import { personName, text, TAG } from '../api/dicom-json.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { navigate, viewerPath } from '../router.ts';
import { existingRenderingEngine, renderingEngine, startCornerstone } from './cornerstone-setup.ts';
import { rotateCamera } from './oblique.ts';
import type { ScreenMarkers } from './orientation.ts';
import { loadSeries } from './series-loader.ts';
import { exposeVolume3d, type Volume3dState } from './test-state.ts';
import { ensureVolumeLoader, STREAMING_VOLUME_SCHEME, volumeLoaded } from './volume-loader.ts';
import { DEFAULT_VOLUME_PRESET, ROTATE_STEP_DEG, VOLUME_PRESETS, type VolumePresetName } from './volume-presets.ts';
import { vec, viewportMarkers } from './viewport-geometry.ts';

const VIEWPORT_ID = 'volume-3d';
const TOOL_GROUP_ID = 'keyhole-3d-tools';
const NO_MARKERS: ScreenMarkers = { left: '', right: '', top: '', bottom: '' };
let toolsAdded = false;

/**
 * 3D volume rendering of a series (cornerstone3D VolumeViewport3D, vtk.js ray casting) with a
 * bone preset: the patient seen from the front (anterior, as a coronal image), dragged with the
 * left button to rotate (trackball), right button to zoom, middle to pan; an annotated cube in the
 * corner (L/R, A/P, S/I faces in LPS) and the patient directions at the edges follow the rotation.
 * Reset brings back the frontal view.
 */
export function VolumeViewer3D({ studyUid, seriesUid, caseId }: { readonly studyUid: string; readonly seriesUid: string; readonly caseId: number | undefined }) {
  const element = useRef<HTMLDivElement | null>(null);
  const [error, setError] = useState<unknown>();
  const [ready, setReady] = useState(false);
  const [patient, setPatient] = useState('');
  const [markers, setMarkers] = useState<ScreenMarkers>(NO_MARKERS);
  const [preset, setPreset] = useState<VolumePresetName>(DEFAULT_VOLUME_PRESET);
  const stateRef = useRef<Volume3dState>({ status: 'loading', preset: DEFAULT_VOLUME_PRESET, camera: undefined, markers: NO_MARKERS, orientationMarker: false, renderedFrames: 0, error: undefined });

  /** The frontal camera the screen opened with: what Reset returns to. */
  const initialCamera = useRef<Types.ICamera | undefined>(undefined);
  const viewport = useCallback((): Types.IVolumeViewport | undefined => existingRenderingEngine()?.getViewport(VIEWPORT_ID) as Types.IVolumeViewport | undefined, []);

  const refresh = useCallback(() => {
    const vp = viewport();
    const el = element.current;
    if (vp === undefined || el === null) return;
    const camera = vp.getCamera();
    const next = viewportMarkers(vp, el);
    setMarkers(next);
    stateRef.current = {
      ...stateRef.current,
      markers: next,
      camera: { position: vec(camera.position), focalPoint: vec(camera.focalPoint), viewUp: vec(camera.viewUp), viewPlaneNormal: vec(camera.viewPlaneNormal), parallelScale: camera.parallelScale ?? 0 },
      renderedFrames: stateRef.current.renderedFrames + 1,
    };
  }, [viewport]);

  useEffect(() => {
    let cancelled = false;
    const volumeId = `${STREAMING_VOLUME_SCHEME}:3d:${seriesUid}`;
    const listeners: Array<[HTMLElement, string, EventListener]> = [];
    (async () => {
      await startCornerstone();
      ensureVolumeLoader();
      if (!toolsAdded) {
        for (const tool of [TrackballRotateTool, OrientationMarkerTool]) addTool(tool);
        toolsAdded = true;
      }
      const series = await loadSeries(studyUid, seriesUid);
      if (cancelled) return;
      if (series.instances.length < 3) throw new Error('3D rendering needs a series of at least 3 slices');
      const first = series.instances[0]?.metadata ?? {};
      setPatient([personName(text(first, TAG.PatientName)), `ID ${text(first, TAG.PatientID)}`, `${series.modality} ${series.description}`].filter((p) => p.trim() !== '').join(' · '));
      const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds: series.instances.map((i) => i.imageId) });
      const engine = renderingEngine();
      engine.enableElement({
        viewportId: VIEWPORT_ID,
        type: CoreEnums.ViewportType.VOLUME_3D,
        element: element.current!,
        // Seen from the front, head up: the radiological frontal view (patient's right on the screen's left).
        defaultOptions: { orientation: CoreEnums.OrientationAxis.CORONAL, background: [0, 0, 0] as Types.Point3 },
      });
      await volumeLoaded(volume);
      if (cancelled) return;
      await setVolumesForViewports(engine, [{ volumeId }], [VIEWPORT_ID]);
      const vp = viewport();
      if (vp === undefined) throw new Error('the 3D viewport did not start');
      vp.setProperties({ preset: DEFAULT_VOLUME_PRESET });
      vp.resetCamera();
      initialCamera.current = vp.getCamera();
      const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID) ?? ToolGroupManager.createToolGroup(TOOL_GROUP_ID);
      if (group !== undefined) {
        for (const name of [TrackballRotateTool.toolName, PanTool.toolName, ZoomTool.toolName, OrientationMarkerTool.toolName]) if (!group.hasTool(name)) group.addTool(name);
        group.addViewport(VIEWPORT_ID, engine.id);
        group.setToolActive(TrackballRotateTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Primary }] });
        group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Auxiliary }] });
        group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Secondary }] });
        try {
          group.setToolEnabled(OrientationMarkerTool.toolName);
          stateRef.current = { ...stateRef.current, orientationMarker: true };
        } catch (e) {
          // The edge letters still name the directions; say why the cube is missing.
          console.warn('orientation cube unavailable', e);
        }
      }
      const el = element.current!;
      for (const event of [CoreEnums.Events.CAMERA_MODIFIED, CoreEnums.Events.IMAGE_RENDERED]) {
        const listener: EventListener = () => refresh();
        el.addEventListener(event, listener);
        listeners.push([el, event, listener]);
      }
      vp.render();
      setReady(true);
      stateRef.current = { ...stateRef.current, status: 'ready' };
      refresh();
    })().catch((e: unknown) => {
      if (cancelled) return;
      console.error('3D view failed', e);
      setError(e);
      stateRef.current = { ...stateRef.current, status: 'error', error: describeError(e) };
    });
    return () => {
      cancelled = true;
      for (const [el, event, listener] of listeners) el.removeEventListener(event, listener);
      ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
      try {
        existingRenderingEngine()?.disableElement(VIEWPORT_ID);
      } catch {
        // never enabled
      }
      if (cache.getVolume(volumeId) !== undefined) cache.removeVolumeLoadObject(volumeId);
    };
  }, [studyUid, seriesUid, refresh, viewport]);

  useEffect(() => {
    const observer = new ResizeObserver(() => {
      if (stateRef.current.status !== 'ready') return;
      existingRenderingEngine()?.resize(true, true);
      refresh();
    });
    if (element.current !== null) observer.observe(element.current);
    return () => observer.disconnect();
  }, [refresh]);

  const choosePreset = useCallback((name: VolumePresetName) => {
    const vp = viewport();
    if (vp === undefined) return;
    vp.setProperties({ preset: name });
    vp.render();
    setPreset(name);
    stateRef.current = { ...stateRef.current, preset: name };
  }, [viewport]);

  /** Turns the view about the screen's vertical axis (through the focal point): buttons, arrow keys, touch. */
  const rotate = useCallback((degrees: number) => {
    const vp = viewport();
    if (vp === undefined) return;
    const camera = vp.getCamera();
    const turned = rotateCamera({ viewPlaneNormal: vec(camera.viewPlaneNormal), viewUp: vec(camera.viewUp), focalPoint: vec(camera.focalPoint), position: vec(camera.position) }, vec(camera.viewUp), degrees, vec(camera.focalPoint));
    vp.setCamera({ viewPlaneNormal: [...turned.viewPlaneNormal] as Types.Point3, viewUp: [...turned.viewUp] as Types.Point3, focalPoint: [...turned.focalPoint] as Types.Point3, position: [...turned.position] as Types.Point3 });
    vp.render();
    refresh();
  }, [viewport, refresh]);

  const reset = useCallback(() => {
    const vp = viewport();
    if (vp === undefined) return;
    // Back to the frontal view the screen opened with (direction, zoom and pan).
    if (initialCamera.current !== undefined) vp.setCamera(initialCamera.current);
    else vp.resetCamera();
    vp.render();
    refresh();
  }, [viewport, refresh]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') rotate(event.key === 'ArrowRight' ? ROTATE_STEP_DEG : -ROTATE_STEP_DEG);
      else if (event.key === 'r' || event.key === 'R') reset();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rotate, reset]);

  useEffect(() => {
    exposeVolume3d({
      get state() {
        return stateRef.current;
      },
      rotate,
      reset,
    });
    return () => exposeVolume3d(undefined);
  }, [rotate, reset]);

  return (
    <main className="volume3d-screen" data-testid="volume3d-screen">
      <div className="viewer-toolbar">
        <button type="button" onClick={() => navigate(viewerPath(studyUid, seriesUid, caseId))} data-testid="back-to-stack">Stack view</button>
        <label>
          Preset{' '}
          <select value={preset} disabled={!ready} onChange={(e) => choosePreset(e.target.value as VolumePresetName)} data-testid="volume-preset">
            {VOLUME_PRESETS.map((p) => <option key={p.name} value={p.name}>{p.label}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => rotate(-ROTATE_STEP_DEG)} disabled={!ready} title="Turn left (←)" data-testid="rotate-left">⟲ {ROTATE_STEP_DEG}°</button>
        <button type="button" onClick={() => rotate(ROTATE_STEP_DEG)} disabled={!ready} title="Turn right (→)" data-testid="rotate-right">⟳ {ROTATE_STEP_DEG}°</button>
        <button type="button" onClick={reset} disabled={!ready} title="Back to the frontal view (R)" data-testid="reset-3d">Reset</button>
        <span className="mpr-patient" data-testid="volume3d-patient">{patient}</span>
      </div>
      <ErrorMessage error={error} />
      <div className="volume3d-area">
        {!ready && error === undefined && <div className="viewport-loading">Loading the volume…</div>}
        <div className="viewport-box">
          <div ref={element} className="viewport" data-testid="volume3d-viewport" onContextMenu={(e) => e.preventDefault()} />
          <div className="overlay" aria-hidden="true">
            <div className="corner top-left">3D · {VOLUME_PRESETS.find((p) => p.name === preset)?.label} · drag to rotate</div>
            <div className="marker marker-left" data-testid="marker3d-left">{markers.left}</div>
            <div className="marker marker-right" data-testid="marker3d-right">{markers.right}</div>
            <div className="marker marker-top" data-testid="marker3d-top">{markers.top}</div>
            <div className="marker marker-bottom" data-testid="marker3d-bottom">{markers.bottom}</div>
          </div>
        </div>
      </div>
    </main>
  );
}
