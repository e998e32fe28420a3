/**
 * Keeps the viewer's measurements in the archive (`/api/studies/{study}/annotations`, audited
 * server-side): drawn or moved → saved, deleted → removed, opened again → drawn back. The server
 * stores only viewer-independent geometry (handle points in LPS mm, the image and plane they were
 * drawn on); this module translates to and from cornerstone3D's annotation objects.
 */
import { eventTarget, type Types } from '@cornerstonejs/core';
import { annotation as csAnnotation, AngleTool, CobbAngleTool, EllipticalROITool, Enums as ToolsEnums, LengthTool, RectangleROITool, type Types as ToolsTypes } from '@cornerstonejs/tools';

type Annotation = ToolsTypes.Annotation;
import { api } from '../api/client.ts';
import { connection } from '../api/connection.ts';
import { angleDeg, cobbAngleDeg, lengthMm } from './measure.ts';
import type { Vec3 } from './orientation.ts';
import { roiStatsOnImage } from './roi-on-image.ts';
import type { RoiStats } from './roi-stats.ts';
import type { LoadedSeries } from './series-loader.ts';

export type MeasurementTool = 'length' | 'angle' | 'cobb-angle' | 'ellipse-roi' | 'rectangle-roi';

/** The cornerstone tool behind each kind the archive knows (the archive's names: server annotations.ts). */
const TOOL_NAMES: Readonly<Record<MeasurementTool, string>> = {
  length: LengthTool.toolName, angle: AngleTool.toolName, 'cobb-angle': CobbAngleTool.toolName, 'ellipse-roi': EllipticalROITool.toolName, 'rectangle-roi': RectangleROITool.toolName,
};

/** Handle points of a finished measurement of each kind. */
const POINTS_NEEDED: Readonly<Record<MeasurementTool, number>> = { length: 2, angle: 3, 'cobb-angle': 4, 'ellipse-roi': 4, 'rectangle-roi': 4 };

/** cornerstone3D's own statistics of an ROI (cachedStats), kept beside ours so tests can compare the two. */
export interface LibraryRoiStats {
  readonly mean: number;
  readonly stdDev: number;
  readonly min: number;
  readonly max: number;
  readonly area: number;
}

export interface Measurement {
  readonly uid: string;
  readonly tool: MeasurementTool;
  readonly points: Vec3[];
  readonly sopInstanceUid: string | undefined;
  readonly imageIndex: number;
  readonly lengthMm?: number;
  readonly angleDeg?: number;
  /** Cobb angle (acute angle between the two lines), degrees. */
  readonly cobbDeg?: number;
  /** ROI statistics (modality values: HU for CT), computed from the points on the image; absent while the image is not loaded. */
  readonly stats?: RoiStats;
  readonly libraryStats?: LibraryRoiStats;
  /** 'saved' once the archive has it; 'unsaved' while the server cannot be reached. */
  readonly status: 'saved' | 'saving' | 'unsaved';
}

interface StoredAnnotation {
  readonly uid: string;
  readonly tool: string;
  readonly seriesUid: string;
  readonly sopInstanceUid?: string;
  readonly frameOfReferenceUid?: string;
  readonly points: Vec3[];
  readonly viewPlaneNormal?: Vec3;
  readonly viewUp?: Vec3;
  readonly label?: string;
}

function toolOf(toolName: string | undefined): MeasurementTool | undefined {
  return (Object.keys(TOOL_NAMES) as MeasurementTool[]).find((k) => TOOL_NAMES[k] === toolName);
}

function archiveTool(name: string): MeasurementTool | undefined {
  return (Object.keys(TOOL_NAMES) as MeasurementTool[]).find((k) => k === name);
}

function values(tool: MeasurementTool, points: readonly Vec3[], imageId: string | undefined): { lengthMm?: number; angleDeg?: number; cobbDeg?: number; stats?: RoiStats } {
  if (tool === 'length' && points.length === 2) return { lengthMm: lengthMm(points[0]!, points[1]!) };
  if (tool === 'angle' && points.length === 3) return { angleDeg: angleDeg(points[0]!, points[1]!, points[2]!) };
  if (tool === 'cobb-angle' && points.length === 4) return { cobbDeg: cobbAngleDeg(points[0]!, points[1]!, points[2]!, points[3]!) };
  if (tool === 'ellipse-roi' || tool === 'rectangle-roi') {
    const stats = roiStatsOnImage(tool === 'ellipse-roi' ? 'ellipse' : 'rectangle', points, imageId);
    return stats !== undefined ? { stats } : {};
  }
  return {};
}

function libraryStatsOf(annotation: Annotation): LibraryRoiStats | undefined {
  const cached = (annotation.data as { cachedStats?: Record<string, Partial<LibraryRoiStats>> }).cachedStats;
  const first = cached !== undefined ? Object.values(cached)[0] : undefined;
  if (first?.mean === undefined || first.area === undefined) return undefined;
  return { mean: first.mean, stdDev: first.stdDev ?? Number.NaN, min: first.min ?? Number.NaN, max: first.max ?? Number.NaN, area: first.area };
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;

export interface AnnotationSyncOptions {
  readonly studyUid: string;
  readonly series: LoadedSeries;
  readonly caseId: number | undefined;
  readonly element: HTMLDivElement;
  /** Called whenever the list or a status changes. */
  readonly onChange: (measurements: Measurement[]) => void;
  readonly onError: (error: unknown) => void;
  /** Draws the viewport again (after asking cornerstone3D to recompute an ROI's own statistics). */
  readonly render?: () => void;
}

export class AnnotationSync {
  private readonly options: AnnotationSyncOptions;
  private readonly byUid = new Map<string, Measurement>();
  /** The geometry last sent for each uid, so a re-render that changes nothing sends nothing. */
  private readonly sent = new Map<string, string>();
  private readonly listeners: Array<[string, EventListener]> = [];
  private unsubscribeConnection: (() => void) | undefined;

  constructor(options: AnnotationSyncOptions) {
    this.options = options;
  }

  get measurements(): Measurement[] {
    return [...this.byUid.values()];
  }

  /** Draws the archive's measurements of this series back and starts listening for changes. */
  async start(): Promise<void> {
    const { studyUid, series, caseId } = this.options;
    const stored = await api<StoredAnnotation[]>(`/api/studies/${studyUid}/annotations${caseId !== undefined ? `?caseId=${caseId}` : ''}`);
    for (const s of stored) {
      const tool = archiveTool(s.tool);
      if (tool === undefined || s.seriesUid !== series.seriesUid) continue;
      const index = series.instances.findIndex((i) => i.sopInstanceUid === s.sopInstanceUid);
      const referencedImageId = series.instances[index]?.imageId;
      const restored: Annotation = {
        annotationUID: s.uid,
        highlighted: false,
        invalidated: true,
        isLocked: false,
        isVisible: true,
        metadata: {
          toolName: TOOL_NAMES[tool],
          FrameOfReferenceUID: s.frameOfReferenceUid ?? series.frameOfReferenceUid,
          ...(referencedImageId !== undefined ? { referencedImageId } : {}),
          ...(s.viewPlaneNormal !== undefined ? { viewPlaneNormal: [...s.viewPlaneNormal] as Types.Point3 } : {}),
          ...(s.viewUp !== undefined ? { viewUp: [...s.viewUp] as Types.Point3 } : {}),
        },
        data: { handles: { points: s.points.map((p) => [...p] as Types.Point3), activeHandleIndex: null, textBox: { hasMoved: false } }, cachedStats: {}, ...(s.label !== undefined ? { label: s.label } : {}) },
      };
      csAnnotation.state.addAnnotation(restored, this.options.element);
      this.sent.set(s.uid, JSON.stringify(s.points.map((p) => p.map(round))));
      this.byUid.set(s.uid, { uid: s.uid, tool, points: s.points.map((p) => [...p] as unknown as Vec3), sopInstanceUid: s.sopInstanceUid, imageIndex: index, ...values(tool, s.points, referencedImageId), status: 'saved' });
    }
    this.listen(ToolsEnums.Events.ANNOTATION_COMPLETED, (a) => {
      // cornerstone3D computes an ROI's statistics throttled while it is dragged, and its text can
      // keep an intermediate size: clearing them makes it compute them once more on the final shape.
      const tool = toolOf(a.metadata?.toolName);
      if (tool === 'ellipse-roi' || tool === 'rectangle-roi') {
        (a.data as { cachedStats?: unknown }).cachedStats = {};
        a.invalidated = true;
        this.options.render?.();
      }
      void this.save(a);
    });
    this.listen(ToolsEnums.Events.ANNOTATION_MODIFIED, (a) => {
      this.updateLibraryStats(a);
      void this.save(a);
    });
    this.listen(ToolsEnums.Events.ANNOTATION_REMOVED, (a) => void this.remove(a));
    // Measurements drawn while the server was away are sent when it is back.
    this.unsubscribeConnection = connection.subscribe(() => {
      if (connection.current === 'online') void this.retryUnsaved();
    });
    this.emit();
  }

  /** Fills in ROI statistics whose image was not loaded when they were restored (call after each render). */
  fillStats(): void {
    let changed = false;
    for (const m of this.byUid.values()) {
      if ((m.tool !== 'ellipse-roi' && m.tool !== 'rectangle-roi') || m.stats !== undefined) continue;
      const imageId = this.options.series.instances[m.imageIndex]?.imageId;
      const filled = values(m.tool, m.points, imageId);
      if (filled.stats === undefined) continue;
      this.byUid.set(m.uid, { ...m, ...filled });
      changed = true;
    }
    if (changed) this.emit();
  }

  private updateLibraryStats(annotation: Annotation): void {
    const uid = annotation.annotationUID;
    const m = uid !== undefined ? this.byUid.get(uid) : undefined;
    const library = libraryStatsOf(annotation);
    if (m === undefined || library === undefined || JSON.stringify(m.libraryStats) === JSON.stringify(library)) return;
    this.byUid.set(m.uid, { ...m, libraryStats: library });
    this.emit();
  }

  stop(): void {
    for (const [type, listener] of this.listeners) eventTarget.removeEventListener(type, listener);
    this.listeners.length = 0;
    this.unsubscribeConnection?.();
  }

  private listen(type: string, handler: (annotation: Annotation) => void): void {
    const listener: EventListener = (event) => {
      const annotation = (event as CustomEvent<{ annotation?: Annotation }>).detail.annotation;
      if (annotation !== undefined && toolOf(annotation.metadata?.toolName) !== undefined && this.belongsHere(annotation)) handler(annotation);
    };
    eventTarget.addEventListener(type, listener);
    this.listeners.push([type, listener]);
  }

  private belongsHere(annotation: Annotation): boolean {
    const imageId = annotation.metadata?.referencedImageId;
    return imageId === undefined ? annotation.metadata?.FrameOfReferenceUID === this.options.series.frameOfReferenceUid : this.options.series.instances.some((i) => i.imageId === imageId);
  }

  private measurementOf(annotation: Annotation, status: Measurement['status']): Measurement | undefined {
    const tool = toolOf(annotation.metadata?.toolName);
    const points = (annotation.data.handles?.points ?? []).map((p: Types.Point3) => [p[0], p[1], p[2]] as Vec3);
    if (tool === undefined || annotation.annotationUID === undefined) return undefined;
    if (points.length !== POINTS_NEEDED[tool]) return undefined; // still being drawn
    const imageId = annotation.metadata?.referencedImageId;
    const index = this.options.series.instances.findIndex((i) => i.imageId === imageId);
    const library = libraryStatsOf(annotation);
    return { uid: annotation.annotationUID, tool, points, sopInstanceUid: this.options.series.instances[index]?.sopInstanceUid, imageIndex: index, ...values(tool, points, imageId), ...(library !== undefined ? { libraryStats: library } : {}), status };
  }

  private async save(annotation: Annotation): Promise<void> {
    const measurement = this.measurementOf(annotation, 'saving');
    if (measurement === undefined) return;
    const key = JSON.stringify(measurement.points.map((p) => p.map(round)));
    if (this.sent.get(measurement.uid) === key && this.byUid.get(measurement.uid)?.status === 'saved') return;
    this.sent.set(measurement.uid, key);
    this.byUid.set(measurement.uid, measurement);
    this.emit();
    const { series, studyUid, caseId } = this.options;
    const metadata = annotation.metadata;
    try {
      await api(`/api/studies/${studyUid}/annotations/${measurement.uid}`, {
        method: 'PUT',
        body: {
          tool: measurement.tool,
          seriesUid: series.seriesUid,
          ...(measurement.sopInstanceUid !== undefined ? { sopInstanceUid: measurement.sopInstanceUid } : {}),
          ...(series.frameOfReferenceUid !== '' ? { frameOfReferenceUid: series.frameOfReferenceUid } : {}),
          points: measurement.points,
          ...(metadata?.viewPlaneNormal !== undefined ? { viewPlaneNormal: [...metadata.viewPlaneNormal] } : {}),
          ...(metadata?.viewUp !== undefined ? { viewUp: [...metadata.viewUp] } : {}),
          // ROI statistics are not stored: they are recomputed from the points and the image, which are the truth.
          measured: { ...(measurement.lengthMm !== undefined ? { lengthMm: measurement.lengthMm } : {}), ...(measurement.angleDeg !== undefined ? { angleDeg: measurement.angleDeg } : {}), ...(measurement.cobbDeg !== undefined ? { angleDeg: measurement.cobbDeg } : {}) },
          ...(caseId !== undefined ? { caseId } : {}),
        },
      });
      if (this.sent.get(measurement.uid) === key) this.byUid.set(measurement.uid, { ...measurement, status: 'saved' });
    } catch (error) {
      this.sent.delete(measurement.uid);
      this.byUid.set(measurement.uid, { ...measurement, status: 'unsaved' });
      this.options.onError(error);
    }
    this.emit();
  }

  private async retryUnsaved(): Promise<void> {
    for (const m of this.byUid.values()) {
      if (m.status !== 'unsaved') continue;
      const annotation = csAnnotation.state.getAnnotation(m.uid);
      if (annotation !== undefined) await this.save(annotation);
    }
  }

  private async remove(annotation: Annotation): Promise<void> {
    const uid = annotation.annotationUID;
    if (uid === undefined || !this.byUid.has(uid)) return;
    this.byUid.delete(uid);
    this.sent.delete(uid);
    this.emit();
    try {
      await api(`/api/studies/${this.options.studyUid}/annotations/${uid}`, { method: 'DELETE' });
    } catch (error) {
      this.options.onError(error);
    }
  }

  private emit(): void {
    this.options.onChange(this.measurements);
  }
}
