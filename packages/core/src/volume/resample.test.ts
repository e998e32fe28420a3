import { describe, expect, it } from 'vitest';
import { mat4MulPoint } from '../geometry/matrix.ts';
import { resampleVolume } from './resample.ts';
import { createVolume, indexToWorld, type Volume } from './volume.ts';

/** A field linear in world coordinates: trilinear interpolation reproduces it exactly. */
const field = (p: readonly number[]): number => 2 * p[0]! - 3 * p[1]! + 0.5 * p[2]! + 7;

function volumeOf(init: { size: [number, number, number]; spacing: number[]; origin: number[]; direction: number[] }): Volume {
  const empty = createVolume({ ...init, data: new Float32Array(init.size[0] * init.size[1] * init.size[2]), units: 'signal' });
  const data = new Float32Array(empty.data.length);
  for (let k = 0; k < init.size[2]; k++)
    for (let j = 0; j < init.size[1]; j++)
      for (let i = 0; i < init.size[0]; i++) data[i + init.size[0] * (j + init.size[1] * k)] = field(indexToWorld(empty, [i, j, k]));
  return createVolume({ ...init, data, units: 'signal', label: 'field' });
}

describe('resampleVolume', () => {
  const source = volumeOf({ size: [10, 12, 8], spacing: [1, 1.5, 2], origin: [-5, -6, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] });

  it('onto its own grid returns the same voxels', () => {
    const { volume, outsideCount } = resampleVolume({ source, target: source });
    expect(outsideCount).toBe(0);
    expect(Array.from(volume.data)).toEqual(Array.from(source.data));
    expect(volume.units).toBe('signal');
    expect(volume.label).toBe('field');
  });

  it('trilinear onto a rotated, finer grid reproduces a linear field exactly inside, fill outside', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const target = { size: [9, 9, 7], spacing: [0.7, 0.9, 1.1], origin: [-2, -3, 2], direction: [c, -s, 0, s, c, 0, 0, 0, 1] };
    const { volume, outsideCount } = resampleVolume({ source, target, fill: -999 });
    let inside = 0;
    for (let k = 0; k < 7; k++)
      for (let j = 0; j < 9; j++)
        for (let i = 0; i < 9; i++) {
          const v = volume.data[i + 9 * (j + 9 * k)]!;
          const world = indexToWorld(volume, [i, j, k]);
          const idx = mat4MulPoint(source.worldToIndex, world);
          const within = idx.every((x, a) => x >= 0 && x <= source.size[a as 0 | 1 | 2] - 1);
          if (within) {
            inside++;
            expect(v).toBeCloseTo(field(world), 3);
          }
        }
    expect(inside).toBeGreaterThan(200);
    expect(outsideCount).toBeLessThan(9 * 9 * 7 - inside + 1);
  });

  it('nearest keeps label values and the source type', () => {
    const labels = createVolume({ size: [4, 4, 4], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Uint8Array(64).map((_, n) => n % 5), units: 'label' });
    const target = { size: [8, 8, 8], spacing: [0.5, 0.5, 0.5], origin: [-0.25, -0.25, -0.25], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const { volume } = resampleVolume({ source: labels, target, interpolation: 'nearest' });
    expect(volume.data).toBeInstanceOf(Uint8Array);
    expect(new Set(volume.data)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(volume.data[1 + 8 * (2 + 8 * 3)]).toBe(labels.data[0 + 4 * (1 + 4 * 1)]);
  });
});
