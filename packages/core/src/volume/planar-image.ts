/**
 * PlanarImage: the 2D sibling of Volume, for projection images — single radiographs (CR, DX),
 * multi-frame X-ray angiography and fluoroscopy (XA, RF), intra-operative C-arm shots — and any
 * image without a place in patient space (secondary captures).
 *
 * Conventions follow Volume wherever they can:
 * - pixel axes are i (along a row, column index) and j (down a column, row index);
 *   `data[i + ni * (j + nj * f)]` with f the frame (i fastest);
 * - `spacing` is [along i, along j] in mm — the OPPOSITE order of DICOM's PixelSpacing
 *   ([row spacing, column spacing]); the swap happens once, where the header is read;
 * - `placement`, when the header has ImagePositionPatient/ImageOrientationPatient, places the pixel
 *   plane in LPS exactly as a Volume slice would be placed.
 *
 * What makes projection images different is WHERE the spacing is true. A projection magnifies:
 * ImagerPixelSpacing is the pixel pitch at the detector (PS3.3 C.8.11.4), so an object at the
 * patient appears larger by the magnification SID/SOD. `spacingPlane` says which plane the spacing
 * belongs to and `spacingSource` where it came from, so measurement tools can refuse or warn instead
 * of silently measuring at the detector (IHE Mammography Image / "Radiographic pixel spacing" rules,
 * PS3.3 10.7.1.3 "Pixel Spacing Value Order and Valid Values").
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import type { Vec3 } from '../geometry/vec3.ts';
import type { VoxelUnit } from './volume.ts';
import type { VoxelArray } from './voxel-array.ts';

/** Where `spacing` came from. */
export type PlanarSpacingSource =
  /** PixelSpacing (0028,0030) with a PixelSpacingCalibrationType: calibrated at the patient (GEOMETRY or FIDUCIAL). */
  | 'calibrated-pixel-spacing'
  /** ImagerPixelSpacing divided by EstimatedRadiographicMagnificationFactor (0018,1114). */
  | 'imager-spacing-corrected-by-estimated-magnification'
  /** ImagerPixelSpacing divided by DistanceSourceToDetector / DistanceSourceToPatient. */
  | 'imager-spacing-corrected-by-source-distances'
  /** ImagerPixelSpacing (0018,1164) as is: true at the detector only. */
  | 'imager-spacing'
  /** PixelSpacing of a cross-sectional or secondary image. */
  | 'pixel-spacing'
  /** NominalScannedPixelSpacing (0018,2010) of a digitised film. */
  | 'nominal-scanned-spacing'
  /** No spacing in the header: 1 mm assumed, measurements meaningless. */
  | 'none';

export interface PlanarPlacement {
  /** LPS centre of pixel (0, 0) (ImagePositionPatient). */
  readonly origin: Vec3;
  /** LPS unit vector along i (IOP[0..2]). */
  readonly iDirection: Vec3;
  /** LPS unit vector along j (IOP[3..5]). */
  readonly jDirection: Vec3;
}

export interface PlanarImage {
  readonly kind: 'planar';
  /** [ni (columns), nj (rows)]. */
  readonly size: readonly [number, number];
  /** [along i, along j] in mm, in the plane `spacingPlane` names. */
  readonly spacing: readonly [number, number];
  readonly spacingSource: PlanarSpacingSource;
  /** `patient`: true at the patient (calibrated or corrected); `detector`: true at the detector only; `unknown`. */
  readonly spacingPlane: 'patient' | 'detector' | 'unknown';
  /** Geometric magnification used to correct detector spacing, when known (≥ 1). */
  readonly magnification?: number;
  readonly placement?: PlanarPlacement;
  readonly frameCount: number;
  /** Time between frames (FrameTime, ms) for cine/fluoroscopy, when given. */
  readonly frameTimeMs?: number;
  readonly data: VoxelArray;
  readonly units: VoxelUnit;
  readonly label?: string;
}

export type PlanarImageInit = Omit<PlanarImage, 'kind'>;

function fail(message: string): never {
  throw new KeyholeError('GEOMETRY_INVALID', { message });
}

/** Validates and builds a PlanarImage (the only way to make one, like createVolume). */
export function createPlanarImage(init: PlanarImageInit): PlanarImage {
  const [ni, nj] = init.size;
  if (!(Number.isInteger(ni) && Number.isInteger(nj) && ni > 0 && nj > 0)) fail(`planar image size must be positive whole numbers, got ${ni}×${nj}`);
  if (!init.spacing.every((s) => Number.isFinite(s) && s > 0)) fail(`planar image spacing must be positive, got [${init.spacing.join(', ')}]`);
  if (!(Number.isInteger(init.frameCount) && init.frameCount >= 1)) fail(`frame count must be at least 1, got ${init.frameCount}`);
  if (init.data.length !== ni * nj * init.frameCount) fail(`pixel data has ${init.data.length} values but ${ni}×${nj}×${init.frameCount} frames need ${ni * nj * init.frameCount}`);
  if (init.magnification !== undefined && !(init.magnification > 0)) fail(`magnification must be positive, got ${init.magnification}`);
  return { kind: 'planar', ...init, size: [ni, nj], spacing: [init.spacing[0], init.spacing[1]] };
}

/** Linear offset of pixel (i, j) of frame f. */
export function planarOffset(image: Pick<PlanarImage, 'size'>, i: number, j: number, frame = 0): number {
  return i + image.size[0] * (j + image.size[1] * frame);
}

/** LPS position of pixel (i, j), when the image is placed in patient space. */
export function planarIndexToWorld(image: Pick<PlanarImage, 'placement' | 'spacing'>, i: number, j: number): Vec3 | undefined {
  const p = image.placement;
  if (p === undefined) return undefined;
  const [si, sj] = image.spacing;
  return [0, 1, 2].map((a) => p.origin[a]! + p.iDirection[a]! * si * i + p.jDirection[a]! * sj * j) as unknown as Vec3;
}
