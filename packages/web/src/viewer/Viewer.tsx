import { useCallback, useEffect, useRef, useState } from 'react';
import { Enums as CoreEnums, utilities, type StackViewport, type Types } from '@cornerstonejs/core';
import { annotation as csAnnotation, AngleTool, CobbAngleTool, EllipticalROITool, Enums as ToolsEnums, LengthTool, PanTool, RectangleROITool, StackScrollTool, ToolGroupManager, utilities as toolsUtilities, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { findStudy, isImageSeries, listSeries, type SeriesSummary } from '../api/archive.ts';
import { describeError } from '../api/client.ts';
import { dicomDate, personName, text, TAG } from '../api/dicom-json.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { comparePath, navigate, viewerPath } from '../router.ts';
import { AnnotationSync, type Measurement } from './annotation-sync.ts';
import { existingRenderingEngine, renderingEngine, startCornerstone } from './cornerstone-setup.ts';
import type { ScreenMarkers, Vec3 } from './orientation.ts';
import { vec, viewportMarkers } from './viewport-geometry.ts';
import { DEFAULT_PRESETS, presetRange, windowFromRange, type WindowPreset } from './presets.ts';
import { loadSeries, type LoadedSeries } from './series-loader.ts';
import { exposeViewer, type ViewerState } from './test-state.ts';
import { describeMeasurement } from './measurement-text.ts';
import { DEFAULT_CINE_RATE, shortcutFor, stepCineRate, CINE_RATES } from './shortcuts.ts';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { toggleOrMode } from '../components/or-mode.ts';
import { useLabelOverlay } from './labels/use-label-overlay.ts';
import { LabelPanel } from './labels/LabelPanel.tsx';
import { LandmarkLayer } from './landmarks/LandmarkLayer.tsx';
import { useAnatomyLandmarks } from './landmarks/use-anatomy-landmarks.ts';

const VIEWPORT_ID = 'keyhole-stack';
const TOOL_GROUP_ID = 'keyhole-stack-tools';

/** Tools the left mouse button can take; the middle button pans, the right zooms, the wheel scrolls. */
export const PRIMARY_TOOLS = [
  { id: 'window', label: 'Window', toolName: WindowLevelTool.toolName, key: 'w' },
  { id: 'pan', label: 'Pan', toolName: PanTool.toolName, key: 'p' },
  { id: 'zoom', label: 'Zoom', toolName: ZoomTool.toolName, key: 'z' },
  { id: 'length', label: 'Length', toolName: LengthTool.toolName, key: 'l' },
  { id: 'angle', label: 'Angle', toolName: AngleTool.toolName, key: 'a' },
  { id: 'cobb', label: 'Cobb', toolName: CobbAngleTool.toolName, key: 'b' },
  { id: 'ellipse', label: 'Ellipse ROI', toolName: EllipticalROITool.toolName, key: 'e' },
  { id: 'rectangle', label: 'Rect ROI', toolName: RectangleROITool.toolName, key: 'g' },
] as const;
type PrimaryToolId = (typeof PRIMARY_TOOLS)[number]['id'];

/** Tools kept in the operating-room toolbar (reading, not drawing). */
const READING_TOOLS: ReadonlySet<string> = new Set(['window', 'pan', 'zoom']);

const NO_MARKERS: ScreenMarkers = { left: '', right: '', top: '', bottom: '' };

function setPrimaryTool(toolGroup: ReturnType<typeof ToolGroupManager.createToolGroup>, primary: PrimaryToolId): void {
  if (toolGroup === undefined) return;
  const { MouseBindings } = ToolsEnums;
  for (const tool of PRIMARY_TOOLS) {
    const bindings: Array<{ mouseButton: number }> = [];
    if (tool.id === primary) bindings.push({ mouseButton: MouseBindings.Primary });
    if (tool.id === 'pan') bindings.push({ mouseButton: MouseBindings.Auxiliary });
    if (tool.id === 'zoom') bindings.push({ mouseButton: MouseBindings.Secondary });
    // Passive measurement tools keep their handles draggable while another tool has the button.
    if (bindings.length > 0) toolGroup.setToolActive(tool.toolName, { bindings });
    else toolGroup.setToolPassive(tool.toolName);
  }
}

/**
 * The image viewer (cornerstone3D stack viewport) on one series: scroll (wheel, arrows, Page
 * Up/Down), cine, window/level (drag, presets), invert, zoom, pan, flip/rotate, length, angle,
 * Cobb angle and ROI (ellipse, rectangle, with statistics) measurements kept in the archive,
 * patient/study overlays, orientation markers and the LPS point under the cursor. Keyboard
 * shortcuts as PACS users expect (shortcuts.ts; press ? for the list).
 */
export function Viewer({ studyUid, seriesUid, caseId }: { readonly studyUid: string; readonly seriesUid: string | undefined; readonly caseId: number | undefined }) {
  const element = useRef<HTMLDivElement>(null);
  const opened = useRef(performance.now());
  const [seriesList, setSeriesList] = useState<SeriesSummary[]>([]);
  const [series, setSeries] = useState<LoadedSeries>();
  // The loaded series for callbacks that must not be re-created when it changes (the load effect depends on them).
  const seriesRef = useRef<LoadedSeries>(undefined);
  const [error, setError] = useState<unknown>();
  const [saveError, setSaveError] = useState<unknown>();
  const [tool, setTool] = useState<PrimaryToolId>('window');
  const [measurements, setMeasurements] = useState<Measurement[]>([]);
  const [view, setView] = useState({ imageIndex: 0, imageCount: 0, windowWidth: 0, windowCenter: 0, markers: NO_MARKERS });
  const [cursor, setCursor] = useState<{ lps: Vec3; value: number | undefined; structure: string | undefined }>();
  const [cine, setCine] = useState<{ playing: boolean; fps: number }>({ playing: false, fps: DEFAULT_CINE_RATE });
  const [help, setHelp] = useState(false);
  const syncRef = useRef<AnnotationSync | undefined>(undefined);
  const labelCanvas = useRef<HTMLCanvasElement>(null);
  const stateRef = useRef<ViewerState>({
    status: 'loading', studyUid, seriesUid: seriesUid ?? '', imageIndex: 0, imageCount: 0, imageId: '', sopInstanceUid: '', windowWidth: 0, windowCenter: 0, camera: undefined,
    markers: NO_MARKERS, cursorLps: undefined, cursorValue: undefined, measurements: [], activeTool: 'window', renderedFrames: 0, firstImageMs: undefined, error: undefined,
    invert: false, flipHorizontal: false, flipVertical: false, rotation: 0, cine: { playing: false, fps: DEFAULT_CINE_RATE },
  });
  const patch = useCallback((change: Partial<ViewerState>) => {
    stateRef.current = { ...stateRef.current, ...change };
  }, []);

  const viewport = useCallback((): StackViewport | undefined => {
    try {
      return existingRenderingEngine()?.getViewport(VIEWPORT_ID) as StackViewport | undefined;
    } catch {
      return undefined;
    }
  }, []);

  const labels = useLabelOverlay({ series, viewport, canvas: labelCanvas });
  // Vertebra and disc names of the study's spine model, on whatever slice is on screen.
  const landmarks = useAnatomyLandmarks(studyUid, series?.frameOfReferenceUid === '' ? undefined : series?.frameOfReferenceUid);
  const labelsRef = useRef(labels);
  labelsRef.current = labels;
  patch({ labels: { status: labels.state.status, segmentationSeriesUid: labels.state.segmentation?.seriesUid, shown: labels.state.shown, structures: labels.state.structures, problems: labels.state.problems.map((p) => p.message) } });

  // The series of the study; without a series in the URL, the one with the most images.
  useEffect(() => {
    let cancelled = false;
    listSeries(studyUid)
      .then((all) => {
        // Segmentations and reports are not stacks: they show over their series (label panel) instead.
        const list = all.filter(isImageSeries);
        if (cancelled) return;
        setSeriesList(list);
        if (list.length === 0) {
          // QIDO answers an empty list for a study that does not exist (or that the user may not see).
          return findStudy(studyUid).then((study) => {
            const problem = new Error(study === undefined ? `Not found: no study ${studyUid} in the archive, or you are not allowed to see it.` : 'this study holds no image series');
            setError(problem);
            patch({ status: 'error', error: problem.message });
          });
        }
        if (seriesUid === undefined) {
          const best = [...list].sort((a, b) => b.instanceCount - a.instanceCount)[0];
          if (best !== undefined) navigate(viewerPath(studyUid, best.seriesUid, caseId));
        }
        return undefined;
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e);
        patch({ status: 'error', error: describeError(e) });
      });
    return () => {
      cancelled = true;
    };
  }, [studyUid, seriesUid, caseId, patch]);

  // Refresh of the overlays from the viewport (after scroll, window, camera changes).
  const refresh = useCallback(() => {
    const vp = viewport();
    const el = element.current;
    if (vp === undefined || el === null) return;
    const imageIds = vp.getImageIds();
    const index = vp.getCurrentImageIdIndex();
    const voi = vp.getProperties().voiRange;
    const { windowWidth, windowCenter } = voi !== undefined && voi !== null ? windowFromRange(voi) : { windowWidth: 0, windowCenter: 0 };
    const markers = viewportMarkers(vp, el);
    const camera = vp.getCamera();
    const imageId = imageIds[index] ?? '';
    const presentation = { invert: vp.getProperties().invert === true, flipHorizontal: camera.flipHorizontal === true, flipVertical: camera.flipVertical === true, rotation: vp.getViewPresentation().rotation ?? 0 };
    // Only a change re-renders the overlays (refresh also runs on every rendered frame).
    setView((old) => (old.imageIndex === index && old.imageCount === imageIds.length && old.windowWidth === windowWidth && old.windowCenter === windowCenter && JSON.stringify(old.markers) === JSON.stringify(markers) ? old : { imageIndex: index, imageCount: imageIds.length, windowWidth, windowCenter, markers }));
    patch({
      imageIndex: index, imageCount: imageIds.length, imageId, windowWidth, windowCenter, markers, ...presentation,
      sopInstanceUid: seriesRef.current?.instances[index]?.sopInstanceUid ?? '',
      camera: { position: vec(camera.position), focalPoint: vec(camera.focalPoint), viewUp: vec(camera.viewUp), viewPlaneNormal: vec(camera.viewPlaneNormal), parallelScale: camera.parallelScale ?? 0 },
    });
  }, [viewport, patch]);

  // Load the series into a stack viewport, with its tools and its saved measurements.
  useEffect(() => {
    if (seriesUid === undefined || element.current === null) return;
    const el = element.current;
    let cancelled = false;
    let sync: AnnotationSync | undefined;
    // Frames drawn before the stack is set (an empty viewport) do not count as the first image.
    let stackSet = false;
    const onRendered = (): void => {
      if (!stackSet) return;
      // The camera of a new stack is set without a CAMERA_MODIFIED event: read it after each frame.
      refresh();
      sync?.fillStats();
      labelsRef.current.draw();
      const s = stateRef.current;
      patch({ renderedFrames: s.renderedFrames + 1, ...(s.firstImageMs === undefined ? { firstImageMs: performance.now() - opened.current, status: 'ready' as const } : {}) });
    };
    const onChange = (): void => refresh();
    patch({ status: 'loading', seriesUid, studyUid });
    (async () => {
      await startCornerstone();
      const loaded = await loadSeries(studyUid, seriesUid);
      if (cancelled) return;
      if (loaded.instances.length === 0) throw new Error('this series holds no image');
      seriesRef.current = loaded;
      setSeries(loaded);
      const engine = renderingEngine();
      engine.enableElement({ viewportId: VIEWPORT_ID, type: CoreEnums.ViewportType.STACK, element: el, defaultOptions: { background: [0, 0, 0] as Types.Point3 } });
      const vp = engine.getViewport(VIEWPORT_ID) as StackViewport;
      el.addEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
      for (const event of [CoreEnums.Events.STACK_NEW_IMAGE, CoreEnums.Events.VOI_MODIFIED, CoreEnums.Events.CAMERA_MODIFIED]) el.addEventListener(event, onChange);
      const toolGroup = ToolGroupManager.getToolGroup(TOOL_GROUP_ID) ?? ToolGroupManager.createToolGroup(TOOL_GROUP_ID);
      if (toolGroup !== undefined) {
        for (const t of [...PRIMARY_TOOLS.map((p) => p.toolName), StackScrollTool.toolName]) if (!toolGroup.hasTool(t)) toolGroup.addTool(t);
        toolGroup.addViewport(VIEWPORT_ID, engine.id);
        toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Wheel }] });
        setPrimaryTool(toolGroup, 'window');
      }
      await vp.setStack(loaded.instances.map((i) => i.imageId), Math.floor(loaded.instances.length / 2));
      if (cancelled) return;
      stackSet = true;
      vp.render();
      sync = new AnnotationSync({
        studyUid, series: loaded, caseId, element: el,
        onChange: (list) => {
          setMeasurements(list);
          patch({ measurements: list });
        },
        onError: setSaveError,
        render: () => viewport()?.render(),
      });
      syncRef.current = sync;
      await sync.start();
      vp.render();
    })().catch((e: unknown) => {
      if (cancelled) return;
      console.error('the viewer failed to open the series', e);
      setError(e);
      patch({ status: 'error', error: describeError(e) });
    });
    return () => {
      cancelled = true;
      sync?.stop();
      syncRef.current = undefined;
      try {
        toolsUtilities.cine.stopClip(el);
      } catch {
        // no clip
      }
      el.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
      for (const event of [CoreEnums.Events.STACK_NEW_IMAGE, CoreEnums.Events.VOI_MODIFIED, CoreEnums.Events.CAMERA_MODIFIED]) el.removeEventListener(event, onChange);
      csAnnotation.state.removeAllAnnotations();
      ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
      try {
        existingRenderingEngine()?.disableElement(VIEWPORT_ID);
      } catch {
        // not enabled yet
      }
    };
  }, [studyUid, seriesUid, caseId, patch, refresh, viewport]);

  useEffect(() => {
    if (series !== undefined) refresh();
  }, [series, refresh]);

  // Keep the canvas the size of its box.
  useEffect(() => {
    const el = element.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => {
      try {
        existingRenderingEngine()?.resize(true, false);
        refresh();
      } catch {
        // not enabled yet
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [refresh]);

  const choose = useCallback((id: PrimaryToolId) => {
    setTool(id);
    patch({ activeTool: id });
    setPrimaryTool(ToolGroupManager.getToolGroup(TOOL_GROUP_ID), id);
  }, [patch]);

  const applyPreset = useCallback((preset: WindowPreset) => {
    const vp = viewport();
    if (vp === undefined) return;
    const image = vp.getCornerstoneImage();
    const pixels = image.getPixelData();
    const scaled = image.preScale?.scaled === true;
    const slope = scaled ? 1 : (image.slope ?? 1);
    const intercept = scaled ? 0 : (image.intercept ?? 0);
    const values = preset.kind === 'percentile' ? Float64Array.from(pixels as ArrayLike<number>, (v) => v * slope + intercept) : [];
    vp.setProperties({ voiRange: presetRange(preset, values) });
    vp.render();
  }, [viewport]);

  const scrollBy = useCallback((delta: number | 'first' | 'last') => {
    const vp = viewport();
    if (vp === undefined) return;
    const last = vp.getImageIds().length - 1;
    const next = delta === 'first' ? 0 : delta === 'last' ? last : Math.min(last, Math.max(0, vp.getCurrentImageIdIndex() + delta));
    void vp.setImageIdIndex(next);
  }, [viewport]);

  // Cine: cornerstone3D's playClip steps the stack at the chosen rate, looping.
  const cineRef = useRef(cine);
  const playCine = useCallback((next: { playing: boolean; fps: number }) => {
    const el = element.current;
    cineRef.current = next;
    setCine(next);
    patch({ cine: next });
    if (el === null || viewport() === undefined) return;
    if (next.playing) toolsUtilities.cine.playClip(el, { framesPerSecond: next.fps, loop: true });
    else toolsUtilities.cine.stopClip(el);
  }, [viewport, patch]);
  const cineChange = useCallback((change: 'toggle' | 'faster' | 'slower') => {
    const current = cineRef.current;
    if (change === 'toggle') playCine({ ...current, playing: !current.playing });
    else playCine({ ...current, fps: stepCineRate(current.fps, change === 'faster' ? 1 : -1) });
  }, [playCine]);

  const transform = useCallback((change: 'flip' | 'flip-v' | 'invert' | 'rotate-left' | 'rotate-right' | 'reset') => {
    const vp = viewport();
    if (vp === undefined) return;
    if (change === 'reset') {
      vp.resetCamera();
      vp.resetProperties();
      // resetCamera keeps the flips of the camera: undo them too.
      vp.setCamera({ flipHorizontal: false, flipVertical: false });
      vp.setViewPresentation({ rotation: 0 });
    } else if (change === 'flip') {
      vp.setCamera({ flipHorizontal: !(vp.getCamera().flipHorizontal ?? false) });
    } else if (change === 'flip-v') {
      vp.setCamera({ flipVertical: !(vp.getCamera().flipVertical ?? false) });
    } else if (change === 'invert') {
      vp.setProperties({ invert: vp.getProperties().invert !== true });
    } else {
      const rotation = vp.getViewPresentation().rotation ?? 0;
      vp.setViewPresentation({ rotation: (rotation + (change === 'rotate-right' ? 90 : 270)) % 360 });
    }
    vp.render();
    refresh();
  }, [viewport, refresh]);

  // Keyboard shortcuts (shortcuts.ts is the table; the help overlay lists it).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
      if (event.key === 'Escape' && help) {
        setHelp(false);
        event.preventDefault();
        return;
      }
      const shortcut = shortcutFor(event);
      if (shortcut === undefined) return;
      const action = shortcut.action;
      if (action.kind === 'tool') {
        const tool = PRIMARY_TOOLS.find((t) => t.id === action.tool);
        if (tool !== undefined) choose(tool.id);
      } else if (action.kind === 'preset') {
        const preset = DEFAULT_PRESETS[action.index];
        if (preset !== undefined) applyPreset(preset);
      } else if (action.kind === 'scroll') scrollBy(action.step);
      else if (action.kind === 'view') transform(action.change === 'flip-h' ? 'flip' : action.change);
      else if (action.kind === 'cine') cineChange(action.change);
      else if (action.screen === 'help') setHelp((h) => !h);
      else if (action.screen === 'or-mode') toggleOrMode();
      else if (seriesUid !== undefined && action.screen === 'mpr') navigate(viewerPath(studyUid, seriesUid, caseId, 'mpr'));
      else if (seriesUid !== undefined && action.screen === 'compare') navigate(comparePath(studyUid, '1x2', [{ studyUid, seriesUid }], caseId));
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [choose, scrollBy, transform, applyPreset, cineChange, help, studyUid, seriesUid, caseId]);

  // LPS point and pixel value under the cursor.
  const onMouseMove = useCallback((event: React.MouseEvent<HTMLDivElement>) => {
    const vp = viewport();
    const el = element.current;
    if (vp === undefined || el === null || stateRef.current.status !== 'ready') return;
    const box = el.getBoundingClientRect();
    const lps = vec(vp.canvasToWorld([event.clientX - box.left, event.clientY - box.top]));
    let value: number | undefined;
    const imageId = vp.getCurrentImageId();
    const ij = utilities.worldToImageCoords(imageId, lps as Types.Point3);
    const image = vp.getCornerstoneImage();
    if (ij !== undefined) {
      const column = Math.floor(ij[0]);
      const row = Math.floor(ij[1]);
      if (column >= 0 && row >= 0 && column < image.columns && row < image.rows) {
        const raw = (image.getPixelData() as ArrayLike<number>)[row * image.columns + column];
        if (raw !== undefined) value = image.preScale?.scaled === true ? raw : raw * (image.slope ?? 1) + (image.intercept ?? 0);
      }
    }
    const structure = labelsRef.current.structureAt(lps);
    setCursor({ lps, value, structure });
    patch({ cursorLps: lps, cursorValue: value, cursorStructure: structure });
  }, [viewport, patch]);

  // The handle tests and the benchmark read.
  useEffect(() => {
    exposeViewer({
      get state() {
        return stateRef.current;
      },
      worldToCanvas: (point) => {
        const p = viewport()?.worldToCanvas([...point] as Types.Point3) ?? [0, 0];
        return [p[0], p[1]];
      },
      canvasToWorld: (point) => vec(viewport()?.canvasToWorld([point[0], point[1]])),
      imageToCanvas: (column, row) => {
        const vp = viewport();
        if (vp === undefined) return [0, 0];
        const world = utilities.imageToWorldCoords(vp.getCurrentImageId(), [column, row]);
        const p = world === undefined ? [0, 0] : vp.worldToCanvas(world);
        return [p[0] ?? 0, p[1] ?? 0];
      },
      scrollTo: async (index) => {
        await viewport()?.setImageIdIndex(index);
      },
    });
    return () => exposeViewer(undefined);
  }, [viewport]);

  const first = series?.instances[0]?.metadata ?? {};
  const current = series?.instances[view.imageIndex]?.metadata ?? {};
  const loading = series === undefined && error === undefined;
  return (
    <main className="viewer-screen" data-testid="viewer-screen">
      <aside className="series-panel">
        <h2>Series</h2>
        <ul>
          {seriesList.map((s) => (
            <li key={s.seriesUid}>
              <button type="button" className={s.seriesUid === seriesUid ? 'selected' : ''} onClick={() => navigate(viewerPath(studyUid, s.seriesUid, caseId))} data-testid="series-choice">
                {s.number ?? ''} {s.modality} {s.description} ({s.instanceCount})
              </button>
            </li>
          ))}
        </ul>
        <LabelPanel overlay={labels} />
        <h2>Measurements</h2>
        <ul className="measurements" data-testid="measurement-list">
          {measurements.map((m) => (
            <li key={m.uid} data-testid="measurement" data-status={m.status}>
              {describeMeasurement(m, series?.modality ?? '')} · image {m.imageIndex + 1}
              {m.status !== 'saved' && <em> ({m.status === 'saving' ? 'saving…' : 'not saved yet'})</em>}
            </li>
          ))}
          {measurements.length === 0 && <li className="empty">None. Choose a measurement tool and draw on the image.</li>}
        </ul>
      </aside>
      <section className="viewer-main">
        <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
          <button type="button" className="or-only" onClick={() => scrollBy(-1)} title="Previous image (↑)" data-testid="previous-image">▲ Prev</button>
          <button type="button" className="or-only" onClick={() => scrollBy(1)} title="Next image (↓)" data-testid="next-image">▼ Next</button>
          {PRIMARY_TOOLS.map((t) => (
            <button key={t.id} type="button" className={READING_TOOLS.has(t.id) ? '' : 'or-hide'} aria-pressed={tool === t.id} onClick={() => choose(t.id)} title={`${t.label} (${t.key.toUpperCase()})`} data-testid={`tool-${t.id}`}>
              {t.label}
            </button>
          ))}
          <span className="separator" />
          {DEFAULT_PRESETS.map((p, i) => (
            <button key={p.id} type="button" onClick={() => applyPreset(p)} title={`${p.label} (${i + 1})`} data-testid={`preset-${p.id}`}>
              {p.label}
            </button>
          ))}
          <span className="separator" />
          <button type="button" className="or-hide" onClick={() => transform('flip')} title="Flip horizontally (F)" data-testid="flip-h">Flip</button>
          <button type="button" className="or-hide" onClick={() => transform('flip-v')} title="Flip vertically (V)" data-testid="flip-v">Flip V</button>
          <button type="button" className="or-hide" onClick={() => transform('rotate-right')} title="Rotate 90° (→)" data-testid="rotate">Rotate</button>
          <button type="button" className="or-hide" onClick={() => transform('invert')} title="Invert (I)" data-testid="invert">Invert</button>
          <button type="button" onClick={() => transform('reset')} title="Reset (R)" data-testid="reset-view">Reset</button>
          <span className="separator" />
          <button type="button" aria-pressed={cine.playing} onClick={() => cineChange('toggle')} title="Cine play/pause (C)" data-testid="cine-toggle">{cine.playing ? 'Pause' : 'Cine'}</button>
          <select className="or-hide" value={cine.fps} onChange={(e) => playCine({ ...cine, fps: Number(e.target.value) })} title="Cine frame rate (+/−)" aria-label="Cine frame rate" data-testid="cine-rate">
            {CINE_RATES.map((r) => <option key={r} value={r}>{r} fps</option>)}
          </select>
          <span className="separator" />
          <button type="button" className="or-hide" disabled={seriesUid === undefined || (series?.instances.length ?? 0) < 3} onClick={() => seriesUid !== undefined && navigate(viewerPath(studyUid, seriesUid, caseId, 'mpr'))} title="Axial, sagittal and coronal reformats with linked crosshairs (M)" data-testid="open-mpr">MPR</button>
          <button type="button" className="or-hide" disabled={seriesUid === undefined || (series?.instances.length ?? 0) < 3} onClick={() => seriesUid !== undefined && navigate(viewerPath(studyUid, seriesUid, caseId, 'volume3d'))} title="3D volume rendering (bone preset), rotate with the mouse" data-testid="open-3d">3D</button>
          <button type="button" className="or-hide" disabled={seriesUid === undefined} onClick={() => seriesUid !== undefined && navigate(comparePath(studyUid, '1x2', [{ studyUid, seriesUid }], caseId))} title="Series side by side with synchronised position (S)" data-testid="open-compare">Side by side</button>
          <span className="separator" />
          <button type="button" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)" data-testid="open-help">?</button>
        </div>
        <ErrorMessage error={error} />
        {saveError !== undefined && (
          <div className="banner banner-warning" role="status" data-testid="save-error">
            A measurement could not be saved: {describeError(saveError)}
            <button type="button" className="link" onClick={() => setSaveError(undefined)}>Dismiss</button>
          </div>
        )}
        <div className="viewport-box">
          <div ref={element} className="viewport" data-testid="viewport" onMouseMove={onMouseMove} onContextMenu={(e) => e.preventDefault()} />
          <canvas ref={labelCanvas} className="label-overlay" data-testid="label-overlay" aria-hidden="true" />
          <LandmarkLayer element={element.current} viewport={viewport} landmarks={landmarks} testId="landmark-overlay" />
          {loading && <div className="viewport-loading">Loading images…</div>}
          {series !== undefined && (
            <div className="overlay" aria-hidden="true">
              <div className="corner top-left" data-testid="overlay-patient">
                <div>{personName(text(first, TAG.PatientName))}</div>
                <div>ID {text(first, TAG.PatientID)}</div>
                <div>{dicomDate(text(first, TAG.PatientBirthDate))} {text(first, TAG.PatientSex)}</div>
              </div>
              <div className="corner top-right" data-testid="overlay-study">
                <div>{text(first, TAG.StudyDescription)}</div>
                <div>{dicomDate(text(first, TAG.StudyDate))}</div>
                <div>{series.modality} · {series.description}</div>
              </div>
              <div className="corner bottom-left" data-testid="overlay-image">
                <div>Image {view.imageIndex + 1} / {view.imageCount}</div>
                <div>Instance {text(current, TAG.InstanceNumber)}</div>
                <div>W {Math.round(view.windowWidth)} L {Math.round(view.windowCenter)}</div>
              </div>
              <div className="corner bottom-right" data-testid="overlay-cursor">
                {cursor !== undefined && (
                  <>
                    <div>LPS {cursor.lps.map((v) => v.toFixed(1)).join(', ')} mm</div>
                    {cursor.value !== undefined && <div>Value {Math.round(cursor.value)}{series.modality === 'CT' ? ' HU' : ''}</div>}
                    {cursor.structure !== undefined && <div data-testid="cursor-structure">{cursor.structure}</div>}
                  </>
                )}
              </div>
              <div className="marker marker-left" data-testid="marker-left">{view.markers.left}</div>
              <div className="marker marker-right" data-testid="marker-right">{view.markers.right}</div>
              <div className="marker marker-top" data-testid="marker-top">{view.markers.top}</div>
              <div className="marker marker-bottom" data-testid="marker-bottom">{view.markers.bottom}</div>
            </div>
          )}
        </div>
      </section>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </main>
  );
}
