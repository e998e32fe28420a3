import { KeyholeError } from '../../errors/keyhole-error.ts';
import { mat3FromColumns } from '../../geometry/matrix.ts';
import { add, cross, dot, normalize, scale, sub, type Vec3 } from '../../geometry/vec3.ts';
import type { SpineScene } from '../anatomy/types.ts';
import type { ImagingModality } from './contrast.ts';
import { scannerAxes, type PatientPositionName } from './patient-position.ts';
import type { ImagingGrid } from './synthesize.ts';

/**
 * Acquisition protocols: where the scanner puts its voxels. Each protocol is planned on the
 * scene the way a technologist plans on a localiser, and gives one grid per stack plus what the
 * DICOM header needs to know about it.
 *
 * - `sagittal`: a 2D stack through the canal and foramina. MR: 0.6 × 0.6 mm pixels, 4 mm slices
 *   every 4.4 mm (a 10 % gap, as lumbar T1/T2 TSE protocols use), 15 slices. CT: a 2 mm
 *   sagittal reconstruction, 0.7 mm pixels.
 * - `axial-angled`: one stack per lumbar disc, parallel to the disc's mid-plane (its normal from
 *   `scene.discs[].normal`), 5 contiguous slices of 4 mm (MR) or 3 mm (CT), 0.7 mm pixels,
 *   200 mm field of view. Each stack is its own volume and, by default, its own series (one
 *   DICOM series per stack, numbered <protocol series>·100 + n). Scanners often put all blocks of
 *   an angled acquisition in one series instead; `generatePhantomStudy` offers that too
 *   (`axialSeries: 'single'`), so that a reader must split a series by orientation.
 * - `3d`: isotropic voxels. CT (default): axial 1.0 mm, a 200 mm field of view targeted on the
 *   spine. MR: a sagittal 3D acquisition, 1.0 mm isotropic.
 *
 * In-plane axes follow the scanner frame of the patient position (see patient-position.ts):
 * axial planes take rows along the scanner's x and columns along its y (toward the floor), tilted
 * into the disc plane for angled stacks; sagittal planes take columns toward the feet (−z) and
 * rows along whichever of the scanner's x or y lies in the plane, in its positive sense.
 * The slice axis k is always row × column (a right-handed grid), so slices run superior for
 * axial stacks.
 */
export type ProtocolName = 'sagittal' | 'axial-angled' | '3d';

export const PROTOCOLS: readonly ProtocolName[] = ['sagittal', 'axial-angled', '3d'];

export interface GridOverride {
  /** Voxels along i, j, k; replaces the protocol's matrix and number of slices (every stack). */
  readonly size?: readonly number[];
  /** Spacing (mm) along i, j, k; for 2D stacks the slice thickness follows spacing_k unless `sliceThicknessMm` is given. */
  readonly spacing?: readonly number[];
  readonly sliceThicknessMm?: number;
}

export interface AcquisitionPlan {
  /** SeriesDescription, e.g. `T2 TSE SAG`, `T2 TSE AX L4-L5`. */
  readonly description: string;
  readonly seriesNumber: number;
  readonly grid: ImagingGrid;
  /** Nominal slice thickness (mm). */
  readonly sliceThicknessMm: number;
  readonly acquisitionType: '2D' | '3D';
  /** For angled stacks: the disc the stack is parallel to. */
  readonly disc?: string;
}

/** The parts of a scene the planning reads (a stand-in scene in tests needs only these). */
export type PlanningScene = Pick<SpineScene, 'vertebrae' | 'discs' | 'bounds' | 'canal'>;

export interface PlanAcquisitionOptions {
  readonly scene: PlanningScene;
  readonly modality: ImagingModality;
  readonly protocol: ProtocolName;
  readonly position: PatientPositionName;
  readonly grid?: GridOverride;
}

interface StackRecipe {
  readonly row: Vec3;
  readonly column: Vec3;
  readonly centre: Vec3;
  /** Field of view along row and column (mm), and slices along k. */
  readonly fovRowMm: number;
  readonly fovColumnMm: number;
  readonly pixelMm: readonly [number, number];
  readonly slices: number;
  readonly sliceSpacingMm: number;
  readonly sliceThicknessMm: number;
}

export function planAcquisition(options: PlanAcquisitionOptions): AcquisitionPlan[] {
  const { scene, modality, protocol, position } = options;
  if (scene.vertebrae.length === 0) throw new KeyholeError('INVALID_ARGUMENT', { message: 'the scene has no vertebrae to plan an acquisition on' });
  const axes = scannerAxes(position);
  const ct = modality === 'ct';
  const weighting = modality === 'mr-t1' ? 'T1' : 'T2';
  const extent = spineExtent(scene);
  switch (protocol) {
    case 'sagittal': {
      const recipe = sagittalRecipe(axes, extent, ct ? { pixel: 0.7, thickness: 2, spacing: 2, slices: 35 } : { pixel: 0.6, thickness: 4, spacing: 4.4, slices: 15 });
      const description = ct ? 'CT LSPINE SAG {slice} mm' : `${weighting} TSE SAG`;
      return [plan(recipe, options.grid, { description, seriesNumber: ct ? 3 : weighting === 'T1' ? 5 : 6, acquisitionType: ct ? '3D' : '2D' })];
    }
    case '3d': {
      if (ct) {
        const centre: Vec3 = [extent.midlineX, extent.bodyCentreY + 15, extent.centreZ];
        const recipe: StackRecipe = {
          row: axes.x, column: axes.y, centre, fovRowMm: 200, fovColumnMm: 200, pixelMm: [1, 1],
          slices: Math.ceil(extent.lengthZ / 1), sliceSpacingMm: 1, sliceThicknessMm: 1,
        };
        return [plan(recipe, options.grid, { description: 'CT LSPINE 3D {slice} mm', seriesNumber: 2, acquisitionType: '3D' })];
      }
      const recipe = sagittalRecipe(axes, extent, { pixel: 1, thickness: 1, spacing: 1, slices: 80 });
      return [plan(recipe, options.grid, { description: `${weighting} SPACE SAG 3D {slice} mm`, seriesNumber: weighting === 'T1' ? 9 : 10, acquisitionType: '3D' })];
    }
    case 'axial-angled': {
      const discs = scene.discs.filter((d) => /^(L|S)/.test(d.lower) || d.lower === 'sacrum');
      if (discs.length === 0) throw new KeyholeError('INVALID_ARGUMENT', { message: 'the scene has no lumbar discs to angle axial stacks on' });
      const base = ct ? 4 : weighting === 'T1' ? 7 : 8;
      return discs.map((disc, n) => {
        const normal = normalize(disc.normal);
        const row = normalize(sub(axes.x, scale(normal, dot(axes.x, normal))));
        const column = cross(normal, row);
        const centre = add(disc.centre, scale(normalize(disc.posterior), 20));
        const thickness = ct ? 3 : 4;
        const recipe: StackRecipe = { row, column, centre, fovRowMm: 200, fovColumnMm: 200, pixelMm: [0.7, 0.7], slices: 5, sliceSpacingMm: thickness, sliceThicknessMm: thickness };
        return plan(recipe, options.grid, {
          description: ct ? `CT LSPINE AX ${disc.name}` : `${weighting} TSE AX ${disc.name}`,
          seriesNumber: base * 100 + n + 1, acquisitionType: '2D', disc: disc.name,
        });
      });
    }
  }
}

interface SpineExtent {
  readonly midlineX: number;
  readonly centreZ: number;
  readonly lengthZ: number;
  /** LPS y of the front of the vertebral bodies, less a margin (the anterior edge of a sagittal FOV). */
  readonly anteriorY: number;
  /** LPS y of the skin of the back plus a margin. */
  readonly posteriorY: number;
  readonly bodyCentreY: number;
}

function spineExtent(scene: PlanningScene): SpineExtent {
  const zs = scene.vertebrae.map((v) => v.centroid[2]);
  const top = Math.max(...zs) + 30;
  const bottom = Math.min(...zs) - 30;
  const xs = scene.canal.length > 0 ? scene.canal.map((p) => p[0]) : scene.vertebrae.map((v) => v.centroid[0]);
  const anteriorY = Math.min(...scene.vertebrae.map((v) => v.centroid[1] - v.body.depthMm / 2)) - 45;
  return {
    midlineX: xs.reduce((a, b) => a + b, 0) / xs.length,
    centreZ: (top + bottom) / 2,
    lengthZ: top - bottom,
    anteriorY,
    posteriorY: scene.bounds.max[1] + 5,
    bodyCentreY: scene.vertebrae.map((v) => v.centroid[1]).reduce((a, b) => a + b, 0) / scene.vertebrae.length,
  };
}

function sagittalRecipe(
  axes: { x: Vec3; y: Vec3; z: Vec3 },
  extent: SpineExtent,
  spec: { pixel: number; thickness: number; spacing: number; slices: number },
): StackRecipe {
  const left: Vec3 = [1, 0, 0];
  // The scanner axis (x or y) that lies in the patient's sagittal plane, in its positive sense.
  const row = Math.abs(dot(axes.x, left)) < Math.abs(dot(axes.y, left)) ? axes.x : axes.y;
  const column = scale(axes.z, -1);
  const centre: Vec3 = [extent.midlineX, (extent.anteriorY + extent.posteriorY) / 2, extent.centreZ];
  return {
    row, column, centre,
    fovRowMm: extent.posteriorY - extent.anteriorY,
    fovColumnMm: extent.lengthZ,
    pixelMm: [spec.pixel, spec.pixel],
    slices: spec.slices, sliceSpacingMm: spec.spacing, sliceThicknessMm: spec.thickness,
  };
}

function plan(
  recipe: StackRecipe,
  override: GridOverride | undefined,
  header: { description: string; seriesNumber: number; acquisitionType: '2D' | '3D'; disc?: string },
): AcquisitionPlan {
  const spacing: Vec3 = override?.spacing !== undefined
    ? checkedVec3('grid.spacing', override.spacing, false)
    : [recipe.pixelMm[0], recipe.pixelMm[1], recipe.sliceSpacingMm];
  const size: Vec3 = override?.size !== undefined
    ? checkedVec3('grid.size', override.size, true)
    : [Math.max(1, Math.ceil(recipe.fovRowMm / spacing[0])), Math.max(1, Math.ceil(recipe.fovColumnMm / spacing[1])), recipe.slices];
  const thickness = override?.sliceThicknessMm ?? (override?.spacing !== undefined ? spacing[2] : recipe.sliceThicknessMm);
  const k = cross(recipe.row, recipe.column);
  // Centre the grid on the recipe's centre: origin is the centre of voxel (0, 0, 0).
  const origin = sub(
    recipe.centre,
    add(add(scale(recipe.row, ((size[0] - 1) / 2) * spacing[0]), scale(recipe.column, ((size[1] - 1) / 2) * spacing[1])), scale(k, ((size[2] - 1) / 2) * spacing[2])),
  );
  return {
    // `{slice}` in a description becomes the slice thickness actually used (overrides included).
    description: header.description.replace('{slice}', thickness.toFixed(1)),
    seriesNumber: header.seriesNumber,
    grid: { size, spacing, origin, direction: mat3FromColumns(recipe.row, recipe.column, k) },
    sliceThicknessMm: thickness,
    acquisitionType: header.acquisitionType,
    ...(header.disc !== undefined ? { disc: header.disc } : {}),
  };
}

function checkedVec3(path: string, values: readonly number[], integer: boolean): Vec3 {
  const ok = values.length === 3 && values.every((v) => Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v)));
  if (!ok) {
    throw new KeyholeError('VALIDATION_FAILED', { path, message: `expected three positive ${integer ? 'whole numbers' : 'numbers'}, got [${values.join(', ')}]` });
  }
  return [values[0]!, values[1]!, values[2]!];
}
