import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { StudyLandmarkLayer } from './landmarks/StudyLandmarkLayer.tsx';
import { Enums as CoreEnums, type StackViewport, type Types } from '@cornerstonejs/core';
import { Enums as ToolsEnums, PanTool, ReferenceLinesTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { findStudy, isImageSeries, listPatientStudies, listSeries, type StudySummary } from '../api/archive.ts';
import { describeError } from '../api/client.ts';
import { numbers, TAG } from '../api/dicom-json.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { COMPARE_GRIDS, comparePath, navigate, viewerPath, type CompareGrid, type PaneSeries } from '../router.ts';
import { existingRenderingEngine, renderingEngine, startCornerstone } from './cornerstone-setup.ts';
import type { ScreenMarkers, Vec3 } from './orientation.ts';
import { loadSeries, type LoadedSeries } from './series-loader.ts';
import { distanceToPlane, nearestSlice, projectOntoPlane, slicePlane, sliceSpacingMm, type SlicePlane } from './slice-sync.ts';
import { exposeCompare, type ComparePaneState, type CompareState } from './test-state.ts';
import { vec, viewportMarkers } from './viewport-geometry.ts';

const TOOL_GROUP_ID = 'keyhole-compare-tools';
const NO_MARKERS: ScreenMarkers = { left: '', right: '', top: '', bottom: '' };
const RENDER_EVENTS = [CoreEnums.Events.CAMERA_MODIFIED, CoreEnums.Events.VOI_MODIFIED, CoreEnums.Events.IMAGE_RENDERED];
const paneViewportId = (index: number): string => `keyhole-compare-${index}`;

/** Viewports per grid. */
const PANE_COUNT: Readonly<Record<CompareGrid, number>> = { '1x2': 2, '1x3': 3, '2x2': 4 };

/** A series the viewports can show: any series of any study of the patient. */
interface SeriesChoice extends PaneSeries {
  readonly label: string;
  readonly instanceCount: number;
}

/** What the screen keeps about each viewport between renders (not React state: the sync runs in event handlers). */
interface PaneRuntime {
  series: LoadedSeries | undefined;
  planes: SlicePlane[];
  spacing: number;
  /** The index the sync asked for: its STACK_NEW_IMAGE is the sync's own and is not passed on. */
  expectedIndex: number | undefined;
  status: ComparePaneState['status'];
  error: string | undefined;
}

const newRuntime = (): PaneRuntime => ({ series: undefined, planes: [], spacing: 0, expectedIndex: undefined, status: 'empty', error: undefined });

function planesOf(series: LoadedSeries): SlicePlane[] {
  return series.instances.map((i) => slicePlane(numbers(i.metadata, TAG.ImageOrientationPatient), numbers(i.metadata, TAG.ImagePositionPatient)) ?? { origin: [0, 0, 0], normal: [0, 0, 0] });
}

/**
 * Several series side by side (1×2, 1×3 or 2×2), each viewport showing any series of any study of
 * the patient — sagittal T2 beside axial T2 beside CT. Positions are synchronised in patient space
 * (slice-sync.ts): scrolling one viewport moves the shared point along that viewport's normal, and
 * every other viewport with the same Frame of Reference shows the slice nearest to the point;
 * Shift+click sets the point anywhere. Reference lines draw the plane of the viewport last used
 * on the others (cornerstone3D ReferenceLinesTool), and a small cross marks the shared point.
 */
export function CompareViewer({ studyUid, caseId, grid: initialGrid, panes: initialPanes }: { readonly studyUid: string; readonly caseId: number | undefined; readonly grid: CompareGrid; readonly panes: readonly PaneSeries[] }) {
  const [grid, setGrid] = useState<CompareGrid>(initialGrid);
  const [slots, setSlots] = useState<PaneSeries[]>([...initialPanes]);
  const [choices, setChoices] = useState<SeriesChoice[]>([]);
  const [patient, setPatient] = useState<StudySummary>();
  const [error, setError] = useState<unknown>();
  const [started, setStarted] = useState(false);
  const [syncEnabled, setSyncEnabled] = useState(true);
  const syncEnabledRef = useRef(true);
  const elements = useRef<Array<HTMLDivElement | null>>([]);
  const runtimes = useRef<PaneRuntime[]>([0, 1, 2, 3].map(newRuntime));
  const syncPoint = useRef<Vec3 | undefined>(undefined);
  const sourcePane = useRef<number | undefined>(undefined);
  const [paneStates, setPaneStates] = useState<ComparePaneState[]>([]);
  /** Removes the event listeners of each enabled viewport. */
  const listeners = useRef<Array<(() => void) | undefined>>([]);
  const [crossAt, setCrossAt] = useState<Array<[number, number] | undefined>>([]);
  const count = PANE_COUNT[grid];

  const viewportOf = useCallback((index: number): StackViewport | undefined => {
    try {
      return existingRenderingEngine()?.getViewport(paneViewportId(index)) as StackViewport | undefined;
    } catch {
      return undefined;
    }
  }, []);
  // Stable per pane, so the landmark layers do not re-attach their listeners on every render.
  const paneGetters = useMemo(() => [0, 1, 2, 3].map((index) => () => viewportOf(index)), [viewportOf]);

  // The patient's studies and their series: the choices of every viewport.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const study = await findStudy(studyUid);
      if (study === undefined) throw new Error(`Not found: no study ${studyUid} in the archive, or you are not allowed to see it.`);
      if (cancelled) return;
      setPatient(study);
      const studies = study.patientId !== '' ? await listPatientStudies(study.patientId) : [study];
      // The study the screen was opened from first, then the others by date.
      studies.sort((a, b) => (a.studyUid === studyUid ? -1 : b.studyUid === studyUid ? 1 : a.studyDate.localeCompare(b.studyDate)));
      const all: SeriesChoice[] = [];
      for (const s of studies) {
        for (const series of (await listSeries(s.studyUid)).filter(isImageSeries)) {
          all.push({ studyUid: s.studyUid, seriesUid: series.seriesUid, instanceCount: series.instanceCount, label: `${s.studyDate} ${s.modalities} · ${series.number ?? ''} ${series.description} (${series.instanceCount})` });
        }
      }
      if (cancelled) return;
      setChoices(all);
    })().catch((e: unknown) => {
      if (!cancelled) setError(e);
    });
    return () => {
      cancelled = true;
    };
  }, [studyUid]);

  // Empty viewports take the series not shown yet, in order; the URL keeps the layout for a reload.
  useEffect(() => {
    if (choices.length === 0) return;
    const filled = [...slots];
    for (let i = 0; i < count; i++) {
      if (filled[i] !== undefined && filled[i]!.seriesUid !== '') continue;
      const next = choices.find((c) => !filled.some((f) => f?.seriesUid === c.seriesUid)) ?? choices[0]!;
      filled[i] = { studyUid: next.studyUid, seriesUid: next.seriesUid };
    }
    if (filled.length !== slots.length || filled.some((f, i) => f.seriesUid !== slots[i]?.seriesUid)) setSlots(filled);
    window.history.replaceState(null, '', comparePath(studyUid, grid, filled.slice(0, count), caseId));
  }, [choices, slots, count, grid, studyUid, caseId]);

  // cornerstone3D and the tool group shared by the viewports.
  useEffect(() => {
    let cancelled = false;
    void startCornerstone().then(() => {
      if (cancelled) return;
      const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID) ?? ToolGroupManager.createToolGroup(TOOL_GROUP_ID);
      if (group !== undefined) {
        for (const name of [WindowLevelTool.toolName, PanTool.toolName, ZoomTool.toolName, StackScrollTool.toolName, ReferenceLinesTool.toolName]) if (!group.hasTool(name)) group.addTool(name);
        group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Primary }] });
        group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Auxiliary }] });
        group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Secondary }] });
        group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolsEnums.MouseBindings.Wheel }] });
      }
      setStarted(true);
    });
    return () => {
      cancelled = true;
      ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
    };
  }, []);

  /** Re-reads what every viewport shows into the exposed state and the overlays. */
  const refresh = useCallback(() => {
    const point = syncPoint.current;
    const states: ComparePaneState[] = [];
    const crosses: Array<[number, number] | undefined> = [];
    const sourceFrame = sourcePane.current !== undefined ? runtimes.current[sourcePane.current]?.series?.frameOfReferenceUid : undefined;
    for (let i = 0; i < count; i++) {
      const runtime = runtimes.current[i]!;
      const vp = viewportOf(i);
      const element = elements.current[i];
      const loaded = runtime.series !== undefined && vp !== undefined && runtime.status === 'ready';
      const imageIndex = loaded ? vp.getCurrentImageIdIndex() : 0;
      const plane = loaded ? runtime.planes[imageIndex] : undefined;
      states.push({
        index: i,
        status: runtime.status,
        studyUid: slots[i]?.studyUid ?? '',
        seriesUid: slots[i]?.seriesUid ?? '',
        description: runtime.series?.description ?? '',
        frameOfReferenceUid: runtime.series?.frameOfReferenceUid ?? '',
        imageIndex,
        imageCount: runtime.series?.instances.length ?? 0,
        sopInstanceUid: runtime.series?.instances[imageIndex]?.sopInstanceUid ?? '',
        plane,
        sliceSpacingMm: runtime.spacing,
        synchronized: loaded && (sourceFrame === undefined || runtime.series!.frameOfReferenceUid === sourceFrame),
        syncDistanceMm: plane !== undefined && point !== undefined ? distanceToPlane(plane, point) : undefined,
        markers: loaded && element !== null && element !== undefined ? viewportMarkers(vp, element) : NO_MARKERS,
        error: runtime.error,
      });
      const canvas = loaded && point !== undefined ? vp.worldToCanvas([...point] as Types.Point3) : undefined;
      crosses.push(canvas !== undefined ? [canvas[0], canvas[1]] : undefined);
    }
    setPaneStates((old) => (JSON.stringify(old) === JSON.stringify(states) ? old : states));
    setCrossAt((old) => (JSON.stringify(old) === JSON.stringify(crosses) ? old : crosses));
  }, [count, slots, viewportOf]);

  /** Moves viewport `index` to its slice nearest the shared point (when it shares the source's frame of reference). */
  const follow = useCallback((index: number) => {
    const point = syncPoint.current;
    const runtime = runtimes.current[index];
    const source = sourcePane.current !== undefined ? runtimes.current[sourcePane.current] : undefined;
    const vp = viewportOf(index);
    if (point === undefined || runtime?.series === undefined || runtime.status !== 'ready' || vp === undefined) return;
    if (source?.series !== undefined && source.series.frameOfReferenceUid !== runtime.series.frameOfReferenceUid) return;
    const nearest = nearestSlice(runtime.planes, point);
    if (nearest === undefined || nearest.index === vp.getCurrentImageIdIndex()) return;
    runtime.expectedIndex = nearest.index;
    void vp.setImageIdIndex(nearest.index);
  }, [viewportOf]);

  const followAll = useCallback((except: number | undefined) => {
    if (!syncEnabledRef.current) return;
    for (let j = 0; j < count; j++) if (j !== except) follow(j);
  }, [count, follow]);

  const setSource = useCallback((index: number) => {
    sourcePane.current = index;
    ToolGroupManager.getToolGroup(TOOL_GROUP_ID)?.setToolConfiguration(ReferenceLinesTool.toolName, { sourceViewportId: paneViewportId(index) });
    ToolGroupManager.getToolGroup(TOOL_GROUP_ID)?.setToolEnabled(ReferenceLinesTool.toolName);
  }, []);

  /** A new image in viewport `index`: the user's scroll moves the shared point; the sync's own moves pass nothing on. */
  const onImage = useCallback((index: number) => {
    const runtime = runtimes.current[index];
    const vp = viewportOf(index);
    if (runtime === undefined || vp === undefined) return;
    const current = vp.getCurrentImageIdIndex();
    if (runtime.expectedIndex === current) {
      runtime.expectedIndex = undefined;
      refresh();
      return;
    }
    runtime.expectedIndex = undefined;
    const plane = runtime.planes[current];
    if (plane === undefined) return;
    // The point keeps its place within the plane and moves with the scroll along the normal.
    syncPoint.current = projectOntoPlane(plane, syncPoint.current ?? vec(vp.getCamera().focalPoint));
    setSource(index);
    followAll(index);
    refresh();
  }, [viewportOf, setSource, followAll, refresh]);

  /** Shift+click: the shared point is the LPS point under the mouse; every viewport goes to it. */
  const locate = useCallback((index: number, canvas: readonly [number, number]) => {
    const vp = viewportOf(index);
    if (vp === undefined || runtimes.current[index]?.status !== 'ready') return;
    syncPoint.current = vec(vp.canvasToWorld([canvas[0], canvas[1]]));
    setSource(index);
    followAll(index);
    refresh();
  }, [viewportOf, setSource, followAll, refresh]);

  const onPaneLoaded = useCallback((index: number) => {
    const vp = viewportOf(index);
    if (vp !== undefined && syncPoint.current === undefined) {
      // The first series in sets the point: the centre of its middle slice.
      syncPoint.current = vec(vp.getCamera().focalPoint);
      setSource(index);
    }
    if (syncEnabledRef.current && index !== sourcePane.current) follow(index);
    refresh();
  }, [viewportOf, setSource, follow, refresh]);

  // Listeners are registered once per viewport: they call the latest callbacks through a ref.
  const latest = useRef({ onImage, refresh, onPaneLoaded });
  latest.current = { onImage, refresh, onPaneLoaded };

  // Each viewport's series: enabled when its box exists, restacked when its choice changes.
  const slotKey = slots.slice(0, count).map((s) => `${s.studyUid}:${s.seriesUid}`).join(',');
  useEffect(() => {
    if (!started) return;
    let cancelled = false;
    const engine = renderingEngine();
    const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    slots.slice(0, count).forEach((slot, index) => {
      const element = elements.current[index];
      if (element === null || element === undefined || slot.seriesUid === '') return;
      const runtime = runtimes.current[index]!;
      const id = paneViewportId(index);
      if (runtime.series?.seriesUid === slot.seriesUid && runtime.status === 'ready') return;
      Object.assign(runtime, newRuntime(), { status: 'loading' });
      let vp: StackViewport;
      try {
        vp = engine.getViewport(id) as StackViewport;
      } catch {
        vp = undefined as unknown as StackViewport;
      }
      if (vp === undefined) {
        engine.enableElement({ viewportId: id, type: CoreEnums.ViewportType.STACK, element, defaultOptions: { background: [0, 0, 0] as Types.Point3 } });
        group?.addViewport(id, engine.id);
        const onNewImage = (): void => latest.current.onImage(index);
        const onRender = (): void => latest.current.refresh();
        element.addEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onNewImage);
        for (const e of RENDER_EVENTS) element.addEventListener(e, onRender);
        listeners.current[index] = () => {
          element.removeEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onNewImage);
          for (const e of RENDER_EVENTS) element.removeEventListener(e, onRender);
        };
      }
      latest.current.refresh();
      (async () => {
        const series = await loadSeries(slot.studyUid, slot.seriesUid);
        if (cancelled) return;
        if (series.instances.length === 0) throw new Error('this series holds no image');
        const planes = planesOf(series);
        const viewport = engine.getViewport(id) as StackViewport;
        runtime.series = series;
        runtime.planes = planes;
        runtime.spacing = sliceSpacingMm(planes);
        // The sync's STACK_NEW_IMAGE for the first image is not a user's scroll.
        const start = Math.floor(series.instances.length / 2);
        runtime.expectedIndex = start;
        await viewport.setStack(series.instances.map((i) => i.imageId), start);
        if (cancelled) return;
        viewport.render();
        runtime.status = 'ready';
        latest.current.onPaneLoaded(index);
      })().catch((e: unknown) => {
        if (cancelled) return;
        console.error('a compare viewport failed to open its series', e);
        runtime.status = 'error';
        runtime.error = describeError(e);
        latest.current.refresh();
      });
    });
    return () => {
      cancelled = true;
    };
    // slotKey stands for the slots shown; the callbacks are stable per count.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [started, slotKey, count]);

  // Viewports beyond the grid (2×2 → 1×2) and all of them on leaving the screen are given back.
  useEffect(() => {
    return () => {
      for (let i = 0; i < 4; i++) {
        listeners.current[i]?.();
        try {
          existingRenderingEngine()?.disableElement(paneViewportId(i));
        } catch {
          // never enabled
        }
      }
    };
  }, []);
  useEffect(() => {
    for (let i = count; i < 4; i++) {
      runtimes.current[i] = newRuntime();
      listeners.current[i]?.();
      listeners.current[i] = undefined;
      try {
        existingRenderingEngine()?.disableElement(paneViewportId(i));
      } catch {
        // never enabled
      }
    }
  }, [count]);

  // Keep the canvases the size of their boxes.
  useEffect(() => {
    const observer = new ResizeObserver(() => {
      try {
        existingRenderingEngine()?.resize(true, false);
        refresh();
      } catch {
        // not enabled yet
      }
    });
    for (const element of elements.current) if (element !== null) observer.observe(element);
    return () => observer.disconnect();
  }, [count, refresh]);

  // ↑/↓ and Page Up/Down scroll the viewport last used.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.ctrlKey || event.metaKey || event.altKey) return;
      const step = { ArrowUp: -1, ArrowDown: 1, PageUp: -10, PageDown: 10 }[event.key];
      if (step === undefined) return;
      const index = sourcePane.current ?? 0;
      const vp = viewportOf(index);
      if (vp === undefined) return;
      event.preventDefault();
      void vp.setImageIdIndex(Math.min(vp.getImageIds().length - 1, Math.max(0, vp.getCurrentImageIdIndex() + step)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewportOf]);

  const state: CompareState = useMemo(() => {
    const status = error !== undefined ? 'error' : paneStates.length === count && paneStates.every((p) => p.status === 'ready' || p.status === 'error') ? 'ready' : 'loading';
    return { status, grid, syncEnabled, syncPoint: syncPoint.current, sourcePane: sourcePane.current, panes: paneStates, error: error !== undefined ? describeError(error) : undefined };
  }, [error, paneStates, count, grid, syncEnabled]);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    exposeCompare({
      get state() {
        // The point and source live in refs: read them fresh.
        return { ...stateRef.current, syncPoint: syncPoint.current, sourcePane: sourcePane.current };
      },
      worldToCanvas: (index, point) => {
        const p = viewportOf(index)?.worldToCanvas([...point] as Types.Point3) ?? [0, 0];
        return [p[0], p[1]];
      },
      canvasToWorld: (index, point) => vec(viewportOf(index)?.canvasToWorld([point[0], point[1]])),
    });
    return () => exposeCompare(undefined);
  }, [viewportOf]);

  const changeGrid = (next: CompareGrid): void => {
    setGrid(next);
  };
  const choose = (index: number, value: string): void => {
    const [study = '', series = ''] = value.split(':');
    setSlots((old) => {
      const next = [...old];
      next[index] = { studyUid: study, seriesUid: series };
      return next;
    });
  };
  const toggleSync = (): void => {
    syncEnabledRef.current = !syncEnabledRef.current;
    setSyncEnabled(syncEnabledRef.current);
    if (syncEnabledRef.current) followAll(sourcePane.current);
  };

  const [rows, columns] = grid.split('x').map(Number) as [number, number];
  const point = syncPoint.current;
  return (
    <main className="compare-screen" data-testid="compare-screen">
      <div className="viewer-toolbar" role="toolbar" aria-label="Layout">
        <button type="button" onClick={() => navigate(viewerPath(studyUid, slots[0]?.studyUid === studyUid ? slots[0]?.seriesUid : undefined, caseId))} data-testid="back-to-stack">Stack view</button>
        <span className="separator" />
        {COMPARE_GRIDS.map((g) => (
          <button key={g} type="button" aria-pressed={grid === g} onClick={() => changeGrid(g)} data-testid={`grid-${g}`} title={`${g.replace('x', ' × ')} viewports`}>{g.replace('x', '×')}</button>
        ))}
        <span className="separator" />
        <button type="button" aria-pressed={syncEnabled} onClick={toggleSync} data-testid="toggle-sync" title="Every viewport shows the slice nearest the shared position (same frame of reference)">Sync position</button>
        <span className="mpr-patient" data-testid="compare-patient">{patient !== undefined ? `${patient.patientName || '(no name)'} · ID ${patient.patientId}` : ''}</span>
        <span className="mpr-crosshair" data-testid="compare-point">{point !== undefined ? `Position LPS ${point.map((v) => v.toFixed(1)).join(', ')} mm · Shift+click to set` : 'Shift+click to set the position'}</span>
      </div>
      <ErrorMessage error={error} />
      <div className="compare-grid" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}>
        {Array.from({ length: count }, (_, index) => {
          const pane = paneStates[index];
          const slot = slots[index];
          const cross = crossAt[index];
          const markers = pane?.markers ?? NO_MARKERS;
          return (
            <div key={index} className={`compare-pane${sourcePane.current === index ? ' source' : ''}`} data-testid={`pane-${index}`}>
              <select className="pane-series" value={slot !== undefined ? `${slot.studyUid}:${slot.seriesUid}` : ''} onChange={(e) => choose(index, e.target.value)} data-testid={`pane-series-${index}`} aria-label={`Series of viewport ${index + 1}`}>
                {choices.map((c) => <option key={`${c.studyUid}:${c.seriesUid}`} value={`${c.studyUid}:${c.seriesUid}`}>{c.label}</option>)}
              </select>
              <div className="viewport-box">
                <div
                  ref={(el) => { elements.current[index] = el; }}
                  className="viewport"
                  data-testid={`pane-viewport-${index}`}
                  onContextMenu={(e) => e.preventDefault()}
                  onMouseDown={() => setSource(index)}
                  onClick={(e) => {
                    if (!e.shiftKey) return;
                    const box = e.currentTarget.getBoundingClientRect();
                    locate(index, [e.clientX - box.left, e.clientY - box.top]);
                  }}
                />
                <StudyLandmarkLayer
                  studyUid={pane?.status === 'ready' ? pane.studyUid : undefined}
                  frameOfReferenceUid={pane?.frameOfReferenceUid === '' ? undefined : pane?.frameOfReferenceUid}
                  element={pane?.status === 'ready' ? (elements.current[index] ?? null) : null}
                  viewport={paneGetters[index]!}
                  testId={`pane-landmarks-${index}`}
                />
                {pane?.status === 'loading' && <div className="viewport-loading">Loading images…</div>}
                {pane?.status === 'error' && <div className="viewport-loading error-text">{pane.error}</div>}
                <div className="overlay" aria-hidden="true">
                  <div className="corner top-left">{pane?.description}</div>
                  <div className="corner bottom-left" data-testid={`pane-image-${index}`}>
                    {pane !== undefined && pane.imageCount > 0 && <div>Image {pane.imageIndex + 1} / {pane.imageCount}</div>}
                    {pane?.syncDistanceMm !== undefined && <div>{pane.synchronized ? `Position ${Math.abs(pane.syncDistanceMm).toFixed(1)} mm from this slice` : 'Other frame of reference: not synchronised'}</div>}
                  </div>
                  <div className="marker marker-left">{markers.left}</div>
                  <div className="marker marker-right">{markers.right}</div>
                  <div className="marker marker-top">{markers.top}</div>
                  <div className="marker marker-bottom">{markers.bottom}</div>
                  {cross !== undefined && pane?.synchronized === true && <div className="sync-cross" style={{ left: cross[0], top: cross[1] }} />}
                </div>
              </div>
            </div>
          );
        })}
      </div>
    </main>
  );
}
