import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../errors/keyhole-error.ts';
import { createVolume, indexToWorld, worldToIndex, handedness, compareGrids } from './volume.ts';

const sagittal = () =>
  // A sagittal stack: rows run anterior→posterior (+y), columns run superior→inferior (−z), slices left→right... (−x)
  createVolume({
    size: [4, 3, 2], spacing: [0.5, 0.8, 4], origin: [10, -50, 100],
    direction: [0, 0, -1, 1, 0, 0, 0, -1, 0], data: new Int16Array(24), units: 'signal',
  });

describe('Volume', () => {
  it('maps index ↔ LPS with origin, spacing and direction columns', () => {
    const v = sagittal();
    expect(indexToWorld(v, [0, 0, 0])).toEqual([10, -50, 100]);
    // i runs along +y (column 0 of direction), j along −z, k along −x.
    expect(indexToWorld(v, [2, 0, 0])).toEqual([10, -49, 100]);
    expect(indexToWorld(v, [0, 1, 0])).toEqual([10, -50, 99.2]);
    expect(indexToWorld(v, [0, 0, 1])).toEqual([6, -50, 100]);
    const back = worldToIndex(v, indexToWorld(v, [1.5, 2, 1]));
    back.forEach((value, axis) => expect(value).toBeCloseTo([1.5, 2, 1][axis]!, 12));
    expect(handedness(v)).toBe(1);
  });

  it('fails loudly on geometry that cannot be trusted', () => {
    const base = { size: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Uint8Array(8), units: 'label' as const };
    expect(() => createVolume({ ...base, spacing: [1, 0, 1] })).toThrow(KeyholeError);
    expect(() => createVolume({ ...base, direction: [1, 0, 0, 0.2, 1, 0, 0, 0, 1] })).toThrow(/not orthonormal/);
    expect(() => createVolume({ ...base, data: new Uint8Array(7) })).toThrow(/needs 8/);
    expect(() => createVolume({ ...base, origin: [0, Number.NaN, 0] })).toThrow(/finite/);
    expect(() => createVolume({ ...base, size: [2, 2, 2.5] })).toThrow(/whole numbers/);
  });

  it('compares grids including direction, not only origin and spacing', () => {
    const a = sagittal();
    const flipped = createVolume({ ...a, direction: [0, 0, 1, 1, 0, 0, 0, -1, 0] });
    expect(compareGrids(a, a).same).toBe(true);
    expect(compareGrids(a, flipped).same).toBe(false);
  });

  it('is a plain object that survives structuredClone (crosses worker boundaries)', () => {
    const v = sagittal();
    const copy = structuredClone(v);
    expect(copy.indexToWorld).toEqual(v.indexToWorld);
    expect(copy.data).toBeInstanceOf(Int16Array);
  });
});
