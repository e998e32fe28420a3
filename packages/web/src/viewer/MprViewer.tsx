import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LandmarkLayer } from './landmarks/LandmarkLayer.tsx';
import { useAnatomyLandmarks } from './landmarks/use-anatomy-landmarks.ts';
import { cache, Enums as CoreEnums, setVolumesForViewports, volumeLoader, type Types } from '@cornerstonejs/core';
import { CrosshairsTool, Enums as ToolsEnums, PanTool, StackScrollTool, ToolGroupManager, ZoomTool, addTool } from '@cornerstonejs/tools';
import { describeError } from '../api/client.ts';
import { personName, text, TAG } from '../api/dicom-json.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { navigate, viewerPath } from '../router.ts';
import { existingRenderingEngine, renderingEngine, startCornerstone } from './cornerstone-setup.ts';
import type { ScreenMarkers, Vec3 } from './orientation.ts';
import { loadSeries } from './series-loader.ts';
import { exposeMpr, type MprState, type MprViewState } from './test-state.ts';
import { vec, viewportMarkers } from './viewport-geometry.ts';
import { rotateCamera } from './oblique.ts';
import { ensureVolumeLoader, volumeLoaded } from './volume-loader.ts';

/** Degrees the axes turn per click or [ / ] key press. */
const TILT_STEP_DEG = 5;

const TOOL_GROUP_ID = 'keyhole-mpr-tools';
const VIEWS = [
  { id: 'mpr-axial', label: 'Axial', orientation: CoreEnums.OrientationAxis.AXIAL },
  { id: 'mpr-sagittal', label: 'Sagittal', orientation: CoreEnums.OrientationAxis.SAGITTAL },
  { id: 'mpr-coronal', label: 'Coronal', orientation: CoreEnums.OrientationAxis.CORONAL },
] as const;

const NO_MARKERS: ScreenMarkers = { left: '', right: '', top: '', bottom: '' };
let crosshairsAdded = false;

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/**
 * Multiplanar reformats of one series: axial, sagittal and coronal planes through the volume
 * (cornerstone3D orthographic volume viewports), linked by crosshairs — a click or drag in one
 * view moves the planes of the other two through that point. The wheel moves through the planes
 * of the view under the cursor; the middle button pans, the right zooms.
 */
export function MprViewer({ studyUid, seriesUid, caseId }: { readonly studyUid: string; readonly seriesUid: string; readonly caseId: number | undefined }) {
  const elements = useRef<Array<HTMLDivElement | null>>([]);
  const [error, setError] = useState<unknown>();
  const [ready, setReady] = useState(false);
  const [patient, setPatient] = useState('');
  const [frameOfReferenceUid, setFrameOfReferenceUid] = useState<string | undefined>();
  // Vertebra and disc names of the study's spine model, on each of the three planes.
  const landmarks = useAnatomyLandmarks(studyUid, frameOfReferenceUid);
  // One getter per view for the whole life of the screen: the landmark layers re-attach their listeners when it changes.
  const viewportGetters = useMemo(() => VIEWS.map((view) => () => existingRenderingEngine()?.getViewport(view.id)), []);
  const [views, setViews] = useState<MprViewState[]>([]);
  const stateRef = useRef<MprState>({ status: 'loading', crosshairLps: undefined, views: [], error: undefined, obliqueDeg: 0 });
  const [obliqueDeg, setObliqueDeg] = useState(0);
  const obliqueRef = useRef(0);

  const toolCenter = useCallback((): Vec3 | undefined => {
    const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    const tool = group?.getToolInstance(CrosshairsTool.toolName) as { toolCenter?: Types.Point3 } | undefined;
    return tool?.toolCenter !== undefined ? vec(tool.toolCenter) : undefined;
  }, []);

  // What each view shows, and where the crosshair point lies in it.
  const refresh = useCallback(() => {
    const engine = existingRenderingEngine();
    if (engine === undefined) return;
    const center = toolCenter();
    const next: MprViewState[] = [];
    VIEWS.forEach((view, index) => {
      const element = elements.current[index];
      const viewport = engine.getViewport(view.id) as Types.IVolumeViewport | undefined;
      if (element === null || element === undefined || viewport === undefined) return;
      const camera = viewport.getCamera();
      const normal = vec(camera.viewPlaneNormal);
      const focal = vec(camera.focalPoint);
      const crosshairCanvas = center !== undefined ? (viewport.worldToCanvas([...center] as Types.Point3) as [number, number]) : undefined;
      next.push({
        id: view.id,
        orientation: view.orientation,
        focalPoint: focal,
        viewPlaneNormal: normal,
        viewUp: vec(camera.viewUp),
        markers: viewportMarkers(viewport, element),
        crosshairCanvas: crosshairCanvas !== undefined ? [crosshairCanvas[0], crosshairCanvas[1]] : undefined,
        crosshairFromCanvas: crosshairCanvas !== undefined ? vec(viewport.canvasToWorld(crosshairCanvas)) : undefined,
        // Distance (mm) from the crosshair point to the plane shown: 0 when the views are linked.
        crosshairPlaneDistance: center !== undefined ? dot([center[0] - focal[0], center[1] - focal[1], center[2] - focal[2]], normal) : undefined,
      });
    });
    setViews(next);
    stateRef.current = { ...stateRef.current, crosshairLps: center, views: next };
  }, [toolCenter]);

  useEffect(() => {
    let cancelled = false;
    const volumeId = `cornerstoneStreamingImageVolume:${seriesUid}`;
    const listeners: Array<[HTMLElement, string, EventListener]> = [];
    (async () => {
      await startCornerstone();
      ensureVolumeLoader();
      if (!crosshairsAdded) {
        addTool(CrosshairsTool);
        crosshairsAdded = true;
      }
      const series = await loadSeries(studyUid, seriesUid);
      if (cancelled) return;
      const first = series.instances[0]?.metadata ?? {};
      setFrameOfReferenceUid(series.frameOfReferenceUid === '' ? undefined : series.frameOfReferenceUid);
      setPatient([personName(text(first, TAG.PatientName)), `ID ${text(first, TAG.PatientID)}`, `${series.modality} ${series.description}`].filter((p) => p.trim() !== '').join(' · '));
      const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds: series.instances.map((i) => i.imageId) });
      const engine = renderingEngine();
      engine.setViewports(VIEWS.map((view, index) => ({
        viewportId: view.id,
        type: CoreEnums.ViewportType.ORTHOGRAPHIC,
        element: elements.current[index]!,
        defaultOptions: { orientation: view.orientation, background: [0, 0, 0] as Types.Point3 },
      })));
      const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID) ?? ToolGroupManager.createToolGroup(TOOL_GROUP_ID);
      if (group !== undefined) {
        for (const name of [CrosshairsTool.toolName, PanTool.toolName, ZoomTool.toolName, StackScrollTool.toolName]) if (!group.hasTool(name)) group.addTool(name);
        for (const view of VIEWS) group.addViewport(view.id, engine.id);
        group.setToolActive(CrosshairsTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Primary }] });
        group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Auxiliary }] });
        group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Secondary }] });
        group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Wheel }] });
      }
      // Render once every slice is in: the crosshair tool centres on the loaded volume.
      await volumeLoaded(volume);
      if (cancelled) return;
      await setVolumesForViewports(engine, [{ volumeId }], VIEWS.map((v) => v.id));
      engine.renderViewports(VIEWS.map((v) => v.id));
      for (const element of elements.current) {
        if (element === null) continue;
        for (const event of [CoreEnums.Events.CAMERA_MODIFIED, CoreEnums.Events.IMAGE_RENDERED]) {
          const listener: EventListener = () => refresh();
          element.addEventListener(event, listener);
          listeners.push([element, event, listener]);
        }
      }
      setReady(true);
      stateRef.current = { ...stateRef.current, status: 'ready' };
      refresh();
    })().catch((e: unknown) => {
      if (cancelled) return;
      console.error('MPR failed', e);
      setError(e);
      stateRef.current = { ...stateRef.current, status: 'error', error: describeError(e) };
    });
    return () => {
      cancelled = true;
      for (const [element, event, listener] of listeners) element.removeEventListener(event, listener);
      ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
      for (const view of VIEWS) {
        try {
          existingRenderingEngine()?.disableElement(view.id);
        } catch {
          // never enabled
        }
      }
      // Free the volume's memory; it may not exist yet when the screen closes while loading.
      if (cache.getVolume(volumeId) !== undefined) cache.removeVolumeLoadObject(volumeId);
    };
  }, [studyUid, seriesUid, refresh]);

  // Keep the canvases the size of their boxes (the planes stay centred on the crosshair point).
  useEffect(() => {
    const observer = new ResizeObserver(() => {
      if (stateRef.current.status !== 'ready') return;
      existingRenderingEngine()?.resize(true, true);
      refresh();
    });
    for (const element of elements.current) if (element !== null) observer.observe(element);
    return () => observer.disconnect();
  }, [refresh]);

  /**
   * Axial-oblique: the sagittal and coronal planes turn about the axial view's normal through the
   * crosshair point (the crosshair lines in the axial view turn with them). The crosshair's own
   * rotation handles (drag the line ends) turn them by mouse or touch too.
   */
  const tilt = useCallback((degrees: number) => {
    const engine = existingRenderingEngine();
    const center = toolCenter();
    if (engine === undefined || center === undefined || stateRef.current.status !== 'ready') return;
    const axial = engine.getViewport('mpr-axial') as Types.IVolumeViewport | undefined;
    if (axial === undefined) return;
    const axis = vec(axial.getCamera().viewPlaneNormal);
    for (const id of ['mpr-sagittal', 'mpr-coronal']) {
      const viewport = engine.getViewport(id) as Types.IVolumeViewport | undefined;
      if (viewport === undefined) continue;
      const camera = viewport.getCamera();
      const turned = rotateCamera({ viewPlaneNormal: vec(camera.viewPlaneNormal), viewUp: vec(camera.viewUp), focalPoint: vec(camera.focalPoint), position: vec(camera.position) }, axis, degrees, center);
      viewport.setCamera({ viewPlaneNormal: [...turned.viewPlaneNormal] as Types.Point3, viewUp: [...turned.viewUp] as Types.Point3, focalPoint: [...turned.focalPoint] as Types.Point3, position: [...turned.position] as Types.Point3 });
      viewport.render();
    }
    obliqueRef.current = Math.round((obliqueRef.current + degrees) * 1e6) / 1e6;
    setObliqueDeg(obliqueRef.current);
    stateRef.current = { ...stateRef.current, obliqueDeg: obliqueRef.current };
    refresh();
  }, [toolCenter, refresh]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.target instanceof HTMLInputElement) return;
      if (event.key === '[' || event.key === ']') tilt(event.key === ']' ? TILT_STEP_DEG : -TILT_STEP_DEG);
      else if (event.key === '\\') tilt(-obliqueRef.current);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tilt]);

  useEffect(() => {
    exposeMpr({
      get state() {
        return stateRef.current;
      },
      setCrosshair: (point) => {
        const tool = ToolGroupManager.getToolGroup(TOOL_GROUP_ID)?.getToolInstance(CrosshairsTool.toolName) as { setToolCenter?: (p: Types.Point3) => void } | undefined;
        tool?.setToolCenter?.([...point] as Types.Point3);
        refresh();
      },
      tilt,
    });
    return () => exposeMpr(undefined);
  }, [refresh, tilt]);

  return (
    <main className="mpr-screen" data-testid="mpr-screen">
      <div className="viewer-toolbar">
        <button type="button" onClick={() => navigate(viewerPath(studyUid, seriesUid, caseId))} data-testid="back-to-stack">Stack view</button>
        <button type="button" onClick={() => tilt(-TILT_STEP_DEG)} disabled={!ready} title="Turn the sagittal and coronal planes about the axial normal ([)" data-testid="tilt-minus">Tilt −{TILT_STEP_DEG}°</button>
        <button type="button" onClick={() => tilt(TILT_STEP_DEG)} disabled={!ready} title="Turn the sagittal and coronal planes about the axial normal (])" data-testid="tilt-plus">Tilt +{TILT_STEP_DEG}°</button>
        <button type="button" onClick={() => tilt(-obliqueRef.current)} disabled={!ready || obliqueDeg === 0} title="Back to the orthogonal planes (backslash key)" data-testid="tilt-reset">Orthogonal</button>
        <span className="mpr-crosshair" data-testid="mpr-oblique">{obliqueDeg !== 0 ? `Axial-oblique ${obliqueDeg > 0 ? '+' : ''}${obliqueDeg}°` : ''}</span>
        <span className="mpr-patient" data-testid="mpr-patient">{patient}</span>
        {stateRef.current.crosshairLps !== undefined && <span className="mpr-crosshair" data-testid="mpr-crosshair">Crosshair LPS {stateRef.current.crosshairLps.map((v) => v.toFixed(1)).join(', ')} mm</span>}
      </div>
      <ErrorMessage error={error} />
      <div className="mpr-grid">
        {!ready && error === undefined && <div className="viewport-loading">Loading the volume…</div>}
        {VIEWS.map((view, index) => {
          const markers = views.find((v) => v.id === view.id)?.markers ?? NO_MARKERS;
          return (
            <div key={view.id} className="viewport-box">
              <div ref={(el) => { elements.current[index] = el; }} className="viewport" data-testid={view.id} onContextMenu={(e) => e.preventDefault()} />
              <LandmarkLayer element={ready ? (elements.current[index] ?? null) : null} viewport={viewportGetters[index]!} landmarks={landmarks} testId={`${view.id}-landmarks`} />
              <div className="overlay" aria-hidden="true">
                <div className="corner top-left">{view.label}{view.id !== 'mpr-axial' && obliqueDeg !== 0 ? ` (oblique ${obliqueDeg}°)` : ''}</div>
                <div className="marker marker-left">{markers.left}</div>
                <div className="marker marker-right">{markers.right}</div>
                <div className="marker marker-top">{markers.top}</div>
                <div className="marker marker-bottom">{markers.bottom}</div>
              </div>
            </div>
          );
        })}
      </div>
    </main>
  );
}
