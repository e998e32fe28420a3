import { describe, expect, it } from 'vitest';
import { fillLabelHoles } from './fill-label-holes.ts';
import type { WorkGrid } from './working-grid.ts';

const n = 20;
const grid: WorkGrid = { nx: n, ny: n, nz: n, w: 1, origin: [0, 0, 0], hu: new Float32Array(n * n * n) };
const at = (i: number, j: number, k: number): number => i + n * (j + n * k);

function box(segment: Uint8Array, label: number, i0: number, i1: number, j0: number, j1: number, k0: number, k1: number): void {
  for (let k = k0; k <= k1; k++) for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) segment[at(i, j, k)] = label;
}

describe('fillLabelHoles', () => {
  it('fills dark marrow enclosed by one vertebra', () => {
    const segment = new Uint8Array(n * n * n);
    box(segment, 1, 4, 14, 4, 14, 4, 14);
    box(segment, 0, 7, 9, 7, 9, 7, 9);
    expect(fillLabelHoles({ grid, segment, labelCount: 1 })).toBe(27);
    expect(segment[at(8, 8, 8)]).toBe(1);
  });

  it('leaves a canal that runs on through the vertebra open, and the gap between two vertebrae', () => {
    const segment = new Uint8Array(n * n * n);
    // A ring around a canal along k (the neural arch): enclosed axially, open cranially and caudally.
    box(segment, 1, 4, 14, 4, 14, 2, 8);
    box(segment, 0, 8, 10, 8, 10, 2, 8);
    // A second vertebra above, across a one-voxel disc.
    box(segment, 2, 4, 14, 4, 14, 10, 16);
    box(segment, 0, 8, 10, 8, 10, 10, 16);
    expect(fillLabelHoles({ grid, segment, labelCount: 2 })).toBe(0);
    expect(segment[at(9, 9, 5)]).toBe(0);
    expect(segment[at(9, 9, 9)]).toBe(0);
    expect(segment[at(6, 6, 9)]).toBe(0);
  });

  it('does not fill a hole larger than maxHoleMm2', () => {
    const segment = new Uint8Array(n * n * n);
    box(segment, 1, 2, 17, 2, 17, 2, 17);
    box(segment, 0, 4, 15, 4, 15, 4, 15);
    expect(fillLabelHoles({ grid, segment, labelCount: 1, maxHoleMm2: 100 })).toBe(0);
  });
});
