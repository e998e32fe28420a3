/**
 * Label-map overlay of the stack viewer: finds the series' segmentations (load-segmentations.ts),
 * keeps which structures are shown, and paints the label slice of the image on screen onto a
 * canvas above cornerstone3D's, through the same image→canvas mapping cornerstone uses (so zoom,
 * pan, flips and rotations carry the overlay along). Label slices are cached per image.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { utilities, type StackViewport, type Types } from '@cornerstonejs/core';
import { numbers, TAG } from '../../api/dicom-json.ts';
import type { Vec3 } from '../orientation.ts';
import type { LoadedSeries } from '../series-loader.ts';
import { findSegmentations, type LoadedSegmentation, type SegmentationProblem } from './load-segmentations.ts';
import { labelAt, labelSlice, labelSliceRgba, type ImagePlaneGeometry } from './label-slice.ts';

export interface OverlayStructure {
  readonly value: number;
  readonly name: string;
  readonly visible: boolean;
}

export interface LabelOverlayState {
  readonly status: 'none' | 'loading' | 'ready' | 'error';
  /** The segmentation shown (the first that goes with the series). */
  readonly segmentation: { readonly seriesUid: string; readonly description: string } | undefined;
  readonly structures: readonly OverlayStructure[];
  readonly shown: boolean;
  readonly opacity: number;
  readonly problems: readonly SegmentationProblem[];
}

/** Overlay opacity by default: the grey-scale anatomy stays readable under the colour (display setting). */
export const DEFAULT_LABEL_OPACITY = 0.45;

function planeOf(series: LoadedSeries, index: number): ImagePlaneGeometry | undefined {
  const m = series.instances[index]?.metadata;
  if (m === undefined) return undefined;
  const ipp = numbers(m, TAG.ImagePositionPatient);
  const iop = numbers(m, TAG.ImageOrientationPatient);
  const spacing = numbers(m, TAG.PixelSpacing);
  const rows = numbers(m, TAG.Rows)[0];
  const columns = numbers(m, TAG.Columns)[0];
  if (ipp.length !== 3 || iop.length !== 6 || spacing.length !== 2 || rows === undefined || columns === undefined) return undefined;
  return {
    position: [ipp[0]!, ipp[1]!, ipp[2]!], rowDirection: [iop[0]!, iop[1]!, iop[2]!], columnDirection: [iop[3]!, iop[4]!, iop[5]!],
    // Pixel Spacing is row spacing (between rows) then column spacing (PS3.3 10.7.1.3).
    rowSpacingMm: spacing[0]!, columnSpacingMm: spacing[1]!, rows, columns,
  };
}

export interface UseLabelOverlayOptions {
  readonly series: LoadedSeries | undefined;
  readonly viewport: () => StackViewport | undefined;
  readonly canvas: React.RefObject<HTMLCanvasElement | null>;
}

export function useLabelOverlay({ series, viewport, canvas }: UseLabelOverlayOptions) {
  const [state, setState] = useState<LabelOverlayState>({ status: 'none', segmentation: undefined, structures: [], shown: true, opacity: DEFAULT_LABEL_OPACITY, problems: [] });
  const stateRef = useRef(state);
  stateRef.current = state;
  const segmentation = useRef<LoadedSegmentation | undefined>(undefined);
  const slices = useRef(new Map<number, Uint16Array>());
  const names = useRef(new Map<number, string>());

  useEffect(() => {
    if (series === undefined) return;
    let cancelled = false;
    segmentation.current = undefined;
    slices.current.clear();
    setState((s) => ({ ...s, status: 'loading', segmentation: undefined, structures: [], problems: [] }));
    findSegmentations(series)
      .then(({ segmentations, problems }) => {
        if (cancelled) return;
        const first = segmentations[0];
        segmentation.current = first;
        names.current = new Map(first?.labelMap.legend.labels.map((l) => [l.value, l.name]) ?? []);
        const present = new Set(first?.segments.map((s) => s.value) ?? []);
        const structures = (first?.labelMap.legend.labels ?? []).filter((l) => present.size === 0 || present.has(l.value)).map((l) => ({ value: l.value, name: l.name, visible: true }));
        setState((s) => ({ ...s, status: first !== undefined ? 'ready' : problems.length > 0 ? 'error' : 'none', segmentation: first !== undefined ? { seriesUid: first.seriesUid, description: first.description } : undefined, structures, problems }));
      })
      .catch((error: unknown) => {
        if (!cancelled) setState((s) => ({ ...s, status: 'error', problems: [{ seriesUid: '', description: '', message: error instanceof Error ? error.message : String(error) }] }));
      });
    return () => {
      cancelled = true;
    };
  }, [series]);

  /** Paints the overlay for the image on screen; call after every rendered frame. */
  const draw = useCallback(() => {
    const el = canvas.current;
    const vp = viewport();
    if (el === null || vp === undefined || series === undefined) return;
    const width = el.clientWidth;
    const height = el.clientHeight;
    if (el.width !== width || el.height !== height) {
      el.width = width;
      el.height = height;
    }
    const ctx = el.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const seg = segmentation.current;
    const current = stateRef.current;
    if (seg === undefined || !current.shown) return;
    const index = vp.getCurrentImageIdIndex();
    const plane = planeOf(series, index);
    const imageId = vp.getCurrentImageId();
    if (plane === undefined || imageId === undefined) return;
    let slice = slices.current.get(index);
    if (slice === undefined) {
      slice = labelSlice(seg.labelMap.volume, plane);
      slices.current.set(index, slice);
    }
    const visible = new Set(current.structures.filter((s) => s.visible).map((s) => s.value));
    const rgba = labelSliceRgba(slice, visible, 255);
    const image = new ImageData(new Uint8ClampedArray(rgba), plane.columns, plane.rows);
    const offscreen = new OffscreenCanvas(plane.columns, plane.rows);
    offscreen.getContext('2d')?.putImageData(image, 0, 0);
    // Image coordinates → canvas: cornerstone's own mapping at three corners of the pixel grid.
    const at = (x: number, y: number): Types.Point2 => vp.worldToCanvas(utilities.imageToWorldCoords(imageId, [x, y]) as Types.Point3);
    const o = at(0, 0);
    const ax = at(1, 0);
    const ay = at(0, 1);
    ctx.setTransform(ax[0] - o[0], ax[1] - o[1], ay[0] - o[0], ay[1] - o[1], o[0], o[1]);
    ctx.imageSmoothingEnabled = false;
    ctx.globalAlpha = current.opacity;
    ctx.drawImage(offscreen, 0, 0);
  }, [canvas, viewport, series]);

  // A change of what is shown repaints at once.
  useEffect(() => {
    draw();
  }, [state.structures, state.shown, state.opacity, state.status, draw]);

  const toggle = useCallback((value: number) => {
    setState((s) => ({ ...s, structures: s.structures.map((x) => (x.value === value ? { ...x, visible: !x.visible } : x)) }));
  }, []);
  const setAll = useCallback((visible: boolean) => {
    setState((s) => ({ ...s, structures: s.structures.map((x) => ({ ...x, visible })) }));
  }, []);
  const setShown = useCallback((shown: boolean) => setState((s) => ({ ...s, shown })), []);
  const setOpacity = useCallback((opacity: number) => setState((s) => ({ ...s, opacity })), []);

  /** The structure at an LPS point (its name), or undefined outside every label. */
  const structureAt = useCallback((point: Vec3): string | undefined => {
    const seg = segmentation.current;
    if (seg === undefined) return undefined;
    const value = labelAt(seg.labelMap.volume, point);
    return value === 0 ? undefined : names.current.get(value) ?? `label ${value}`;
  }, []);

  return { state, draw, toggle, setAll, setShown, setOpacity, structureAt };
}
