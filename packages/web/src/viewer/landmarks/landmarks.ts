/**
 * Named points in patient space (LPS mm) drawn over any view — the vertebra and disc names of
 * the spine model, later the plan's entry and target — and which of them belong on a given plane.
 */
import type { AnatomyStatus } from '../../api/anatomy.ts';

export type Vec3 = readonly [number, number, number];

export interface Landmark {
  readonly name: string;
  readonly kind: 'vertebra' | 'disc';
  readonly point: Vec3;
  /** Whether the name rests on a numbering a person confirmed or the cues verified. */
  readonly settled: boolean;
}

/**
 * Half-thickness of the slab in which a landmark is named on a plane (mm): a vertebral body is some
 * 25–30 mm tall, a disc 8–12 mm (display settings, not clinical thresholds).
 */
export const LANDMARK_SLAB_MM: Readonly<Record<Landmark['kind'], number>> = { vertebra: 12, disc: 4 };

/** The landmarks of the finished anatomy runs in one frame of reference (the latest run per series). */
export function landmarksFromAnatomy(runs: readonly AnatomyStatus[], frameOfReferenceUid: string | undefined): Landmark[] {
  const out: Landmark[] = [];
  for (const run of runs) {
    if (run.state !== 'done' || run.model === undefined) continue;
    if (frameOfReferenceUid === undefined || run.frameOfReferenceUid !== frameOfReferenceUid) continue;
    const settled = run.confirmation !== undefined || run.levelCount?.verified === true;
    for (const v of run.model.vertebrae) out.push({ name: v.name, kind: 'vertebra', point: v.bodyCentre, settled });
    for (const d of run.model.discs) out.push({ name: d.name, kind: 'disc', point: d.centre, settled });
  }
  return out;
}

/** Signed distance of a point from the plane through `origin` with unit `normal`. */
export function distanceToPlane(point: Vec3, origin: Vec3, normal: Vec3): number {
  return (point[0] - origin[0]) * normal[0] + (point[1] - origin[1]) * normal[1] + (point[2] - origin[2]) * normal[2];
}

/** The landmarks to name on the plane: within their kind's slab, nearest first. */
export function landmarksOnPlane(landmarks: readonly Landmark[], origin: Vec3, normal: Vec3): Landmark[] {
  return landmarks
    .map((landmark) => ({ landmark, distance: Math.abs(distanceToPlane(landmark.point, origin, normal)) }))
    .filter(({ landmark, distance }) => distance <= LANDMARK_SLAB_MM[landmark.kind])
    .sort((a, b) => a.distance - b.distance)
    .map(({ landmark }) => landmark);
}
