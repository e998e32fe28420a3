import { add, scale as scaleVec, type Vec3 } from '../../geometry/vec3.ts';
import type { Rng } from './prng.ts';
import type { DiscGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { Clipped, Superellipsoid, Tube, frameToWorld, type Frame } from './shapes.ts';
import type { Landmark, ScenePart } from './types.ts';

export interface KidneyOptions {
  /** Disc at whose level the left kidney's hilum lies (normally L1–L2); the right kidney sits ~15 mm lower. */
  readonly disc: DiscGeom;
  readonly scale: number;
}

/** Kidneys: ellipsoids ~110 × 55 × 40 mm lateral to the psoas, upper poles tilted medially and backwards. */
export function buildKidneys(options: KidneyOptions): { parts: ScenePart[]; landmarks: Record<string, Landmark> } {
  const { disc, scale } = options;
  const parts: ScenePart[] = [];
  const landmarks: Record<string, Landmark> = {};
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const f = disc.frame;
    const centre = frameToWorld(f, s * (disc.width / 2 + 44 * scale), 12 * scale, side === 'left' ? 0 : -15 * scale);
    const tilt = (15 * Math.PI) / 180;
    // Upper pole medial: rotate the long axis towards the midline about the AP axis.
    const ez: Vec3 = add(scaleVec(f.ez, Math.cos(tilt)), scaleVec(f.ex, -s * Math.sin(tilt)));
    const ex: Vec3 = add(scaleVec(f.ex, Math.cos(tilt)), scaleVec(f.ez, s * Math.sin(tilt)));
    const frame: Frame = { origin: centre, ex, ey: f.ey, ez };
    const name = side === 'left' ? 'kidney_left' : 'kidney_right';
    parts.push(part(name, 'kidney', PRIORITY.kidney, new Superellipsoid(frame, [27 * scale, 20 * scale, 55 * scale])));
    landmarks[`${name}.centre`] = { point: centre, structure: name };
  }
  return { parts, landmarks };
}

export interface BowelOptions {
  /** Craniocaudal extent of the colon frame (its transverse part runs along the top). */
  readonly zMin: number;
  readonly zMax: number;
  /** Lateral offset (|x|) and AP position of the ascending and descending colon. */
  readonly colonX: number;
  readonly colonY: number;
  /** AP position of the transverse colon (in front). */
  readonly transverseY: number;
  /** Space in front of the great vessels for the small-bowel loops. */
  readonly smallBowel: { readonly min: Vec3; readonly max: Vec3 };
  readonly scale: number;
  readonly rng: Rng;
}

function bowelTube(points: readonly Vec3[], radius: number, wall: number, gas: boolean): ScenePart[] {
  const outer = new Tube(points.map((point) => ({ point, ra: radius, rb: radius })));
  const inner = new Tube(points.map((point) => ({ point, ra: radius - wall, rb: radius - wall })));
  const parts = [part('bowel', 'bowel_wall', PRIORITY.bowelWall, outer), part('bowel', 'bowel_content', PRIORITY.bowelContent, inner)];
  if (gas) {
    // Gas rises to the non-dependent side: anterior (−y), as in a supine patient.
    const gasShapes = points.slice(0, -1).map((p, i) => {
      const q = points[i + 1]!;
      const mid = scaleVec(add(p, q), 0.5);
      return new Clipped(new Tube([{ point: p, ra: radius - wall, rb: radius - wall }, { point: q, ra: radius - wall, rb: radius - wall }]), [
        { normal: [0, 1, 0], offset: mid[1] - 0.25 * radius },
      ]);
    });
    for (const shape of gasShapes) parts.push(part('bowel_gas', 'gas', PRIORITY.bowelGas, shape));
  }
  return parts;
}

/**
 * Bowel: ascending and descending colon in the flanks, transverse colon across the front, and seeded
 * small-bowel loops wandering through the front of the abdomen. Walls are 3 mm; the colon carries gas.
 */
export function buildBowel(options: BowelOptions): { parts: ScenePart[]; landmarks: Record<string, Landmark> } {
  const { scale, rng, colonX, colonY, transverseY } = options;
  const parts: ScenePart[] = [];
  const rColon = 20 * scale;
  const zTop = options.zMax - rColon, zBottom = options.zMin + rColon;
  if (!(zTop - zBottom > 20)) return { parts, landmarks: {} };
  for (const s of [1, -1]) parts.push(...bowelTube([[s * colonX, colonY, zBottom], [s * colonX, colonY - 5 * scale, zTop]], rColon, 3 * scale, true));
  const transverse: Vec3[] = [[colonX, colonY - 5 * scale, zTop], [0, transverseY, zTop - 10 * scale], [-colonX, colonY - 5 * scale, zTop]];
  parts.push(...bowelTube(transverse, rColon * 0.9, 3 * scale, true));
  const [x0, y0, z0] = options.smallBowel.min;
  const [x1, y1, z1] = options.smallBowel.max;
  const rSmall = Math.min(12 * scale, (y1 - y0) / 2 - 2);
  if (rSmall > 6 * scale && x1 - x0 > 2 * rSmall && z1 - z0 > 2 * rSmall) {
    for (let loop = 0; loop < 7; loop++) {
      const points: Vec3[] = [];
      for (let n = 0; n < 7; n++) {
        points.push([rng.uniform(x0 + rSmall, x1 - rSmall), rng.uniform(y0 + rSmall, y1 - rSmall), rng.uniform(z0 + rSmall, z1 - rSmall)]);
      }
      parts.push(...bowelTube(points, rSmall, 3 * scale, loop === 0));
    }
  }
  const zMid = (zBottom + zTop) / 2;
  const yMid = colonY - 2.5 * scale;
  const landmarks: Record<string, Landmark> = {
    'bowel.descending_colon': { point: [colonX, yMid + rColon - 5 * scale, zMid], structure: 'bowel' },
    'bowel_gas.descending_colon': { point: [colonX, yMid - rColon + 6 * scale, zMid], structure: 'bowel_gas' },
  };
  return { parts, landmarks };
}
