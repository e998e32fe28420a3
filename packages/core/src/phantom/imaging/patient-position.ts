import type { PatientPositionCode } from '../../dicom/write/series-metadata.ts';
import type { Vec3 } from '../../geometry/vec3.ts';

/**
 * How the patient lies on the table, and what that does to the images.
 *
 * The phantom's anatomy is fixed in patient coordinates (LPS): position does not move a single
 * voxel of anatomy. What changes is the SCANNER's frame relative to the patient, and scanners
 * reconstruct and display images in their own frame ("as the patient lies"), so the image axes —
 * ImageOrientationPatient — change with position. DICOM PS3.3 §C.7.6.2.1.1 defines IOP in the
 * patient frame; §C.7.3.1.1.2 defines PatientPosition.
 *
 * Scanner (gantry) frame, viewed from the foot of the table looking into the bore:
 * x to the viewer's right, y toward the floor, z into the bore. For a head-first supine (HFS)
 * patient this is exactly LPS (their left is on the viewer's right, their back is down, their
 * head goes into the bore), which is why supine axial images have IOP 1\0\0\0\1\0.
 * Rolling the patient about z gives the other positions (all head first, right-handed):
 *
 * | position | code | scanner x | scanner y (floor) | axial IOP           |
 * |----------|------|-----------|-------------------|---------------------|
 * | supine   | HFS  | L         | P                 | 1\0\0\0\1\0         |
 * | prone    | HFP  | R         | A                 | −1\0\0\0\−1\0       |
 * | left side down  | HFDL | A  | L                 | 0\−1\0\1\0\0        |
 * | right side down | HFDR | P  | R                 | 0\1\0\−1\0\0        |
 *
 * So a prone axial image is displayed as the patient lies: their back at the top of the image
 * and their right on the viewer's right (rows run toward the patient's right, columns toward
 * anterior); a radiologist's viewer re-orients it from IOP. The axial IOPs are the values
 * commonly quoted for these positions (HFP −1\0\0\0\−1\0, HFDL 0\−1\0\1\0\0, ...); the
 * reader's tests use them to prove that nothing assumes a supine patient.
 */
export type PatientPositionName = 'supine' | 'prone' | 'decubitus-left' | 'decubitus-right';

export const PATIENT_POSITIONS: readonly PatientPositionName[] = ['supine', 'prone', 'decubitus-left', 'decubitus-right'];

export const PATIENT_POSITION_CODES: Readonly<Record<PatientPositionName, PatientPositionCode>> = {
  supine: 'HFS',
  prone: 'HFP',
  'decubitus-left': 'HFDL',
  'decubitus-right': 'HFDR',
};

/** The scanner's x (viewer's right), y (floor) and z (into the bore) axes as LPS unit vectors. */
export interface ScannerAxes {
  readonly x: Vec3;
  readonly y: Vec3;
  readonly z: Vec3;
}

export function scannerAxes(position: PatientPositionName): ScannerAxes {
  const z: Vec3 = [0, 0, 1]; // head first: into the bore is superior
  switch (position) {
    case 'supine': return { x: [1, 0, 0], y: [0, 1, 0], z };
    case 'prone': return { x: [-1, 0, 0], y: [0, -1, 0], z };
    case 'decubitus-left': return { x: [0, -1, 0], y: [1, 0, 0], z };
    case 'decubitus-right': return { x: [0, 1, 0], y: [-1, 0, 0], z };
  }
}
