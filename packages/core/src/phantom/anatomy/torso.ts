import type { Vec3 } from '../../geometry/vec3.ts';
import type { SacralSegment, VertebraGeom } from './column.ts';
import { PRIORITY, part } from './part.ts';
import { sacralCanal } from './sacrum.ts';
import { Clipped, Difference, ZColumn, frameToWorld, type ColumnNode } from './shapes.ts';
import type { VertebraBuild } from './vertebra.ts';
import type { ScenePart } from './types.ts';

/** Body section sizes (mm, medium adult, before subcutaneous fat; scaled by body size). */
export const TORSO = {
  cervicalHalfWidth: 60,
  cervicalDepth: 110,
  thoracicHalfWidth: 140,
  thoracicDepth: 210,
  lumbarHalfWidth: 140,
  lumbarDepth: 200,
  pelvicHalfWidth: 160,
  pelvicDepth: 195,
} as const;

export interface TorsoOptions {
  readonly mobile: readonly VertebraGeom[];
  readonly vertebraBuilds: ReadonlyMap<string, VertebraBuild>;
  /** Sacral segments in the scene (empty without the sacrum). */
  readonly sacrum: readonly SacralSegment[];
  /** Coccygeal segments in the scene (empty without the coccyx). */
  readonly coccyx: readonly SacralSegment[];
  readonly subcutaneousFatMm: number;
  readonly scale: number;
  /** Extra z range the body must cover (pelvis, coccyx), mm. */
  readonly zMin: number;
  readonly zMax: number;
}

export interface Torso {
  readonly parts: ScenePart[];
  /** Section of the body inside the skin (for clipping other soft structures to the body). */
  readonly inner: ZColumn;
  readonly outer: ZColumn;
  /** Mean y of the vertebral body centres (anterior limit of posterior structures). */
  readonly spineY: number;
}

interface Section {
  readonly z: number;
  readonly posteriorSkinY: number;
  readonly halfWidth: number;
  readonly depth: number;
}

function columnNodes(sections: readonly Section[], inset: number): ColumnNode[] {
  return sections.map((s) => ({ z: s.z, cx: 0, cy: s.posteriorSkinY - s.depth / 2, a: s.halfWidth - inset, b: s.depth / 2 - inset }));
}

/** Sorted by z with strictly increasing values (sections closer than 1 mm are merged). */
function sortSections(sections: Section[]): Section[] {
  const sorted = [...sections].sort((a, b) => a.z - b.z);
  const out: Section[] = [];
  for (const s of sorted) if (out.length === 0 || s.z > out[out.length - 1]!.z + 1) out.push(s);
  return out;
}

/** Two passes of a 3-point moving average: the body surface does not follow each spinous process. */
function smooth(sections: readonly Section[]): Section[] {
  let current = [...sections];
  for (let pass = 0; pass < 2; pass++) {
    current = current.map((s, i) => {
      const a = current[Math.max(0, i - 1)]!, c = current[Math.min(current.length - 1, i + 1)]!;
      return { z: s.z, posteriorSkinY: (a.posteriorSkinY + s.posteriorSkinY + c.posteriorSkinY) / 3, halfWidth: (a.halfWidth + s.halfWidth + c.halfWidth) / 3, depth: (a.depth + s.depth + c.depth) / 3 };
    });
  }
  return current;
}

/**
 * The body outline as horizontal superelliptic sections following the spine: the posterior skin lies a
 * little behind the spinous processes (thin fascia over the tips, then subcutaneous fat); the abdomen and
 * chest extend forward from it. Skin is the outer 2 mm; fat fills the rest; the abdominal wall is a
 * muscle layer under the fat in front and at the sides.
 */
export function buildTorso(options: TorsoOptions): Torso {
  const { scale, subcutaneousFatMm: fat } = options;
  const sections: Section[] = [];
  for (const geom of options.mobile) {
    const tip = options.vertebraBuilds.get(geom.slot.name)!.info.spinousTip;
    const thoracic = geom.slot.region === 'thoracic';
    const cervical = geom.slot.region === 'cervical';
    const halfWidth = (cervical ? TORSO.cervicalHalfWidth : thoracic ? TORSO.thoracicHalfWidth : TORSO.lumbarHalfWidth) * scale + fat;
    const depth = (cervical ? TORSO.cervicalDepth : thoracic ? TORSO.thoracicDepth : TORSO.lumbarDepth) * scale + 2 * fat;
    sections.push({ z: geom.frame.origin[2], posteriorSkinY: tip[1] + 8 * scale + fat, halfWidth, depth });
  }
  options.sacrum.forEach((segment, index) => {
    const canal = sacralCanal(index, scale);
    const back = frameToWorld(segment.frame, 0, segment.depth / 2 + canal.depth + 8 * scale, 0);
    sections.push({ z: segment.frame.origin[2], posteriorSkinY: back[1] + 12 * scale + fat, halfWidth: TORSO.pelvicHalfWidth * scale + fat, depth: TORSO.pelvicDepth * scale + 2 * fat });
  });
  for (const segment of options.coccyx) {
    const back = frameToWorld(segment.frame, 0, segment.depth / 2 + 6 * scale, 0);
    sections.push({ z: segment.frame.origin[2], posteriorSkinY: back[1] + 10 * scale + fat, halfWidth: TORSO.pelvicHalfWidth * scale + fat, depth: TORSO.pelvicDepth * scale + 2 * fat });
  }
  const sorted = smooth(sortSections(sections));
  const first = sorted[0]!, last = sorted[sorted.length - 1]!;
  if (options.zMin < first.z) sorted.unshift({ ...first, z: options.zMin });
  if (options.zMax > last.z) sorted.push({ ...last, z: options.zMax });
  const outer = new ZColumn(columnNodes(sorted, 0));
  const inner = new ZColumn(columnNodes(sorted, 2));
  const spineY = options.mobile.length > 0 ? options.mobile.reduce((sum, g) => sum + g.frame.origin[1], 0) / options.mobile.length : (options.sacrum[0] ?? options.coccyx[0])!.frame.origin[1];
  const wallOuter = new ZColumn(columnNodes(sorted, fat + 2));
  const wallInner = new ZColumn(columnNodes(sorted, fat + 2 + 12 * scale));
  const front: Vec3 = [0, 1, 0];
  const abdominalWall = new Clipped(new Difference(wallOuter, wallInner), [{ normal: front, offset: spineY + 10 * scale }]);
  return {
    parts: [part('skin', 'skin', PRIORITY.skin, outer), part('fat', 'fat', PRIORITY.fat, inner), part('abdominal_wall', 'muscle', PRIORITY.abdominalWall, abdominalWall)],
    inner,
    outer,
    spineY,
  };
}

export interface MuscleOptions {
  readonly mobile: readonly VertebraGeom[];
  readonly sacrum: readonly SacralSegment[];
  readonly scale: number;
}

/** Paraspinal muscles (erector spinae and multifidus) beside the spinous processes, down onto the sacrum. */
export function buildParaspinals(options: MuscleOptions): ScenePart[] {
  const { scale } = options;
  const parts: ScenePart[] = [];
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const nodes: ColumnNode[] = [];
    for (const geom of options.mobile) {
      const a = (geom.slot.region === 'cervical' ? 14 : geom.slot.region === 'thoracic' ? 22 : 26) * scale;
      const b = (geom.slot.region === 'cervical' ? 14 : 22) * scale;
      const c = frameToWorld(geom.frame, s * (4 * scale + a), geom.dims.depth / 2 + geom.dims.canalDepth + 18 * scale, 0);
      nodes.push({ z: c[2], cx: c[0], cy: c[1], a, b });
    }
    options.sacrum.slice(0, 3).forEach((segment, index) => {
      const canal = sacralCanal(index, scale);
      const a = (18 - 4 * index) * scale, b = (10 - 2 * index) * scale;
      const c = frameToWorld(segment.frame, s * (4 * scale + a), segment.depth / 2 + canal.depth + 8 * scale + b, 0);
      nodes.push({ z: c[2], cx: c[0], cy: c[1], a, b });
    });
    const sorted = nodes.sort((p, q) => p.z - q.z).filter((n, i, all) => i === 0 || n.z > all[i - 1]!.z + 1);
    if (sorted.length >= 2) parts.push(part(side === 'left' ? 'paraspinal_left' : 'paraspinal_right', 'muscle', PRIORITY.muscle, new ZColumn(sorted)));
  }
  return parts;
}

/** Psoas muscles: from T12/L1 beside the bodies, thickening caudally, then forward and outward over the pelvic brim. */
export function buildPsoas(options: MuscleOptions): ScenePart[] {
  const { scale } = options;
  const lumbar = options.mobile.filter((g) => g.slot.lumbarType);
  if (lumbar.length === 0 && options.sacrum.length === 0) return [];
  const parts: ScenePart[] = [];
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const nodes: ColumnNode[] = [];
    lumbar.forEach((geom, index) => {
      const a = (7 + 4 * index) * scale;
      const c = frameToWorld(geom.frame, s * (geom.dims.width / 2 + 0.6 * a), -2 * scale - 1.5 * index * scale, 0);
      nodes.push({ z: c[2], cx: c[0], cy: c[1], a, b: 0.85 * a });
    });
    const top = options.sacrum[0];
    if (top !== undefined) {
      for (const [u, v, w, a] of [[top.width / 2 + 30, -10, 0, 23], [65, -top.depth / 2 - 35, -60, 20], [75, -top.depth / 2 - 60, -110, 16]] as const) {
        const c = frameToWorld(top.frame, s * u * scale, v * scale, w * scale);
        nodes.push({ z: c[2], cx: c[0], cy: c[1], a: a * scale, b: 0.85 * a * scale });
      }
    }
    const sorted = nodes.sort((p, q) => p.z - q.z).filter((n, i, all) => i === 0 || n.z > all[i - 1]!.z + 1);
    if (sorted.length >= 2) parts.push(part(side === 'left' ? 'psoas_left' : 'psoas_right', 'muscle', PRIORITY.muscle, new ZColumn(sorted)));
  }
  return parts;
}
