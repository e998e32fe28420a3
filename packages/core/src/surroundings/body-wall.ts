/**
 * Subcutaneous fat and the muscular abdominal wall of one axial slice, found along scan lines from the skin
 * inward (from the back, the front, the left and the right; the union of the four): past the skin, the fat run
 * is subcutaneous; the soft-tissue run after it, up to `wallDepthMm` and ending at the next fat or gas voxel, is
 * the muscle of the wall (obliques, transversus, rectus; latissimus and erector spinae at the back). A scan line
 * cannot leak through a thin muscle layer into the visceral fat the way a flood fill would at 3 mm.
 */
import type { SurroundingsSettings } from './settings.ts';

export interface BodyWallInput {
  readonly nx: number;
  readonly ny: number;
  readonly sx: number;
  readonly sy: number;
  readonly body: Uint8Array;
  readonly hu: ArrayLike<number>;
  /** Box-mean HU (fat/muscle decisions). */
  readonly smoothHu: ArrayLike<number>;
  /** Distance (mm) from outside the body. */
  readonly depthMm: Float32Array;
  readonly skinMm: number;
  readonly settings: SurroundingsSettings;
}

export interface BodyWall {
  readonly subcutaneous: Uint8Array;
  readonly muscle: Uint8Array;
}

export function bodyWall(input: BodyWallInput): BodyWall {
  const { nx, ny, sx, sy, body, hu, smoothHu, depthMm, skinMm, settings: s } = input;
  const subcutaneous = new Uint8Array(nx * ny);
  const muscle = new Uint8Array(nx * ny);
  // Fat in both the raw and the box-mean HU: a thin bowel wall in fat is not swallowed by the mean.
  const isFat = (o: number): boolean => smoothHu[o]! <= s.fatMaxHu && hu[o]! <= s.fatMaxHu && hu[o]! > s.gasMaxHu;
  const walk = (start: number, step: number, count: number, stepMm: number): void => {
    let o = start, t = 0;
    while (t < count && body[o] === 0) { o += step; t++; }
    let phase: 'skin' | 'fat' | 'muscle' = 'skin';
    let muscleMm = 0;
    for (; t < count; t++, o += step) {
      if (body[o] === 0) return;
      if (phase === 'skin') {
        if (depthMm[o]! <= skinMm) { subcutaneous[o] = 1; continue; }
        phase = 'fat';
      }
      if (phase === 'fat') {
        if (depthMm[o]! > s.subcutaneousMaxDepthMm) return;
        if (isFat(o)) { subcutaneous[o] = 1; continue; }
        phase = 'muscle';
      }
      if (hu[o]! <= s.gasMaxHu || isFat(o) || muscleMm >= s.wallDepthMm) return;
      muscle[o] = 1;
      muscleMm += stepMm;
    }
  };
  for (let x = 0; x < nx; x++) {
    walk(x, nx, ny, sy);
    walk(x + nx * (ny - 1), -nx, ny, sy);
  }
  for (let y = 0; y < ny; y++) {
    walk(nx * y, 1, nx, sx);
    walk(nx * y + nx - 1, -1, nx, sx);
  }
  for (let o = 0; o < muscle.length; o++) if (subcutaneous[o] === 1) muscle[o] = 0;
  return { subcutaneous, muscle };
}
