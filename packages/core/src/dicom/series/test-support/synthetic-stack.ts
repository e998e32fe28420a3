/**
 * Synthetic slice stacks for geometry tests: a stack is described by its parameters (orientation,
 * pixel spacing, slice positions) and expanded into per-slice records, in the spirit of
 * cornerstone3D's parameter-encoded test images.
 */
import { add, cross, scale, type Vec3 } from '../../../geometry/vec3.ts';
import type { SlicePlacement } from '../slice-geometry.ts';

export interface SyntheticStackSpec {
  /** IOP as DICOM writes it: row cosines then column cosines. */
  readonly orientation: readonly [number, number, number, number, number, number];
  /** [row spacing, column spacing] as in PixelSpacing. */
  readonly pixelSpacing: readonly [number, number];
  readonly rows: number;
  readonly columns: number;
  /** Position of the first slice. */
  readonly origin: Vec3;
  /** Offsets of each slice along the normal (mm), in acquisition order (need not be sorted). */
  readonly offsetsMm: readonly number[];
  /** Extra in-plane drift per mm along the normal (gantry tilt): added along the column direction. */
  readonly shearPerMm?: number;
  readonly gantryTiltDeg?: number;
  readonly sliceThickness?: number;
}

export function syntheticStack(spec: SyntheticStackSpec): SlicePlacement[] {
  const row: Vec3 = [spec.orientation[0], spec.orientation[1], spec.orientation[2]];
  const col: Vec3 = [spec.orientation[3], spec.orientation[4], spec.orientation[5]];
  const normal = cross(row, col);
  return spec.offsetsMm.map((offset, n) => ({
    source: `slice-${String(n + 1).padStart(3, '0')}.dcm`,
    position: add(add(spec.origin, scale(normal, offset)), scale(col, offset * (spec.shearPerMm ?? 0))),
    rowCosines: row,
    columnCosines: col,
    pixelSpacing: spec.pixelSpacing,
    rows: spec.rows,
    columns: spec.columns,
    ...(spec.gantryTiltDeg !== undefined ? { gantryTiltDeg: spec.gantryTiltDeg } : {}),
    ...(spec.sliceThickness !== undefined ? { sliceThickness: spec.sliceThickness } : {}),
  }));
}

/** Offsets 0, step, 2·step, … (n values). */
export function evenOffsets(n: number, step: number): number[] {
  return Array.from({ length: n }, (_, k) => k * step);
}
