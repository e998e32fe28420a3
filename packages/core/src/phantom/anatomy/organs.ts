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
  /** Box of the peritoneal space available to bowel (LPS mm). */
  readonly region: { readonly min: Vec3; readonly max: Vec3 };
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
 * Bowel: ascending and descending colon at the sides, transverse colon in front, and a few small-bowel
 * loops wandering (seeded) through the front of the abdomen. Walls are 3 mm; colon carries gas.
 */
export function buildBowel(options: BowelOptions): { parts: ScenePart[]; landmarks: Record<string, Landmark> } {
  const { region, scale, rng } = options;
  const [x0, y0, z0] = region.min;
  const [x1, y1, z1] = region.max;
  if (!(x1 - x0 > 80 && y1 - y0 > 50 && z1 - z0 > 60)) return { parts: [], landmarks: {} };
  const parts: ScenePart[] = [];
  const rColon = 20 * scale;
  const yColon = y1 - rColon - 8 * scale;
  const zTop = z1 - rColon, zBottom = z0 + rColon;
  parts.push(...bowelTube([[x0 + rColon, yColon, zBottom], [x0 + rColon, yColon - 5, zTop]], rColon, 3 * scale, true));
  parts.push(...bowelTube([[x1 - rColon, yColon, zBottom], [x1 - rColon, yColon - 5, zTop]], rColon, 3 * scale, true));
  const yTransverse = y0 + rColon + 6 * scale;
  const transverse: Vec3[] = [[x0 + rColon, yColon - 5, zTop], [(x0 + x1) / 2, yTransverse, zTop - 10 * scale], [x1 - rColon, yColon - 5, zTop]];
  parts.push(...bowelTube(transverse, rColon * 0.9, 3 * scale, true));
  const rSmall = 12 * scale;
  const inset = rColon * 2 + rSmall + 4;
  for (let loop = 0; loop < 7; loop++) {
    const points: Vec3[] = [];
    for (let n = 0; n < 7; n++) {
      points.push([
        rng.uniform(x0 + inset, x1 - inset),
        rng.uniform(y0 + rSmall + 4, y1 - rSmall - 4),
        rng.uniform(z0 + rSmall, zTop - 2 * rColon - rSmall),
      ]);
    }
    parts.push(...bowelTube(points, rSmall, 3 * scale, loop === 0));
  }
  const landmarks: Record<string, Landmark> = {
    'bowel.descending_colon': { point: [x1 - rColon, yColon - 2.5 + rColon - 5 * scale, (zBottom + zTop) / 2], structure: 'bowel' },
    'bowel_gas.descending_colon': { point: [x1 - rColon, yColon - 2.5 - rColon + 6 * scale, (zBottom + zTop) / 2], structure: 'bowel_gas' },
  };
  return { parts, landmarks };
}
