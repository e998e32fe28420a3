/**
 * ROI statistics of a measurement drawn on a stack image: its LPS handle points mapped to image
 * coordinates (cornerstone3D's worldToImageCoords, from the image's own position, orientation and
 * spacing) and the modality values read from the image in cornerstone's cache (roi-stats.ts).
 * Undefined while the image is not loaded yet.
 */
import { cache, utilities, type Types } from '@cornerstonejs/core';
import type { Vec3 } from './orientation.ts';
import { roiStats, type RoiShape, type RoiStats } from './roi-stats.ts';

export function roiStatsOnImage(shape: RoiShape, points: readonly Vec3[], imageId: string | undefined): RoiStats | undefined {
  if (imageId === undefined) return undefined;
  const image = cache.getImage(imageId) as Types.IImage | undefined;
  if (image === undefined) return undefined;
  const imagePoints: Array<[number, number]> = [];
  for (const p of points) {
    const ij = utilities.worldToImageCoords(imageId, [...p] as Types.Point3);
    if (ij === undefined) return undefined;
    imagePoints.push([ij[0], ij[1]]);
  }
  const pixels = image.getPixelData() as ArrayLike<number>;
  // Frames the loader has already rescaled carry modality values; others get Rescale Slope/Intercept here.
  const scaled = image.preScale?.scaled === true;
  const slope = scaled ? 1 : (image.slope ?? 1);
  const intercept = scaled ? 0 : (image.intercept ?? 0);
  return roiStats({
    shape,
    points: imagePoints,
    columns: image.columns,
    rows: image.rows,
    valueAt: (c, r) => (pixels[r * image.columns + c] ?? 0) * slope + intercept,
    columnSpacingMm: image.columnPixelSpacing ?? 1,
    rowSpacingMm: image.rowPixelSpacing ?? 1,
  });
}
