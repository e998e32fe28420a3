/**
 * The projection of a C-arm pose: source point, detector plane and pixel grid in LPS, and the
 * mapping of any LPS point onto detector pixels (`projectPoint`) that the cannula, the target and
 * the level labels use, so that an overlay lands where the DRR shows the anatomy.
 *
 * Detector pixel axes, as the image is displayed (radiographic convention: seen from the detector
 * side, looking toward the source, as a radiograph is read facing the patient):
 * - j (rows, down the screen) = −"up", where up is the patient's head (+z) projected onto the
 *   detector plane: cranial is at the top;
 * - i (columns, to the right on screen) = (viewing direction) × up, so that for a supine AP the
 *   patient's left is on the right of the screen (as in a radiograph), and for a prone AP (detector
 *   over the back) the patient's left is on the left — what the surgeon standing at the back sees.
 * - pixel (i, j) is centred at detectorCentre + (i − (ni−1)/2)·si·iAxis + (j − (nj−1)/2)·sj·jAxis,
 *   the same centre convention as plastimatch's default image centre ((n−1)/2).
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import { add, cross, dot, normalize, scale, sub, type Vec3 } from '../geometry/vec3.ts';
import { detectorDirection, validateCArmGeometry, type CArmAngles, type CArmPose } from './c-arm.ts';

export interface DrrProjection {
  /** X-ray focal spot, LPS mm. */
  readonly source: Vec3;
  readonly isocentre: Vec3;
  /** Centre of the detector, LPS mm. */
  readonly detectorCentre: Vec3;
  /** Unit vector from the isocentre toward the detector (the beam direction). */
  readonly beamDirection: Vec3;
  /** LPS unit vector along detector columns (i, to the right on screen). */
  readonly iAxis: Vec3;
  /** LPS unit vector along detector rows (j, down the screen). */
  readonly jAxis: Vec3;
  /** Pixel pitch at the detector [along i, along j], mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** [columns, rows]. */
  readonly size: readonly [number, number];
  readonly sourceToDetectorMm: number;
  readonly sourceToIsocentreMm: number;
  readonly angles: CArmAngles;
}

/** The largest |secondary angle| accepted: at ±90° the patient's head axis no longer defines "up". */
export const MAX_SECONDARY_ANGLE_DEG = 85;

export function projectionFromPose(pose: CArmPose): DrrProjection {
  validateCArmGeometry(pose.geometry, 'pose.geometry');
  if (!pose.isocentre.every((v) => Number.isFinite(v))) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'pose.isocentre', message: `must be three finite LPS coordinates in mm, got [${pose.isocentre.join(', ')}]` });
  }
  if (!Number.isFinite(pose.primaryDeg)) throw new KeyholeError('VALIDATION_FAILED', { path: 'pose.primaryDeg', message: `must be a finite angle in degrees, got ${pose.primaryDeg}` });
  if (!(Math.abs(pose.secondaryDeg) <= MAX_SECONDARY_ANGLE_DEG)) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'pose.secondaryDeg', message: `cranial/caudal angle must be within ±${MAX_SECONDARY_ANGLE_DEG}°, got ${pose.secondaryDeg}` });
  }
  const g = pose.geometry;
  const u = detectorDirection(pose);
  const source = sub(pose.isocentre, scale(u, g.sourceToIsocentreMm));
  const detectorCentre = add(source, scale(u, g.sourceToDetectorMm));
  const head: Vec3 = [0, 0, 1];
  const up = normalize(sub(head, scale(u, dot(head, u))));
  const iAxis = normalize(cross(scale(u, -1), up));
  const jAxis = scale(up, -1);
  const [ni, nj] = g.detectorPixels;
  return {
    source,
    isocentre: pose.isocentre,
    detectorCentre,
    beamDirection: u,
    iAxis,
    jAxis,
    pixelSpacingMm: [g.detectorSizeMm[0] / ni, g.detectorSizeMm[1] / nj],
    size: [ni, nj],
    sourceToDetectorMm: g.sourceToDetectorMm,
    sourceToIsocentreMm: g.sourceToIsocentreMm,
    angles: { primaryDeg: pose.primaryDeg, secondaryDeg: pose.secondaryDeg },
  };
}

/** LPS centre of detector pixel (i, j); fractional pixels allowed. */
export function detectorPixelToWorld(projection: DrrProjection, i: number, j: number): Vec3 {
  const [ni, nj] = projection.size;
  const [si, sj] = projection.pixelSpacingMm;
  return add(projection.detectorCentre, add(scale(projection.iAxis, (i - (ni - 1) / 2) * si), scale(projection.jAxis, (j - (nj - 1) / 2) * sj)));
}

export interface ProjectedPoint {
  /** Continuous detector column (pixel centres at whole numbers). */
  readonly i: number;
  /** Continuous detector row. */
  readonly j: number;
  /** Whether (i, j) falls on the detector (within half a pixel of the edge pixels). */
  readonly onDetector: boolean;
  /** Geometric magnification of an object at this point: SID / (its distance from the source along the beam). */
  readonly magnification: number;
  /** Distance from the source along the beam, mm. */
  readonly depthFromSourceMm: number;
}

/**
 * Where an LPS point falls on the detector (central projection through the source). Undefined for a
 * point at or behind the source plane, which no ray to the detector passes through.
 */
export function projectPoint(projection: DrrProjection, point: Vec3): ProjectedPoint | undefined {
  const u = projection.beamDirection;
  const depth = dot(sub(point, projection.source), u);
  if (!(depth > 1e-9)) return undefined;
  const magnification = projection.sourceToDetectorMm / depth;
  const onPlane = add(projection.source, scale(sub(point, projection.source), magnification));
  const offset = sub(onPlane, projection.detectorCentre);
  const [ni, nj] = projection.size;
  const i = dot(offset, projection.iAxis) / projection.pixelSpacingMm[0] + (ni - 1) / 2;
  const j = dot(offset, projection.jAxis) / projection.pixelSpacingMm[1] + (nj - 1) / 2;
  return { i, j, onDetector: i >= -0.5 && i <= ni - 0.5 && j >= -0.5 && j <= nj - 0.5, magnification, depthFromSourceMm: depth };
}
