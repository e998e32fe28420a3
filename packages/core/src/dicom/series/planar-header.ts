/**
 * Header → description of a projection (or otherwise unplaced) image: which spacing applies and in
 * which plane. The rules (PS3.3 10.7.1.3 and C.8.11.4; dcm2niix and pydicom follow the same order):
 *
 * 1. PixelSpacing with PixelSpacingCalibrationType (GEOMETRY / FIDUCIAL): calibrated at the patient.
 * 2. ImagerPixelSpacing ÷ EstimatedRadiographicMagnificationFactor: estimated at the patient.
 * 3. ImagerPixelSpacing ÷ (DistanceSourceToDetector / DistanceSourceToPatient): the geometric
 *    magnification at the isocentre, for XA/RF headers without an estimated factor.
 * 4. ImagerPixelSpacing alone: true at the detector only.
 * 5. PixelSpacing alone: cross-sectional/secondary images (at the patient when the image is placed).
 * 6. NominalScannedPixelSpacing (digitised film), else none (1 mm assumed, flagged).
 */
import type { Vec3 } from '../../geometry/vec3.ts';
import type { PlanarPlacement, PlanarSpacingSource } from '../../volume/planar-image.ts';
import type { VoxelUnit } from '../../volume/volume.ts';
import type { DicomInstance } from '../instance.ts';
import { SERIES_TAGS as T } from './series-tags.ts';

export interface PlanarImageDescriptor {
  readonly instance: DicomInstance;
  readonly source: string;
  readonly seriesInstanceUid: string;
  readonly size: readonly [number, number];
  readonly frameCount: number;
  readonly spacing: readonly [number, number];
  readonly spacingSource: PlanarSpacingSource;
  readonly spacingPlane: 'patient' | 'detector' | 'unknown';
  readonly magnification?: number;
  readonly placement?: PlanarPlacement;
  readonly frameTimeMs?: number;
  readonly units: VoxelUnit;
  readonly label: string;
}

interface SpacingChoice {
  readonly spacing: readonly [number, number];
  readonly spacingSource: PlanarSpacingSource;
  readonly spacingPlane: PlanarImageDescriptor['spacingPlane'];
  readonly magnification?: number;
}

const pair = (values: readonly number[]): readonly [number, number] | undefined =>
  values.length >= 2 && values[0]! > 0 && values[1]! > 0 ? [values[0]!, values[1]!] : undefined;

/** DICOM [row, column] spacing → [along i, along j]. */
const toIJ = (rowCol: readonly [number, number], divisor = 1): readonly [number, number] => [rowCol[1] / divisor, rowCol[0] / divisor];

export function choosePlanarSpacing(instance: DicomInstance, placed: boolean): SpacingChoice {
  const ds = instance.dataset;
  const pixel = pair(ds.numbers(T.pixelSpacing));
  const imager = pair(ds.numbers(T.imagerPixelSpacing));
  const calibration = ds.string(T.pixelSpacingCalibrationType);
  if (pixel !== undefined && calibration !== undefined) return { spacing: toIJ(pixel), spacingSource: 'calibrated-pixel-spacing', spacingPlane: 'patient' };
  if (imager !== undefined) {
    const emf = ds.number(T.estimatedRadiographicMagnificationFactor);
    if (emf !== undefined && emf > 0) return { spacing: toIJ(imager, emf), spacingSource: 'imager-spacing-corrected-by-estimated-magnification', spacingPlane: 'patient', magnification: emf };
    const sid = ds.number(T.distanceSourceToDetector);
    const sod = ds.number(T.distanceSourceToPatient);
    if (sid !== undefined && sod !== undefined && sid > 0 && sod > 0) {
      const m = sid / sod;
      return { spacing: toIJ(imager, m), spacingSource: 'imager-spacing-corrected-by-source-distances', spacingPlane: 'patient', magnification: m };
    }
    return { spacing: toIJ(imager), spacingSource: 'imager-spacing', spacingPlane: 'detector' };
  }
  if (pixel !== undefined) return { spacing: toIJ(pixel), spacingSource: 'pixel-spacing', spacingPlane: placed ? 'patient' : 'unknown' };
  const scanned = pair(ds.numbers(T.nominalScannedPixelSpacing));
  if (scanned !== undefined) return { spacing: toIJ(scanned), spacingSource: 'nominal-scanned-spacing', spacingPlane: 'unknown' };
  return { spacing: [1, 1], spacingSource: 'none', spacingPlane: 'unknown' };
}

function placementOf(instance: DicomInstance): PlanarPlacement | undefined {
  const ipp = instance.dataset.numbers(T.imagePositionPatient);
  const iop = instance.dataset.numbers(T.imageOrientationPatient);
  if (ipp.length < 3 || iop.length < 6) return undefined;
  return { origin: ipp.slice(0, 3) as unknown as Vec3, iDirection: iop.slice(0, 3) as unknown as Vec3, jDirection: iop.slice(3, 6) as unknown as Vec3 };
}

/** Describes an instance with pixel data as a planar image (headers only). */
export function readPlanarImageHeader(instance: DicomInstance): PlanarImageDescriptor | undefined {
  const format = instance.pixelData?.format;
  if (format === undefined) return undefined;
  const ds = instance.dataset;
  const placement = placementOf(instance);
  const choice = choosePlanarSpacing(instance, placement !== undefined);
  const frameTime = ds.number(T.frameTime);
  const modality = ds.string(T.modality) ?? '';
  return {
    instance,
    source: instance.source,
    seriesInstanceUid: ds.string(T.seriesInstanceUid) ?? '',
    size: [format.columns, format.rows],
    frameCount: Math.max(1, format.numberOfFrames),
    ...choice,
    ...(placement !== undefined ? { placement } : {}),
    ...(frameTime !== undefined && frameTime > 0 ? { frameTimeMs: frameTime } : {}),
    units: 'raw',
    label: [modality, ds.strings(T.imageType).join('\\')].filter((s) => s !== '').join(' '),
  };
}
