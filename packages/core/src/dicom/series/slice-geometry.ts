/**
 * THE one place where DICOM slice headers become volume geometry.
 *
 * Inputs are small per-slice records (ImagePositionPatient, ImageOrientationPatient, PixelSpacing,
 * Rows, Columns) — nothing here parses DICOM or decodes pixels, so it is tested on synthetic stacks.
 *
 * Conventions (PS3.3 C.7.6.2.1.1, "Image Position and Image Orientation"):
 * - IOP[0..2] is the LPS direction of the first row, i.e. the direction of INCREASING COLUMN index
 *   (our voxel axis i); IOP[3..5] is the direction down the first column, i.e. of increasing ROW
 *   index (voxel axis j).
 * - PixelSpacing is [row spacing, column spacing] (PS3.3 10.7.1.3): the FIRST value is the distance
 *   between adjacent ROWS (so it is the spacing along j), the second the distance between adjacent
 *   COLUMNS (spacing along i). cornerstone3D once used the two opposite ways in two places; here the
 *   swap happens once, below, and is tested with non-square pixels.
 * - The slice normal is row × column cosines; slices are ordered by the projection of their IPP on
 *   that normal, so voxel axis k points along +normal and (i, j, k) is right-handed.
 * - Slice spacing comes from EVERY slice position (median of the gaps along the normal), never from
 *   SliceThickness, which is the reconstructed slab width and may differ from the spacing (overlapping
 *   or gapped reconstructions). Only a single-slice image, which has no neighbour, takes its
 *   thickness along the normal from SpacingBetweenSlices, else SliceThickness, else 1 mm (with a warning).
 * - Patient position (HFS, FFS, HFP, HFDL, …) is never used: IPP/IOP already express the image in
 *   patient coordinates whatever the patient's posture, so flipping by PatientPosition would be wrong.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { mat3FromColumns, type Mat3 } from '../../geometry/matrix.ts';
import { add, cross, dot, norm, scale, sub, type Vec3 } from '../../geometry/vec3.ts';

/** What geometry needs to know about one 2D slice (a classic instance or one frame of a multi-frame). */
export interface SlicePlacement {
  /** Where the slice came from (`file`, or `file [frame 3]`); every message names it. */
  readonly source: string;
  /** ImagePositionPatient: LPS centre of the first transmitted pixel (mm). */
  readonly position: Vec3;
  /** IOP[0..2]: LPS unit vector along a row (direction of increasing column index i). */
  readonly rowCosines: Vec3;
  /** IOP[3..5]: LPS unit vector down a column (direction of increasing row index j). */
  readonly columnCosines: Vec3;
  /** PixelSpacing exactly as DICOM stores it: [row spacing (along j), column spacing (along i)] in mm. */
  readonly pixelSpacing: readonly [number, number];
  readonly rows: number;
  readonly columns: number;
  /** GantryDetectorTilt (0018,1120) in degrees, when the header has it. Reported only; positions rule. */
  readonly gantryTiltDeg?: number;
  readonly sliceThickness?: number;
  readonly spacingBetweenSlices?: number;
}

/** Geometry of a voxel grid, the part of a Volume that `createVolume` needs besides data. */
export interface VolumeGrid {
  readonly size: Vec3;
  readonly spacing: Vec3;
  readonly origin: Vec3;
  /** Row-major 3×3, columns = LPS unit vectors of i, j, k (the Volume convention). */
  readonly direction: Mat3;
}

/**
 * How far a slice gap may stray from the median gap before the stack counts as uneven: the larger of
 * `relative × median` and `absoluteMm`. The defaults (1 %, 0.01 mm) absorb the 5–6 significant digits
 * that scanners write in DS values, and catch any real gap or overlap.
 */
export interface SpacingTolerance {
  readonly relative: number;
  readonly absoluteMm: number;
}

export const DEFAULT_SPACING_TOLERANCE: SpacingTolerance = { relative: 0.01, absoluteMm: 0.01 };

/**
 * In-plane drift of slice origins (mm, perpendicular to the slice normal) above which a stack is
 * sheared (gantry tilt). 0.01 mm is far below any pixel and above DS rounding for ordinary stacks.
 */
export const DEFAULT_SHEAR_TOLERANCE_MM = 0.01;

/** Orientation vectors may deviate from unit length / orthogonality by this much (DS rounding). */
export const ORIENTATION_TOLERANCE = 1e-3;

export interface StackGeometryOptions<T extends SlicePlacement> {
  readonly slices: readonly T[];
  readonly spacingTolerance?: SpacingTolerance;
  /**
   * Missing slices or uneven spacing: `refuse` (default) throws DICOM_SLICES_MISSING, because a
   * surgical plan on a volume with a silent hole is dangerous; `resample` interpolates onto a uniform
   * grid along the normal (the caller has accepted interpolation across the gap).
   */
  readonly irregularSpacing?: 'refuse' | 'resample';
  /**
   * Sheared stacks (gantry tilt): `resample` (default) resamples every slice onto an untilted grid,
   * as dcm2niix does for its `_Tilt_1` output; `refuse` throws DICOM_GANTRY_TILT.
   *
   * Why resample by default: the correction only moves each slice within its own plane by the offset
   * its own IPP states, so no geometry is guessed and the anatomy stays where the scanner put it;
   * the only cost is in-plane linear interpolation. Refusing would block tilted spine CT (often angled
   * along the disc spaces), and using the sheared stack as if it were orthogonal is the real danger,
   * which neither option does. The result's warnings say the correction happened.
   */
  readonly gantryTilt?: 'resample' | 'refuse';
  readonly shearToleranceMm?: number;
}

export type ResampleReason = 'gantry-tilt' | 'irregular-spacing';

/**
 * `direct`: output slice k is sorted input slice k, pixel for pixel.
 * `resample`: the voxels must be interpolated from the input planes (see resample-stack.ts).
 */
export type StackSampling = { readonly kind: 'direct' } | { readonly kind: 'resample'; readonly reasons: readonly ResampleReason[] };

export interface SpacingIrregularity {
  readonly kind: 'missing' | 'uneven';
  /** Sources of the two slices on either side of the gap. */
  readonly between: readonly [string, string];
  readonly gapMm: number;
  /** For `missing`: how many slices the gap could hold. */
  readonly missingSlices?: number;
}

export interface SpacingReport {
  readonly medianMm: number;
  readonly minMm: number;
  readonly maxMm: number;
  readonly irregularities: readonly SpacingIrregularity[];
}

export interface StackGeometryResult<T extends SlicePlacement> {
  /** The input slices sorted along the normal (k order). */
  readonly slices: readonly T[];
  readonly grid: VolumeGrid;
  readonly sampling: StackSampling;
  /** Orthonormalised axes: i (row cosines), j (column cosines), k (normal). */
  readonly axes: readonly [Vec3, Vec3, Vec3];
  /** Position of each sorted slice along the normal, relative to the first (mm). */
  readonly sliceOffsetsMm: readonly number[];
  readonly spacing: SpacingReport;
  /** Angle (degrees) between the slice progression and the normal; 0 for an untilted stack. */
  readonly shearAngleDeg: number;
  readonly warnings: readonly string[];
}

function sameVector(a: Vec3, b: Vec3, tolerance: number): boolean {
  return Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance && Math.abs(a[2] - b[2]) <= tolerance;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Validates IOP and returns orthonormal row, column and normal vectors (Gram–Schmidt on the column). */
export function orthonormalAxes(slice: Pick<SlicePlacement, 'rowCosines' | 'columnCosines' | 'source'>): [Vec3, Vec3, Vec3] {
  const { rowCosines: r, columnCosines: c } = slice;
  const bad = (problem: string): never => {
    throw new KeyholeError('GEOMETRY_INVALID', {
      file: slice.source,
      message: `ImageOrientationPatient [${[...r, ...c].join(', ')}] ${problem}`,
      details: { imageOrientationPatient: [...r, ...c] },
    });
  };
  if (![...r, ...c].every(Number.isFinite)) bad('is not six finite numbers');
  if (Math.abs(norm(r) - 1) > ORIENTATION_TOLERANCE || Math.abs(norm(c) - 1) > ORIENTATION_TOLERANCE) bad('has non-unit direction cosines');
  if (Math.abs(dot(r, c)) > ORIENTATION_TOLERANCE) bad('has row and column directions that are not perpendicular');
  const row = scale(r, 1 / norm(r));
  const colRaw = sub(c, scale(row, dot(c, row)));
  const col = scale(colRaw, 1 / norm(colRaw));
  const n = cross(row, col);
  return [row, col, scale(n, 1 / norm(n))];
}

function checkConsistent(slices: readonly SlicePlacement[]): void {
  const ref = slices[0]!;
  const differing: { source: string; what: string }[] = [];
  for (const s of slices) {
    const what: string[] = [];
    if (s.rows !== ref.rows || s.columns !== ref.columns) what.push(`size ${s.columns}×${s.rows} instead of ${ref.columns}×${ref.rows}`);
    if (!sameVector(s.rowCosines, ref.rowCosines, ORIENTATION_TOLERANCE) || !sameVector(s.columnCosines, ref.columnCosines, ORIENTATION_TOLERANCE)) {
      what.push('a different orientation');
    }
    const psTol = 1e-3 * Math.max(ref.pixelSpacing[0], ref.pixelSpacing[1]);
    if (Math.abs(s.pixelSpacing[0] - ref.pixelSpacing[0]) > psTol || Math.abs(s.pixelSpacing[1] - ref.pixelSpacing[1]) > psTol) {
      what.push(`pixel spacing ${s.pixelSpacing.join('\\')} instead of ${ref.pixelSpacing.join('\\')}`);
    }
    if (what.length > 0) differing.push({ source: s.source, what: what.join(', ') });
  }
  if (differing.length > 0) {
    throw new KeyholeError('DICOM_SERIES_INCONSISTENT', {
      file: ref.source,
      message: `${differing.length} slice(s) differ from this one: ${differing.slice(0, 5).map((d) => `${d.source} has ${d.what}`).join('; ')}${differing.length > 5 ? ' …' : ''}`,
      details: { differing },
    });
  }
}

function checkPixelSpacing(slice: SlicePlacement): void {
  if (!slice.pixelSpacing.every((v) => Number.isFinite(v) && v > 0)) {
    throw new KeyholeError('GEOMETRY_INVALID', { file: slice.source, message: `PixelSpacing ${slice.pixelSpacing.join('\\')} is not two positive numbers` });
  }
  if (!(slice.rows > 0 && slice.columns > 0)) {
    throw new KeyholeError('GEOMETRY_INVALID', { file: slice.source, message: `image size ${slice.columns}×${slice.rows} is empty` });
  }
}

/** Single slice: thickness along the normal from SpacingBetweenSlices, else SliceThickness, else 1 mm. */
function singleSliceThickness(slice: SlicePlacement, warnings: string[]): number {
  const candidates = [slice.spacingBetweenSlices, slice.sliceThickness];
  for (const value of candidates) if (value !== undefined && Number.isFinite(value) && value > 0) return value;
  warnings.push(`${slice.source}: single slice without SliceThickness or SpacingBetweenSlices; 1 mm assumed along the normal`);
  return 1;
}

/** Whole-pixel extension (lower ≤ 0, upper ≥ 0, along i and j) that covers every slice's in-plane offset. */
function inPlaneGrowth(slices: readonly SlicePlacement[], origin: Vec3, row: Vec3, col: Vec3, inPlane: readonly [number, number]): { lo: [number, number]; hi: [number, number] } {
  const eps = 1e-6;
  const lo: [number, number] = [0, 0];
  const hi: [number, number] = [0, 0];
  for (const s of slices) {
    const d = sub(s.position, origin);
    const offsets = [dot(d, row) / inPlane[0], dot(d, col) / inPlane[1]];
    for (const a of [0, 1] as const) {
      lo[a] = Math.min(lo[a], Math.floor(offsets[a]! + eps));
      hi[a] = Math.max(hi[a], Math.ceil(offsets[a]! - eps));
    }
  }
  return { lo, hi };
}

/**
 * Turns a stack of slices into a voxel grid: sorts them along the normal, measures the spacing from
 * every position, checks uniformity, duplicates, gaps and shear, and says whether the voxels can be
 * copied slice by slice or must be resampled.
 *
 * Throws DICOM_SERIES_INCONSISTENT (sizes/orientations/spacings differ, duplicate positions),
 * DICOM_SLICES_MISSING (gaps or uneven spacing, unless `irregularSpacing: 'resample'`),
 * DICOM_GANTRY_TILT (sheared stack with `gantryTilt: 'refuse'`), GEOMETRY_INVALID (bad IOP/spacing).
 */
export function computeStackGeometry<T extends SlicePlacement>(options: StackGeometryOptions<T>): StackGeometryResult<T> {
  const { slices } = options;
  const tolerance = options.spacingTolerance ?? DEFAULT_SPACING_TOLERANCE;
  const shearTolerance = options.shearToleranceMm ?? DEFAULT_SHEAR_TOLERANCE_MM;
  const warnings: string[] = [];
  const first = slices[0];
  if (first === undefined) throw new KeyholeError('INVALID_ARGUMENT', { message: 'no slices to build a volume from' });
  for (const s of slices) checkPixelSpacing(s);
  checkConsistent(slices);
  const axes = orthonormalAxes(first);
  const [row, col, normal] = axes;

  const withOffset = slices.map((slice) => ({ slice, s: dot(slice.position, normal) }));
  withOffset.sort((a, b) => a.s - b.s || (a.slice.source < b.slice.source ? -1 : a.slice.source > b.slice.source ? 1 : 0));
  const sorted = withOffset.map((x) => x.slice);
  const base = withOffset[0]!.s;
  const offsets = withOffset.map((x) => x.s - base);
  const origin = sorted[0]!.position;
  const inPlane: [number, number] = [first.pixelSpacing[1], first.pixelSpacing[0]]; // [along i, along j]

  const tilts = slices.map((s) => s.gantryTiltDeg).filter((t): t is number => t !== undefined && Number.isFinite(t) && t !== 0);

  if (sorted.length === 1) {
    const thickness = singleSliceThickness(first, warnings);
    return {
      slices: sorted,
      grid: { size: [first.columns, first.rows, 1], spacing: [inPlane[0], inPlane[1], thickness], origin, direction: mat3FromColumns(row, col, normal) },
      sampling: { kind: 'direct' },
      axes,
      sliceOffsetsMm: [0],
      spacing: { medianMm: thickness, minMm: thickness, maxMm: thickness, irregularities: [] },
      shearAngleDeg: 0,
      warnings,
    };
  }

  // Duplicates: same position along the normal AND in plane. Splitting by other keys (echo, time)
  // is the caller's job (split-series.ts); here a duplicate means the stack is not one volume.
  const gaps = offsets.slice(1).map((o, k) => o - offsets[k]!);
  const duplicates: [string, string][] = [];
  gaps.forEach((gap, k) => {
    if (gap <= tolerance.absoluteMm) duplicates.push([sorted[k]!.source, sorted[k + 1]!.source]);
  });
  if (duplicates.length > 0) {
    throw new KeyholeError('DICOM_SERIES_INCONSISTENT', {
      file: duplicates[0]![0],
      message: `${duplicates.length} pair(s) of slices share one position and nothing in the headers tells them apart: ${duplicates.slice(0, 5).map(([a, b]) => `${a} = ${b}`).join('; ')}`,
      details: { duplicates },
    });
  }

  const medianGap = median(gaps);
  const allowed = Math.max(tolerance.relative * medianGap, tolerance.absoluteMm);
  const irregularities: SpacingIrregularity[] = [];
  gaps.forEach((gap, k) => {
    if (Math.abs(gap - medianGap) <= allowed) return;
    const between: [string, string] = [sorted[k]!.source, sorted[k + 1]!.source];
    const multiple = Math.round(gap / medianGap);
    if (multiple >= 2 && Math.abs(gap - multiple * medianGap) <= allowed * multiple) {
      irregularities.push({ kind: 'missing', between, gapMm: gap, missingSlices: multiple - 1 });
    } else {
      irregularities.push({ kind: 'uneven', between, gapMm: gap });
    }
  });
  const spacingReport: SpacingReport = { medianMm: medianGap, minMm: Math.min(...gaps), maxMm: Math.max(...gaps), irregularities };
  const reasons: ResampleReason[] = [];
  if (irregularities.length > 0) {
    const described = irregularities
      .slice(0, 5)
      .map((g) =>
        g.kind === 'missing'
          ? `${g.missingSlices} slice(s) missing between ${g.between[0]} and ${g.between[1]} (gap ${g.gapMm.toFixed(3)} mm)`
          : `uneven gap of ${g.gapMm.toFixed(3)} mm between ${g.between[0]} and ${g.between[1]}`,
      )
      .join('; ');
    const summary = `median slice spacing ${medianGap.toFixed(4)} mm, but ${described}${irregularities.length > 5 ? ' …' : ''}`;
    if ((options.irregularSpacing ?? 'refuse') === 'refuse') {
      throw new KeyholeError('DICOM_SLICES_MISSING', { file: sorted[0]!.source, message: summary, details: { spacing: spacingReport } });
    }
    warnings.push(`resampled onto a uniform grid: ${summary}`);
    reasons.push('irregular-spacing');
  }

  // Shear: the part of each slice's offset from the first that lies IN the image plane.
  let maxDrift = 0;
  for (const s of sorted) {
    const d = sub(s.position, origin);
    maxDrift = Math.max(maxDrift, Math.hypot(dot(d, row), dot(d, col)));
  }
  const last = sub(sorted[sorted.length - 1]!.position, origin);
  const extent = offsets[offsets.length - 1]!;
  const shearAngleDeg = (Math.atan2(Math.hypot(dot(last, row), dot(last, col)), extent) * 180) / Math.PI;
  if (maxDrift > shearTolerance) {
    const header = tilts.length > 0 ? ` (GantryDetectorTilt ${tilts[0]}°)` : '';
    const message = `slice origins drift ${maxDrift.toFixed(3)} mm within the image plane over ${extent.toFixed(1)} mm: a sheared (gantry-tilted) stack, ${shearAngleDeg.toFixed(2)}° from the slice normal${header}`;
    if ((options.gantryTilt ?? 'resample') === 'refuse') {
      throw new KeyholeError('DICOM_GANTRY_TILT', { file: sorted[0]!.source, message, details: { shearAngleDeg, maxDriftMm: maxDrift } });
    }
    warnings.push(`resampled onto an untilted grid: ${message}`);
    reasons.push('gantry-tilt');
  } else if (tilts.length > 0) {
    warnings.push(
      `GantryDetectorTilt is ${tilts[0]}° but the slice positions lie along the slice normal; the tilt is already expressed by ImageOrientationPatient, so no correction is needed`,
    );
  }

  const count = reasons.includes('irregular-spacing') ? Math.round(extent / medianGap) + 1 : sorted.length;
  const sliceSpacing = extent / (count - 1);
  // A sheared stack's slices cover a wider in-plane area than one slice: the grid grows (in whole
  // pixels, first slice fixed) to cover every slice, as dcm2niix's tilt correction does, so that no
  // anatomy is cut off. Untilted stacks keep exactly the slice's own extent.
  const growth: { lo: [number, number]; hi: [number, number] } = reasons.includes('gantry-tilt')
    ? inPlaneGrowth(sorted, origin, row, col, inPlane)
    : { lo: [0, 0], hi: [0, 0] };
  const gridOrigin = add(origin, add(scale(row, inPlane[0] * growth.lo[0]), scale(col, inPlane[1] * growth.lo[1])));
  return {
    slices: sorted,
    grid: {
      size: [first.columns + growth.hi[0] - growth.lo[0], first.rows + growth.hi[1] - growth.lo[1], count],
      spacing: [inPlane[0], inPlane[1], sliceSpacing],
      origin: gridOrigin,
      direction: mat3FromColumns(row, col, normal),
    },
    sampling: reasons.length > 0 ? { kind: 'resample', reasons } : { kind: 'direct' },
    axes,
    sliceOffsetsMm: offsets,
    spacing: spacingReport,
    shearAngleDeg: maxDrift > shearTolerance ? shearAngleDeg : 0,
    warnings,
  };
}
