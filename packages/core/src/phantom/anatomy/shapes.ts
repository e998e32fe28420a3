import { cross, dot, normalize, sub, type Vec3 } from '../../geometry/vec3.ts';

/**
 * Analytic solids in LPS millimetres. Every shape has a conservative axis-aligned bounding box (no point
 * outside it is inside the shape) and a pure `contains(x, y, z)` test. Rasterisation visits only the voxels
 * in each shape's box, so a scene of a few hundred shapes paints a 512×512×300 grid in seconds; the same
 * `contains` answers point queries, which is why `classify` and `rasterizeScene` agree exactly.
 *
 * Coordinates are passed as three numbers (not arrays) so the per-voxel test allocates nothing.
 */
export interface Aabb {
  readonly min: Vec3;
  readonly max: Vec3;
}

/** Parameter intervals [t0, t1] along a horizontal row (x0 + t·dx, y0 + t·dy, z), approximate to rounding. */
export type RowIntervals = ReadonlyArray<readonly [number, number]>;

export interface Shape {
  readonly box: Aabb;
  contains(x: number, y: number, z: number): boolean;
  /**
   * Optional fast path for rasterisation: where a horizontal row lies inside the shape, or undefined when
   * the shape cannot say. The rasteriser refines every interval end with `contains`, so these only need
   * to be right up to rounding, and the shape must be an exact union of the intervals along the row.
   */
  rowIntervals?(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined;
  /**
   * Optional, weaker fast path: intervals along a horizontal row OUTSIDE which the shape is certainly absent
   * (a superset); the rasteriser tests every voxel inside them.
   */
  rowRanges?(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined;
}

/** Exact intervals when the shape has them, else its candidate ranges, else undefined (test the whole box row). */
export function rowCandidates(shape: Shape, x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
  return shape.rowIntervals?.(x0, y0, z, dx, dy) ?? shape.rowRanges?.(x0, y0, z, dx, dy);
}

/** Range of t where a row lies inside an axis-aligned box (empty when it misses). */
function boxRange(box: Aabb, x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals {
  if (z < box.min[2] || z > box.max[2]) return [];
  let lo = -Infinity, hi = Infinity;
  for (const [p, d, min, max] of [[x0, dx, box.min[0], box.max[0]], [y0, dy, box.min[1], box.max[1]]] as const) {
    if (d === 0) {
      if (p < min || p > max) return [];
      continue;
    }
    const a = (min - p) / d, b = (max - p) / d;
    lo = Math.max(lo, Math.min(a, b));
    hi = Math.min(hi, Math.max(a, b));
  }
  return lo <= hi ? [[lo, hi]] : [];
}

function intersectIntervals(a: RowIntervals, b: RowIntervals): RowIntervals {
  const out: Array<readonly [number, number]> = [];
  for (const [a0, a1] of a) for (const [b0, b1] of b) {
    const lo = Math.max(a0, b0), hi = Math.min(a1, b1);
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

function mergeIntervals(list: Array<readonly [number, number]>): RowIntervals {
  if (list.length <= 1) return list;
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [[sorted[0]![0], sorted[0]![1]]];
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = sorted[i]!;
    const last = out[out.length - 1]!;
    if (a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function subtractIntervals(a: RowIntervals, b: RowIntervals): RowIntervals {
  let current: Array<readonly [number, number]> = [...a];
  for (const [b0, b1] of b) {
    const next: Array<readonly [number, number]> = [];
    for (const [a0, a1] of current) {
      if (b1 < a0 || b0 > a1) { next.push([a0, a1]); continue; }
      if (a0 < b0) next.push([a0, b0]);
      if (b1 < a1) next.push([b1, a1]);
    }
    current = next;
  }
  return current;
}

/** Interval of t where the half-space n·p ≤ d holds along a row. */
function planeInterval(plane: Plane, x0: number, y0: number, z: number, dx: number, dy: number): readonly [number, number] | null {
  const n = plane.normal;
  const base = n[0] * x0 + n[1] * y0 + n[2] * z;
  const rate = n[0] * dx + n[1] * dy;
  if (rate === 0) return base <= plane.offset ? [-Infinity, Infinity] : null;
  const t = (plane.offset - base) / rate;
  return rate > 0 ? [-Infinity, t] : [t, Infinity];
}

/** An orthonormal frame: origin and unit axes u (ex), v (ey), w (ez). */
export interface Frame {
  readonly origin: Vec3;
  readonly ex: Vec3;
  readonly ey: Vec3;
  readonly ez: Vec3;
}

export function frameToWorld(frame: Frame, u: number, v: number, w: number): Vec3 {
  const { origin: o, ex, ey, ez } = frame;
  return [o[0] + u * ex[0] + v * ey[0] + w * ez[0], o[1] + u * ex[1] + v * ey[1] + w * ez[1], o[2] + u * ex[2] + v * ey[2] + w * ez[2]];
}

/** Box of a local axis-aligned box [u0,u1]×[v0,v1]×[w0,w1] of a frame, in world coordinates. */
export function frameBox(frame: Frame, u0: number, u1: number, v0: number, v1: number, w0: number, w1: number): Aabb {
  const points: Vec3[] = [];
  for (const u of [u0, u1]) for (const v of [v0, v1]) for (const w of [w0, w1]) points.push(frameToWorld(frame, u, v, w));
  return boxOfPoints(points, 0);
}

export function boxOfPoints(points: readonly Vec3[], pad: number): Aabb {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const p of points) {
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a]!, p[a]! - pad);
      max[a] = Math.max(max[a]!, p[a]! + pad);
    }
  }
  return { min, max };
}

export function unionBox(boxes: readonly Aabb[]): Aabb {
  return boxOfPoints(boxes.flatMap((b) => [b.min, b.max]), 0);
}

function intersectBoxes(a: Aabb, b: Aabb): Aabb {
  return {
    min: [Math.max(a.min[0], b.min[0]), Math.max(a.min[1], b.min[1]), Math.max(a.min[2], b.min[2])],
    max: [Math.min(a.max[0], b.max[0]), Math.min(a.max[1], b.max[1]), Math.min(a.max[2], b.max[2])],
  };
}

function inBox(box: Aabb, x: number, y: number, z: number): boolean {
  return x >= box.min[0] && x <= box.max[0] && y >= box.min[1] && y <= box.max[1] && z >= box.min[2] && z <= box.max[2];
}

/** |t|^p for the superellipse exponents used here, without Math.pow for the common p = 2. */
function power(t: number, p: number): number {
  const a = Math.abs(t);
  return p === 2 ? a * a : Math.pow(a, p);
}

/** A half-space `n · x ≤ d` (n need not be unit length). */
export interface Plane {
  readonly normal: Vec3;
  readonly offset: number;
}

/** Half-space through `point` whose outside is along `outward`. */
export function planeThrough(point: Vec3, outward: Vec3): Plane {
  return { normal: outward, offset: dot(outward, point) };
}

function insidePlanes(planes: readonly Plane[], x: number, y: number, z: number): boolean {
  for (const pl of planes) {
    const n = pl.normal;
    if (n[0] * x + n[1] * y + n[2] * z > pl.offset) return false;
  }
  return true;
}

/** Superellipsoid |u/a|^p + |v/b|^p + |w/c|^p ≤ 1 in a frame (p = 2: an ellipsoid). */
export class Superellipsoid implements Shape {
  readonly box: Aabb;
  constructor(
    readonly frame: Frame,
    readonly radii: Vec3,
    readonly exponent = 2,
  ) {
    const [a, b, c] = radii;
    this.box = frameBox(frame, -a, a, -b, b, -c, c);
  }
  contains(x: number, y: number, z: number): boolean {
    if (!inBox(this.box, x, y, z)) return false;
    const { origin: o, ex, ey, ez } = this.frame;
    const dx = x - o[0], dy = y - o[1], dz = z - o[2];
    const u = (dx * ex[0] + dy * ex[1] + dz * ex[2]) / this.radii[0];
    const v = (dx * ey[0] + dy * ey[1] + dz * ey[2]) / this.radii[1];
    const w = (dx * ez[0] + dy * ez[1] + dz * ez[2]) / this.radii[2];
    const p = this.exponent;
    return power(u, p) + power(v, p) + power(w, p) <= 1;
  }
  rowIntervals(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    if (this.exponent !== 2) return undefined;
    const { origin: o, ex, ey, ez } = this.frame;
    const px = x0 - o[0], py = y0 - o[1], pz = z - o[2];
    let A = 0, B = 0, C = -1;
    for (const [axis, r] of [[ex, this.radii[0]], [ey, this.radii[1]], [ez, this.radii[2]]] as const) {
      const c0 = (px * axis[0] + py * axis[1] + pz * axis[2]) / r;
      const c1 = (dx * axis[0] + dy * axis[1]) / r;
      A += c1 * c1; B += 2 * c0 * c1; C += c0 * c0;
    }
    if (A === 0) return C <= 0 ? [[-Infinity, Infinity]] : [];
    const disc = B * B - 4 * A * C;
    if (disc < 0) return [];
    const root = Math.sqrt(disc);
    return [[(-B - root) / (2 * A), (-B + root) / (2 * A)]];
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals {
    return boxRange(this.box, x0, y0, z, dx, dy);
  }
}

export interface PrismSection {
  /** Half-width along the frame's u axis. */
  readonly a: number;
  /** Half-depth along v. */
  readonly b: number;
  /** Centre of the section along v (the section spans v0 − b … v0 + b). */
  readonly v0: number;
  readonly exponent: number;
}

/**
 * A superelliptic cylinder along the frame's w axis, clipped by half-spaces (the endplates, a flat
 * posterior wall). Vertebral bodies and discs are these: their endplates need not be parallel (wedging).
 */
export class ClippedPrism implements Shape {
  readonly box: Aabb;
  constructor(
    readonly frame: Frame,
    readonly section: PrismSection,
    readonly planes: readonly Plane[],
    /** Half-extent along w that contains the clipped solid (for the bounding box only). */
    halfHeight: number,
  ) {
    const { a, b, v0 } = section;
    this.box = frameBox(frame, -a, a, v0 - b, v0 + b, -halfHeight, halfHeight);
  }
  contains(x: number, y: number, z: number): boolean {
    if (!inBox(this.box, x, y, z)) return false;
    if (!insidePlanes(this.planes, x, y, z)) return false;
    const { origin: o, ex, ey } = this.frame;
    const { a, b, v0, exponent } = this.section;
    const dx = x - o[0], dy = y - o[1], dz = z - o[2];
    const u = (dx * ex[0] + dy * ex[1] + dz * ex[2]) / a;
    const v = (dx * ey[0] + dy * ey[1] + dz * ey[2] - v0) / b;
    return power(u, exponent) + power(v, exponent) <= 1;
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals {
    return boxRange(this.box, x0, y0, z, dx, dy);
  }
}

/** Oriented box with half-sizes along the frame axes. */
export class OrientedBox implements Shape {
  readonly box: Aabb;
  constructor(
    readonly frame: Frame,
    readonly half: Vec3,
  ) {
    this.box = frameBox(frame, -half[0], half[0], -half[1], half[1], -half[2], half[2]);
  }
  contains(x: number, y: number, z: number): boolean {
    if (!inBox(this.box, x, y, z)) return false;
    const { origin: o, ex, ey, ez } = this.frame;
    const dx = x - o[0], dy = y - o[1], dz = z - o[2];
    return (
      Math.abs(dx * ex[0] + dy * ex[1] + dz * ex[2]) <= this.half[0] &&
      Math.abs(dx * ey[0] + dy * ey[1] + dz * ey[2]) <= this.half[1] &&
      Math.abs(dx * ez[0] + dy * ez[1] + dz * ez[2]) <= this.half[2]
    );
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals {
    return boxRange(this.box, x0, y0, z, dx, dy);
  }
}

export interface TubeNode {
  readonly point: Vec3;
  /** Radius along the section axis closest to the tube's reference axis. */
  readonly ra: number;
  /** Radius along the other section axis (equal to `ra` for a round tube). */
  readonly rb: number;
}

const Z_BUCKET_MM = 8;

interface TubeSegment {
  readonly start: Vec3;
  readonly dir: Vec3;
  readonly length: number;
  readonly axisA: Vec3;
  readonly axisB: Vec3;
  readonly ra0: number;
  readonly ra1: number;
  readonly rb0: number;
  readonly rb1: number;
  readonly box: Aabb;
}

/**
 * A tube swept along a polyline with an elliptic section that varies linearly between nodes. Section
 * axis A is the direction closest to `reference` perpendicular to the segment; B completes the frame.
 * Segment ends are closed by half-ellipsoid caps (so bends have no gaps). Nerve roots, vessels, the dural
 * sac, pedicles, ribs and bowel loops are tubes.
 */
export class Tube implements Shape {
  readonly box: Aabb;
  private readonly segments: readonly TubeSegment[];
  constructor(
    readonly nodes: readonly TubeNode[],
    reference: Vec3 = [1, 0, 0],
  ) {
    if (nodes.length < 2) throw new RangeError('a tube needs at least two nodes');
    // Long segments are cut into pieces about two radii long so each piece's bounding box hugs the tube
    // (rasterisation tests only voxels inside piece boxes); the shape is the union of the pieces.
    const pieces: TubeNode[] = [nodes[0]!];
    for (let s = 0; s + 1 < nodes.length; s++) {
      const a = nodes[s]!, b = nodes[s + 1]!;
      const length = Math.hypot(b.point[0] - a.point[0], b.point[1] - a.point[1], b.point[2] - a.point[2]);
      const count = Math.max(1, Math.ceil(length / Math.max(6, 2 * Math.max(a.ra, a.rb, b.ra, b.rb))));
      for (let k = 1; k <= count; k++) {
        const f = k / count;
        pieces.push({
          point: [a.point[0] + f * (b.point[0] - a.point[0]), a.point[1] + f * (b.point[1] - a.point[1]), a.point[2] + f * (b.point[2] - a.point[2])],
          ra: a.ra + f * (b.ra - a.ra),
          rb: a.rb + f * (b.rb - a.rb),
        });
      }
    }
    const segments: TubeSegment[] = [];
    for (let s = 0; s + 1 < pieces.length; s++) {
      const n0 = pieces[s]!, n1 = pieces[s + 1]!;
      const d = sub(n1.point, n0.point);
      const length = Math.hypot(d[0], d[1], d[2]);
      if (!(length > 1e-9)) continue;
      const dir: Vec3 = [d[0] / length, d[1] / length, d[2] / length];
      let ref = reference;
      if (Math.abs(dot(ref, dir)) > 0.95) ref = Math.abs(dir[2]) < 0.9 ? [0, 0, 1] : [0, 1, 0];
      const along = dot(ref, dir);
      const axisA = normalize([ref[0] - along * dir[0], ref[1] - along * dir[1], ref[2] - along * dir[2]]);
      const axisB = cross(dir, axisA);
      const r = Math.max(n0.ra, n0.rb, n1.ra, n1.rb);
      segments.push({ start: n0.point, dir, length, axisA, axisB, ra0: n0.ra, ra1: n1.ra, rb0: n0.rb, rb1: n1.rb, box: boxOfPoints([n0.point, n1.point], r) });
    }
    if (segments.length === 0) throw new RangeError('a tube needs two distinct nodes');
    this.segments = segments;
    this.box = unionBox(segments.map((s) => s.box));
    // Segments listed per 8 mm slab of z: a point can only be in a segment whose box spans its z.
    const z0 = this.box.min[2];
    const count = Math.max(1, Math.ceil((this.box.max[2] - z0) / Z_BUCKET_MM) + 1);
    this.buckets = Array.from({ length: count }, (_, b) =>
      segments.filter((seg) => seg.box.max[2] >= z0 + b * Z_BUCKET_MM && seg.box.min[2] <= z0 + (b + 1) * Z_BUCKET_MM),
    );
  }
  private readonly buckets: ReadonlyArray<readonly TubeSegment[]>;
  contains(x: number, y: number, z: number): boolean {
    if (!inBox(this.box, x, y, z)) return false;
    const bucket = this.buckets[Math.min(this.buckets.length - 1, Math.floor((z - this.box.min[2]) / Z_BUCKET_MM))]!;
    for (const s of bucket) {
      if (!inBox(s.box, x, y, z)) continue;
      const dx = x - s.start[0], dy = y - s.start[1], dz = z - s.start[2];
      const t = dx * s.dir[0] + dy * s.dir[1] + dz * s.dir[2];
      const tc = t < 0 ? 0 : t > s.length ? s.length : t;
      const f = tc / s.length;
      const ra = s.ra0 + (s.ra1 - s.ra0) * f;
      const rb = s.rb0 + (s.rb1 - s.rb0) * f;
      const qa = (dx * s.axisA[0] + dy * s.axisA[1] + dz * s.axisA[2]) / ra;
      const qb = (dx * s.axisB[0] + dy * s.axisB[1] + dz * s.axisB[2]) / rb;
      const qt = (t - tc) / Math.min(ra, rb);
      if (qa * qa + qb * qb + qt * qt <= 1) return true;
    }
    return false;
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals {
    const out: Array<readonly [number, number]> = [];
    for (const seg of this.segments) out.push(...boxRange(seg.box, x0, y0, z, dx, dy));
    return mergeIntervals(out);
  }
}

export interface ColumnNode {
  readonly z: number;
  /** Section centre (x, y). */
  readonly cx: number;
  readonly cy: number;
  /** Half-width along x and half-depth along y. */
  readonly a: number;
  readonly b: number;
}

/**
 * A column of horizontal superelliptic sections interpolated linearly between nodes sorted by z:
 * the body outline (skin, fat, abdominal wall) and the long muscles (psoas, paraspinals).
 */
export class ZColumn implements Shape {
  readonly box: Aabb;
  constructor(
    readonly nodes: readonly ColumnNode[],
    readonly exponent = 2,
  ) {
    if (nodes.length < 2) throw new RangeError('a column needs at least two nodes');
    for (let i = 1; i < nodes.length; i++) if (!(nodes[i]!.z > nodes[i - 1]!.z)) throw new RangeError('column nodes must be sorted by increasing z');
    this.box = boxOfPoints(
      nodes.flatMap((n) => [[n.cx - n.a, n.cy - n.b, n.z] as Vec3, [n.cx + n.a, n.cy + n.b, n.z] as Vec3]),
      0,
    );
  }
  contains(x: number, y: number, z: number): boolean {
    const nodes = this.nodes;
    const last = nodes.length - 1;
    if (z < nodes[0]!.z || z > nodes[last]!.z) return false;
    let lo = 0, hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (nodes[mid]!.z <= z) lo = mid;
      else hi = mid;
    }
    const n0 = nodes[lo]!, n1 = nodes[hi]!;
    const f = (z - n0.z) / (n1.z - n0.z);
    const a = n0.a + (n1.a - n0.a) * f;
    const b = n0.b + (n1.b - n0.b) * f;
    if (!(a > 0 && b > 0)) return false;
    const u = (x - (n0.cx + (n1.cx - n0.cx) * f)) / a;
    const v = (y - (n0.cy + (n1.cy - n0.cy) * f)) / b;
    return power(u, this.exponent) + power(v, this.exponent) <= 1;
  }
  rowIntervals(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    if (this.exponent !== 2) return undefined;
    const nodes = this.nodes;
    const last = nodes.length - 1;
    if (z < nodes[0]!.z || z > nodes[last]!.z) return [];
    let lo = 0, hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (nodes[mid]!.z <= z) lo = mid;
      else hi = mid;
    }
    const n0 = nodes[lo]!, n1 = nodes[hi]!;
    const f = (z - n0.z) / (n1.z - n0.z);
    const a = n0.a + (n1.a - n0.a) * f;
    const b = n0.b + (n1.b - n0.b) * f;
    if (!(a > 0 && b > 0)) return [];
    const px = (x0 - (n0.cx + (n1.cx - n0.cx) * f)) / a, py = (y0 - (n0.cy + (n1.cy - n0.cy) * f)) / b;
    const qx = dx / a, qy = dy / b;
    // (px + t qx)² + (py + t qy)² ≤ 1
    const A = qx * qx + qy * qy, B = 2 * (px * qx + py * qy), C = px * px + py * py - 1;
    if (A === 0) return C <= 0 ? [[-Infinity, Infinity]] : [];
    const disc = B * B - 4 * A * C;
    if (disc < 0) return [];
    const r = Math.sqrt(disc);
    return [[(-B - r) / (2 * A), (-B + r) / (2 * A)]];
  }
}

/**
 * A flat plate in a frame: half-elliptic above w = 0 (radii `ru` along u, `rw` along w), rectangular
 * from w = `wMin` to 0, `halfThickness` along the frame's v. The iliac wings are plates.
 */
export class HalfDiscPlate implements Shape {
  readonly box: Aabb;
  constructor(
    readonly frame: Frame,
    readonly ru: number,
    readonly rw: number,
    readonly wMin: number,
    readonly halfThickness: number,
  ) {
    this.box = frameBox(frame, -ru, ru, -halfThickness, halfThickness, wMin, rw);
  }
  contains(x: number, y: number, z: number): boolean {
    if (!inBox(this.box, x, y, z)) return false;
    const { origin: o, ex, ey, ez } = this.frame;
    const dx = x - o[0], dy = y - o[1], dz = z - o[2];
    const t = dx * ey[0] + dy * ey[1] + dz * ey[2];
    if (Math.abs(t) > this.halfThickness) return false;
    const u = (dx * ex[0] + dy * ex[1] + dz * ex[2]) / this.ru;
    const w = dx * ez[0] + dy * ez[1] + dz * ez[2];
    if (w < this.wMin) return false;
    if (w <= 0) return Math.abs(u) <= 1;
    const wn = w / this.rw;
    return u * u + wn * wn <= 1;
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals {
    return boxRange(this.box, x0, y0, z, dx, dy);
  }
}

/** Points inside every shape (box: the intersection of the boxes). */
export class Intersection implements Shape {
  readonly box: Aabb;
  constructor(readonly shapes: readonly Shape[]) {
    if (shapes.length === 0) throw new RangeError('an intersection needs shapes');
    this.box = shapes.map((s) => s.box).reduce(intersectBoxes);
  }
  contains(x: number, y: number, z: number): boolean {
    if (!inBox(this.box, x, y, z)) return false;
    for (const s of this.shapes) if (!s.contains(x, y, z)) return false;
    return true;
  }
  rowIntervals(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    let result: RowIntervals = [[-Infinity, Infinity]];
    for (const s of this.shapes) {
      const own = s.rowIntervals?.(x0, y0, z, dx, dy);
      if (own === undefined) return undefined;
      result = intersectIntervals(result, own);
    }
    return result;
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals {
    let result: RowIntervals = boxRange(this.box, x0, y0, z, dx, dy);
    for (const s of this.shapes) {
      const own = rowCandidates(s, x0, y0, z, dx, dy);
      if (own !== undefined) result = intersectIntervals(result, own);
    }
    return result;
  }
}

/** Points inside any shape. */
export class Union implements Shape {
  readonly box: Aabb;
  constructor(readonly shapes: readonly Shape[]) {
    if (shapes.length === 0) throw new RangeError('a union needs shapes');
    this.box = unionBox(shapes.map((s) => s.box));
  }
  contains(x: number, y: number, z: number): boolean {
    if (!inBox(this.box, x, y, z)) return false;
    for (const s of this.shapes) if (s.contains(x, y, z)) return true;
    return false;
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    const out: Array<readonly [number, number]> = [];
    for (const shape of this.shapes) {
      const own = rowCandidates(shape, x0, y0, z, dx, dy);
      if (own === undefined) return boxRange(this.box, x0, y0, z, dx, dy);
      out.push(...own);
    }
    return mergeIntervals(out);
  }
}

/** Points inside `keep` and outside `remove`. */
export class Difference implements Shape {
  readonly box: Aabb;
  constructor(
    readonly keep: Shape,
    readonly remove: Shape,
  ) {
    this.box = keep.box;
  }
  contains(x: number, y: number, z: number): boolean {
    return this.keep.contains(x, y, z) && !this.remove.contains(x, y, z);
  }
  rowIntervals(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    const keep = this.keep.rowIntervals?.(x0, y0, z, dx, dy);
    const remove = this.remove.rowIntervals?.(x0, y0, z, dx, dy);
    return keep === undefined || remove === undefined ? undefined : subtractIntervals(keep, remove);
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    return rowCandidates(this.keep, x0, y0, z, dx, dy);
  }
}

/** A shape clipped by half-spaces. */
export class Clipped implements Shape {
  readonly box: Aabb;
  constructor(
    readonly shape: Shape,
    readonly planes: readonly Plane[],
  ) {
    this.box = shape.box;
  }
  contains(x: number, y: number, z: number): boolean {
    return insidePlanes(this.planes, x, y, z) && this.shape.contains(x, y, z);
  }
  rowIntervals(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    let result = this.shape.rowIntervals?.(x0, y0, z, dx, dy);
    if (result === undefined) return undefined;
    for (const plane of this.planes) {
      const half = planeInterval(plane, x0, y0, z, dx, dy);
      result = half === null ? [] : intersectIntervals(result, [half]);
    }
    return result;
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    let result = rowCandidates(this.shape, x0, y0, z, dx, dy);
    if (result === undefined) return undefined;
    for (const plane of this.planes) {
      const half = planeInterval(plane, x0, y0, z, dx, dy);
      result = half === null ? [] : intersectIntervals(result, [half]);
    }
    return result;
  }
}

/** A shape moved by an offset (mm). */
export class Translated implements Shape {
  readonly box: Aabb;
  constructor(
    readonly shape: Shape,
    readonly offset: Vec3,
  ) {
    const [dx, dy, dz] = offset;
    this.box = { min: [shape.box.min[0] + dx, shape.box.min[1] + dy, shape.box.min[2] + dz], max: [shape.box.max[0] + dx, shape.box.max[1] + dy, shape.box.max[2] + dz] };
  }
  contains(x: number, y: number, z: number): boolean {
    return this.shape.contains(x - this.offset[0], y - this.offset[1], z - this.offset[2]);
  }
  rowRanges(x0: number, y0: number, z: number, dx: number, dy: number): RowIntervals | undefined {
    return rowCandidates(this.shape, x0 - this.offset[0], y0 - this.offset[1], z - this.offset[2], dx, dy);
  }
}
