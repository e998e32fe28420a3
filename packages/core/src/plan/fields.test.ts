import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { computeKeepOutFields, sampleField } from './fields.ts';
import { buildPlanAnatomy } from './plan-anatomy.ts';

describe('keep-out fields', () => {
  // A 0.5 mm label map with one aorta voxel at index (10, 10, 10): fields on 1.5 mm blocks (3 voxels a side).
  const n = 30;
  const data = new Uint8Array(n * n * n);
  data[10 + n * (10 + n * 10)] = 227;
  const labels = createVolume({ size: [n, n, n], spacing: [0.5, 0.5, 0.5], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, units: 'label' });
  const anatomy = buildPlanAnatomy(labels, { 227: 'aorta' });
  const level = { name: 'L4-L5', upper: 'L4', lower: 'L5', lowerLabel: 'L5' };

  it('on the label map grid: the exact distance to the structure', () => {
    const fields = computeKeepOutFields(anatomy, level, 'left', { lo: [0, 0, 0], dims: [n, n, n] }, 25, 0.5);
    const aorta = fields.fields.get('vessels')!;
    expect(aorta.step).toEqual([1, 1, 1]);
    expect(sampleField(aorta, 16, 10, 10)).toBeCloseTo(3, 5);
    expect(sampleField(aorta, 10, 14, 13)).toBeCloseTo(2.5, 5);
    expect(fields.fields.get('kidneys')!.field.empty).toBe(true);
  });

  it('on coarser blocks: within a block\'s half-diagonal of the exact distance', () => {
    const fields = computeKeepOutFields(anatomy, level, 'left', { lo: [0, 0, 0], dims: [n, n, n] }, 25, 1.5);
    const aorta = fields.fields.get('vessels')!;
    expect(aorta.step).toEqual([3, 3, 3]);
    const halfDiagonal = (Math.sqrt(3) * 1.5) / 2;
    for (const [i, j, k] of [[16, 10, 10], [10, 20, 13], [3, 4, 25], [25, 25, 25]] as const) {
      const exact = 0.5 * Math.hypot(i - 10, j - 10, k - 10);
      expect(Math.abs(sampleField(aorta, i, j, k) - exact)).toBeLessThanOrEqual(halfDiagonal + 1e-6);
    }
  });
});
