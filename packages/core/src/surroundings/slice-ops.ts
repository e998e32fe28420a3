/**
 * Small per-slice and 3-D mask operations on the LPS work grid (`lps-grid.ts`): the body's largest component,
 * holes filled per axial slice, a two-pass chamfer distance in mm [Borgefors 1986, "Distance transformations in
 * digital images"], and a 2-D flood fill. Masks are Uint8Array in work order (x fastest).
 */
/** Largest 6-connected component of `mask` (1s), in place. */
export function keepLargestComponent(mask: Uint8Array, dims: readonly [number, number, number]): void {
  const [nx, ny, nz] = dims;
  const label = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let best = 0, bestSize = 0, next = 0;
  for (let s = 0; s < mask.length; s++) {
    if (mask[s] === 0 || label[s] !== 0) continue;
    next++;
    let top = 0, size = 0;
    stack[top++] = s;
    label[s] = next;
    while (top > 0) {
      const o = stack[--top]!;
      size++;
      const x = o % nx, y = Math.floor(o / nx) % ny, z = Math.floor(o / (nx * ny));
      const push = (n: number): void => { if (mask[n] === 1 && label[n] === 0) { label[n] = next; stack[top++] = n; } };
      if (x > 0) push(o - 1);
      if (x < nx - 1) push(o + 1);
      if (y > 0) push(o - nx);
      if (y < ny - 1) push(o + nx);
      if (z > 0) push(o - nx * ny);
      if (z < nz - 1) push(o + nx * ny);
    }
    if (size > bestSize) { bestSize = size; best = next; }
  }
  for (let o = 0; o < mask.length; o++) mask[o] = label[o] === best && best !== 0 ? 1 : 0;
}

/** 2-D flood (4-connected) over `passable` from `seeds` within one slice; returns the reached mask of the slice. */
export function flood2d(nx: number, ny: number, passable: (o: number) => boolean, seeds: Iterable<number>): Uint8Array {
  const reached = new Uint8Array(nx * ny);
  const stack: number[] = [];
  for (const s of seeds) if (reached[s] === 0 && passable(s)) { reached[s] = 1; stack.push(s); }
  while (stack.length > 0) {
    const o = stack.pop()!;
    const x = o % nx, y = (o - x) / nx;
    const visit = (n: number): void => { if (reached[n] === 0 && passable(n)) { reached[n] = 1; stack.push(n); } };
    if (x > 0) visit(o - 1);
    if (x < nx - 1) visit(o + 1);
    if (y > 0) visit(o - nx);
    if (y < ny - 1) visit(o + nx);
  }
  return reached;
}

/** Fills the holes of a slice mask: what the outside (from the slice border) cannot reach becomes 1. */
export function fillHoles2d(slice: Uint8Array, nx: number, ny: number): void {
  const border: number[] = [];
  for (let x = 0; x < nx; x++) border.push(x, x + nx * (ny - 1));
  for (let y = 0; y < ny; y++) border.push(y * nx, y * nx + nx - 1);
  const outside = flood2d(nx, ny, (o) => slice[o] === 0, border);
  for (let o = 0; o < slice.length; o++) if (outside[o] === 0) slice[o] = 1;
}

/** Chamfer distance (mm) of every voxel to the nearest voxel where `source` is 1, in one slice (8-neighbour weights from the spacing). */
export function chamfer2d(source: Uint8Array, nx: number, ny: number, sx: number, sy: number): Float32Array {
  const d = new Float32Array(nx * ny);
  const sd = Math.hypot(sx, sy);
  for (let o = 0; o < d.length; o++) d[o] = source[o] === 1 ? 0 : 1e9;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const o = x + nx * y;
    let v = d[o]!;
    if (x > 0) v = Math.min(v, d[o - 1]! + sx);
    if (y > 0) {
      v = Math.min(v, d[o - nx]! + sy);
      if (x > 0) v = Math.min(v, d[o - nx - 1]! + sd);
      if (x < nx - 1) v = Math.min(v, d[o - nx + 1]! + sd);
    }
    d[o] = v;
  }
  for (let y = ny - 1; y >= 0; y--) for (let x = nx - 1; x >= 0; x--) {
    const o = x + nx * y;
    let v = d[o]!;
    if (x < nx - 1) v = Math.min(v, d[o + 1]! + sx);
    if (y < ny - 1) {
      v = Math.min(v, d[o + nx]! + sy);
      if (x < nx - 1) v = Math.min(v, d[o + nx + 1]! + sd);
      if (x > 0) v = Math.min(v, d[o + nx - 1]! + sd);
    }
    d[o] = v;
  }
  return d;
}

/** Keeps the largest 4-connected component of a slice mask, in place (drops the table and arms apart from the trunk). */
export function keepLargestComponent2d(slice: Uint8Array, nx: number, ny: number): void {
  const seen = new Uint8Array(slice.length);
  let best: Uint8Array | undefined, bestSize = 0;
  for (let o = 0; o < slice.length; o++) {
    if (slice[o] === 0 || seen[o] === 1) continue;
    const part = flood2d(nx, ny, (n) => slice[n] === 1, [o]);
    let size = 0;
    for (let n = 0; n < part.length; n++) if (part[n] === 1) { seen[n] = 1; size++; }
    if (size > bestSize) { bestSize = size; best = part; }
  }
  if (best !== undefined) for (let o = 0; o < slice.length; o++) slice[o] = best[o]!;
}

/** In-plane box mean of one slice with a half-width of `rx`, `ry` voxels (separable running sums). */
export function boxMean2d(values: Float32Array, nx: number, ny: number, rx: number, ry: number): Float32Array {
  const tmp = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    let sum = 0, n = 0;
    for (let t = Math.max(0, x - rx); t <= Math.min(nx - 1, x + rx); t++) { sum += values[t + nx * y]!; n++; }
    tmp[x + nx * y] = sum / n;
  }
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    let sum = 0, n = 0;
    for (let t = Math.max(0, y - ry); t <= Math.min(ny - 1, y + ry); t++) { sum += tmp[x + nx * t]!; n++; }
    out[x + nx * y] = sum / n;
  }
  return out;
}
