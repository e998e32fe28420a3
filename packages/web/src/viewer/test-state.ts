/**
 * The viewer's state, readable from outside the page (`window.__keyhole.viewer`): end-to-end tests
 * and the benchmark read what the viewer shows — image, camera, window, markers, the LPS point
 * under the cursor, measurements — instead of guessing from pixels.
 */
import type { Measurement } from './annotation-sync.ts';
import type { ScreenMarkers, Vec3 } from './orientation.ts';
import type { SlicePlane } from './slice-sync.ts';

export interface ViewerState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly imageIndex: number;
  readonly imageCount: number;
  readonly imageId: string;
  readonly sopInstanceUid: string;
  readonly windowWidth: number;
  readonly windowCenter: number;
  readonly camera: { readonly position: Vec3; readonly focalPoint: Vec3; readonly viewUp: Vec3; readonly viewPlaneNormal: Vec3; readonly parallelScale: number } | undefined;
  readonly markers: ScreenMarkers;
  /** Patient coordinates (LPS mm) of the point under the cursor, and the pixel value there. */
  readonly cursorLps: Vec3 | undefined;
  readonly cursorValue: number | undefined;
  readonly measurements: readonly Measurement[];
  readonly activeTool: string;
  readonly renderedFrames: number;
  /** ms from opening the viewer to the first rendered image (benchmark). */
  readonly firstImageMs: number | undefined;
  readonly error: string | undefined;
  readonly invert: boolean;
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  /** Rotation of the image on screen, degrees clockwise. */
  readonly rotation: number;
  readonly cine: { readonly playing: boolean; readonly fps: number };
  /** The structure (label-map name) under the cursor, when a segmentation goes with the series. */
  readonly cursorStructure?: string | undefined;
  readonly labels?: {
    readonly status: 'none' | 'loading' | 'ready' | 'error';
    readonly segmentationSeriesUid: string | undefined;
    readonly shown: boolean;
    readonly structures: ReadonlyArray<{ readonly value: number; readonly name: string; readonly visible: boolean }>;
    readonly problems: readonly string[];
  };
}

export interface ViewerHandle {
  readonly state: ViewerState;
  /** Canvas position (CSS px, relative to the viewport element) of an LPS point, and back. */
  worldToCanvas(point: Vec3): [number, number];
  canvasToWorld(point: readonly [number, number]): Vec3;
  /**
   * Canvas position of a point of the current image in cornerstone3D's image coordinates, where
   * (0, 0) is the outer corner of the first pixel: the centre of pixel (c, r) is (c + 0.5, r + 0.5).
   */
  imageToCanvas(column: number, row: number): [number, number];
  scrollTo(index: number): Promise<void>;
}

/** One plane of the MPR: what it shows and where the crosshair point lies on it. */
export interface MprViewState {
  readonly id: string;
  readonly orientation: string;
  readonly focalPoint: Vec3;
  readonly viewPlaneNormal: Vec3;
  readonly viewUp: Vec3;
  readonly markers: ScreenMarkers;
  /** The crosshair point projected on this view's canvas (CSS px) … */
  readonly crosshairCanvas: readonly [number, number] | undefined;
  /** … and that canvas point back in LPS: equal to the crosshair point when the view shows it. */
  readonly crosshairFromCanvas: Vec3 | undefined;
  /** Signed distance (mm) of the crosshair point from the plane shown. */
  readonly crosshairPlaneDistance: number | undefined;
}

export interface MprState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly crosshairLps: Vec3 | undefined;
  readonly views: readonly MprViewState[];
  readonly error: string | undefined;
  /** How far the sagittal and coronal planes are turned about the axial normal (degrees; 0 = orthogonal). */
  readonly obliqueDeg: number;
}

export interface MprHandle {
  readonly state: MprState;
  setCrosshair(point: Vec3): void;
  /** Turns the sagittal and coronal planes about the axial normal through the crosshair point. */
  tilt(degrees: number): void;
}

/** One viewport of the side-by-side layout. */
export interface ComparePaneState {
  readonly index: number;
  readonly status: 'empty' | 'loading' | 'ready' | 'error';
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly description: string;
  readonly frameOfReferenceUid: string;
  readonly imageIndex: number;
  readonly imageCount: number;
  readonly sopInstanceUid: string;
  /** The plane of the image on screen (Image Position (Patient) and the unit normal), LPS mm. */
  readonly plane: SlicePlane | undefined;
  /** Median distance between neighbouring slices (mm). */
  readonly sliceSpacingMm: number;
  /** Whether this viewport follows the shared position (same Frame of Reference as the position's source). */
  readonly synchronized: boolean;
  /** Signed distance (mm) of the shared position from the plane on screen. */
  readonly syncDistanceMm: number | undefined;
  readonly markers: ScreenMarkers;
  readonly error: string | undefined;
}

export interface CompareState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly grid: string;
  readonly syncEnabled: boolean;
  /** The shared position every synchronised viewport shows the nearest slice of (LPS mm). */
  readonly syncPoint: Vec3 | undefined;
  /** The viewport the position was last set or scrolled in. */
  readonly sourcePane: number | undefined;
  readonly panes: readonly ComparePaneState[];
  readonly error: string | undefined;
}

export interface CompareHandle {
  readonly state: CompareState;
  /** Canvas position (CSS px, relative to the viewport element) of an LPS point in pane `index`. */
  worldToCanvas(index: number, point: Vec3): [number, number];
  canvasToWorld(index: number, point: readonly [number, number]): Vec3;
}

/** The 3D volume rendering screen. */
export interface Volume3dState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly preset: string;
  readonly camera: { readonly position: Vec3; readonly focalPoint: Vec3; readonly viewUp: Vec3; readonly viewPlaneNormal: Vec3; readonly parallelScale: number } | undefined;
  /** Patient directions at the screen's edges (from the camera). */
  readonly markers: ScreenMarkers;
  /** Whether the orientation cube (cornerstone3D OrientationMarkerTool) is shown. */
  readonly orientationMarker: boolean;
  readonly renderedFrames: number;
  readonly error: string | undefined;
}

export interface Volume3dHandle {
  readonly state: Volume3dState;
  /** Turns the view about the screen's vertical axis. */
  rotate(degrees: number): void;
  reset(): void;
}

declare global {
  interface Window {
    __keyhole?: { viewer?: ViewerHandle; mpr?: MprHandle; compare?: CompareHandle; volume3d?: Volume3dHandle };
  }
}

export function exposeVolume3d(handle: Volume3dHandle | undefined): void {
  window.__keyhole = { ...(window.__keyhole ?? {}), ...(handle !== undefined ? { volume3d: handle } : {}) };
  if (handle === undefined && window.__keyhole !== undefined) delete window.__keyhole.volume3d;
}

export function exposeCompare(handle: CompareHandle | undefined): void {
  window.__keyhole = { ...(window.__keyhole ?? {}), ...(handle !== undefined ? { compare: handle } : {}) };
  if (handle === undefined && window.__keyhole !== undefined) delete window.__keyhole.compare;
}

export function exposeMpr(handle: MprHandle | undefined): void {
  window.__keyhole = { ...(window.__keyhole ?? {}), ...(handle !== undefined ? { mpr: handle } : {}) };
  if (handle === undefined && window.__keyhole !== undefined) delete window.__keyhole.mpr;
}

export function exposeViewer(handle: ViewerHandle | undefined): void {
  window.__keyhole = { ...(window.__keyhole ?? {}), ...(handle !== undefined ? { viewer: handle } : {}) };
  if (handle === undefined && window.__keyhole !== undefined) delete window.__keyhole.viewer;
}
