/**
 * The C-arm: where the X-ray source and the detector are, in the patient's LPS space.
 *
 * Angles follow DICOM's X-ray positioner (PS3.3 C.8.7.5, Positioner Primary Angle (0018,1510) and
 * Positioner Secondary Angle (0018,1511)): they give the position of the DETECTOR (image
 * intensifier or flat panel) around the patient, relative to the patient, not the room:
 * - primary angle: in the transaxial plane, 0° = detector in front of the patient's chest
 *   (anterior), +90° = at the patient's left (LAO 90), −90° = at the patient's right (RAO 90);
 * - secondary angle: toward the head, +° = cranial (CRA), −° = caudal (CAU).
 * The detector direction from the isocentre is therefore
 *   u = [sin(primary)·cos(secondary), −cos(primary)·cos(secondary), sin(secondary)]  (LPS),
 * and the source sits on the opposite side, at the source–isocentre distance.
 *
 * The patient position matters for the NAMED views only: in theatre the source is under the table
 * (scatter dose to the team is lowest there), so the "AP" shot of a supine patient has the detector
 * anterior (primary 0°), and that of a prone patient — every endoscopic spine case — has it
 * posterior, above the patient's back (primary 180°). `oblique:θ` swings the detector θ degrees
 * from that AP position toward the patient's LEFT (negative: toward the right). `lateral` puts the
 * detector at the patient's left (primary +90°) and `lateral-right` at the right.
 *
 * Default geometry: a typical mobile C-arm with a 30 cm flat detector, source–image distance
 * 1000 mm and the isocentre 600 mm from the source (magnification 1.67 at the isocentre). These
 * are settings: change them to the machine in use.
 */
import { KeyholeError } from '../errors/keyhole-error.ts';
import type { Vec3 } from '../geometry/vec3.ts';

export type PatientPosition = 'supine' | 'prone';

export interface CArmGeometry {
  /** Source–image (detector) distance, mm (DICOM Distance Source to Detector (0018,1110)). */
  readonly sourceToDetectorMm: number;
  /** Source–isocentre distance, mm (DICOM Distance Source to Isocenter (0018,9402)). */
  readonly sourceToIsocentreMm: number;
  /** Physical detector size [width along i, height along j], mm. */
  readonly detectorSizeMm: readonly [number, number];
  /** Detector pixel count [columns (i), rows (j)]. */
  readonly detectorPixels: readonly [number, number];
}

export const DEFAULT_C_ARM_GEOMETRY: CArmGeometry = {
  sourceToDetectorMm: 1000,
  sourceToIsocentreMm: 600,
  detectorSizeMm: [300, 300],
  detectorPixels: [512, 512],
};

export interface CArmAngles {
  /** LAO positive, RAO negative, degrees (DICOM Positioner Primary Angle). */
  readonly primaryDeg: number;
  /** Cranial positive, caudal negative, degrees (DICOM Positioner Secondary Angle). */
  readonly secondaryDeg: number;
}

export interface CArmPose extends CArmAngles {
  readonly geometry: CArmGeometry;
  /** The point the central ray passes through (LPS mm): the C-arm's isocentre. */
  readonly isocentre: Vec3;
}

/** A named view as typed by a user: `ap`, `lateral`, `lateral-right`, `oblique:30` (− for the right). */
export type CArmView =
  | { readonly kind: 'ap' }
  | { readonly kind: 'lateral'; readonly side: 'left' | 'right' }
  | { readonly kind: 'oblique'; readonly degrees: number };

/** Default oblique angle: the "Scotty dog" oblique of the lumbar spine is taken at about 45°. */
export const DEFAULT_OBLIQUE_DEG = 45;

/** Parses `ap`, `lateral`, `lateral-right`, `oblique`, `oblique:30`, `oblique:-25`. */
export function parseCArmView(text: string): CArmView {
  const t = text.trim().toLowerCase();
  if (t === 'ap') return { kind: 'ap' };
  if (t === 'lateral' || t === 'lateral-left') return { kind: 'lateral', side: 'left' };
  if (t === 'lateral-right') return { kind: 'lateral', side: 'right' };
  const match = /^oblique(?::([+-]?\d+(?:\.\d+)?))?$/.exec(t);
  if (match !== null) {
    const degrees = match[1] === undefined ? DEFAULT_OBLIQUE_DEG : Number(match[1]);
    if (!(Math.abs(degrees) < 90)) {
      throw new KeyholeError('INVALID_ARGUMENT', { path: 'view', message: `oblique angle ${degrees}° is out of range: use −89 to 89 (lateral for 90)` });
    }
    return { kind: 'oblique', degrees };
  }
  throw new KeyholeError('INVALID_ARGUMENT', { path: 'view', message: `unknown view "${text}": use ap, lateral, lateral-right or oblique[:degrees]` });
}

/** DICOM positioner angles of a named view for a patient lying supine or prone (source under the table). */
export function anglesForView(view: CArmView, position: PatientPosition): CArmAngles {
  // Detector above the table: anterior (0°) for a supine patient, posterior (180°) for a prone one.
  const ap = position === 'supine' ? 0 : 180;
  switch (view.kind) {
    case 'ap':
      return { primaryDeg: ap, secondaryDeg: 0 };
    case 'lateral':
      return { primaryDeg: view.side === 'left' ? 90 : -90, secondaryDeg: 0 };
    case 'oblique':
      // Toward the patient's left: +θ from anterior (supine), or 180° − θ from posterior (prone),
      // both moving the detector toward +x.
      return { primaryDeg: wrapDegrees(position === 'supine' ? view.degrees : 180 - view.degrees), secondaryDeg: 0 };
  }
}

/** An angle in (−180°, 180°], DICOM's range for the positioner's primary angle. */
function wrapDegrees(degrees: number): number {
  return degrees > 180 ? degrees - 360 : degrees <= -180 ? degrees + 360 : degrees;
}

/** Unit vector (LPS) from the isocentre toward the detector centre. */
export function detectorDirection(angles: CArmAngles): Vec3 {
  const p = (angles.primaryDeg * Math.PI) / 180;
  const s = (angles.secondaryDeg * Math.PI) / 180;
  return [Math.sin(p) * Math.cos(s), -Math.cos(p) * Math.cos(s), Math.sin(s)];
}

/** Checks a C-arm geometry, naming the bad field. */
export function validateCArmGeometry(geometry: CArmGeometry, path = 'geometry'): void {
  const bad = (field: string, message: string): never => {
    throw new KeyholeError('VALIDATION_FAILED', { path: `${path}.${field}`, message });
  };
  const { sourceToDetectorMm: sid, sourceToIsocentreMm: sod } = geometry;
  if (!(Number.isFinite(sid) && sid > 0)) bad('sourceToDetectorMm', `must be a positive distance in mm, got ${sid}`);
  if (!(Number.isFinite(sod) && sod > 0 && sod < sid)) bad('sourceToIsocentreMm', `must be positive and less than the source–detector distance (${sid} mm), got ${sod}`);
  geometry.detectorSizeMm.forEach((v, n) => {
    if (!(Number.isFinite(v) && v > 0)) bad(`detectorSizeMm[${n}]`, `must be a positive size in mm, got ${v}`);
  });
  geometry.detectorPixels.forEach((v, n) => {
    if (!(Number.isInteger(v) && v > 0 && v <= 8192)) bad(`detectorPixels[${n}]`, `must be a whole number from 1 to 8192, got ${v}`);
  });
  if (geometry.detectorSizeMm.length !== 2 || geometry.detectorPixels.length !== 2) bad('detectorPixels', 'detector size and pixels need two values each');
}
