import { add, scale, type Vec3 } from '../geometry/vec3.ts';
import type { Frame } from './vertebra-geometry.ts';

/**
 * A 2-D section of a structure on a plane: a grid of `step` mm over [u0,u1]×[v0,v1] in the plane's (left,
 * posterior) axes, filled by a point test, reduced to its largest connected region with enclosed holes
 * filled (roots inside the dural sac belong to the sac's cross-section).
 */
export interface PlaneSection {
  readonly area: number;
  /** Pixels of the kept region (row-major, nu × nv). */
  readonly region: Uint8Array;
  readonly nu: number;
  readonly nv: number;
  readonly step: number;
  readonly u0: number;
  readonly v0: number;
  /** Centroid of the region in plane coordinates. */
  readonly cu: number;
  readonly cv: number;
}

export function planeSection(options: {
  origin: Vec3;
  frame: Frame;
  u: readonly [number, number];
  v: readonly [number, number];
  step: number;
  test: (p: Vec3) => boolean;
  /** Keep the region nearest this plane point instead of the largest. */
  near?: readonly [number, number];
}): PlaneSection | undefined {
  const { origin, frame, step } = options;
  const nu = Math.max(1, Math.round((options.u[1] - options.u[0]) / step));
  const nv = Math.max(1, Math.round((options.v[1] - options.v[0]) / step));
  const grid = new Uint8Array(nu * nv);
  for (let b = 0; b < nv; b++) {
    const v = options.v[0] + (b + 0.5) * step;
    const rowBase = add(origin, scale(frame.posterior, v));
    for (let a = 0; a < nu; a++) {
      const u = options.u[0] + (a + 0.5) * step;
      if (options.test(add(rowBase, scale(frame.left, u)))) grid[a + nu * b] = 1;
    }
  }
  // Connected regions (4-connectivity).
  const comp = new Int32Array(nu * nv).fill(-1);
  const sizes: number[] = [];
  const stack: number[] = [];
  for (let s = 0; s < grid.length; s++) {
    if (grid[s] === 0 || comp[s]! >= 0) continue;
    const id = sizes.length;
    let n = 0;
    comp[s] = id;
    stack.push(s);
    while (stack.length > 0) {
      const c = stack.pop()!;
      n++;
      const a = c % nu, b = (c - a) / nu;
      const nb = [a > 0 ? c - 1 : -1, a < nu - 1 ? c + 1 : -1, b > 0 ? c - nu : -1, b < nv - 1 ? c + nu : -1];
      for (const x of nb) if (x >= 0 && grid[x] === 1 && comp[x]! < 0) {
        comp[x] = id;
        stack.push(x);
      }
    }
    sizes.push(n);
  }
  if (sizes.length === 0) return undefined;
  let keep = 0;
  if (options.near !== undefined) {
    const [nu0, nv0] = options.near;
    let best = Infinity;
    for (let s = 0; s < grid.length; s++) {
      if (grid[s] === 0) continue;
      const a = s % nu, b = (s - a) / nu;
      const d = Math.hypot(options.u[0] + (a + 0.5) * step - nu0, options.v[0] + (b + 0.5) * step - nv0);
      if (d < best) {
        best = d;
        keep = comp[s]!;
      }
    }
  } else keep = sizes.indexOf(Math.max(...sizes));
  const region = new Uint8Array(nu * nv);
  for (let s = 0; s < grid.length; s++) if (comp[s] === keep) region[s] = 1;
  // Fill holes: background not reachable from the border.
  const outside = new Uint8Array(nu * nv);
  for (let a = 0; a < nu; a++) for (const b of [0, nv - 1]) stack.push(a + nu * b);
  for (let b = 0; b < nv; b++) for (const a of [0, nu - 1]) stack.push(a + nu * b);
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (outside[c] === 1 || region[c] === 1) continue;
    outside[c] = 1;
    const a = c % nu, b = (c - a) / nu;
    if (a > 0) stack.push(c - 1);
    if (a < nu - 1) stack.push(c + 1);
    if (b > 0) stack.push(c - nu);
    if (b < nv - 1) stack.push(c + nu);
  }
  let count = 0, su = 0, sv = 0;
  for (let s = 0; s < region.length; s++) {
    if (outside[s] === 0) region[s] = 1;
    if (region[s] === 1) {
      const a = s % nu, b = (s - a) / nu;
      count++;
      su += options.u[0] + (a + 0.5) * step;
      sv += options.v[0] + (b + 0.5) * step;
    }
  }
  return { area: count * step * step, region, nu, nv, step, u0: options.u[0], v0: options.v[0], cu: su / count, cv: sv / count };
}

/** Extent (mm) of the region along v within ±`halfBand` mm of u = `atU`. */
export function extentAlongV(section: PlaneSection, atU: number, halfBand: number): number {
  let lo = Infinity, hi = -Infinity;
  for (let s = 0; s < section.region.length; s++) {
    if (section.region[s] === 0) continue;
    const a = s % section.nu, b = (s - a) / section.nu;
    const u = section.u0 + (a + 0.5) * section.step;
    if (Math.abs(u - atU) > halfBand) continue;
    const v = section.v0 + (b + 0.5) * section.step;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi >= lo ? hi - lo + section.step : 0;
}
