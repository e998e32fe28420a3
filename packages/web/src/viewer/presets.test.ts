import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESETS, presetRange, windowFromRange } from './presets.ts';

describe('window presets', () => {
  it('fixed CT presets give their window as a range', () => {
    const bone = DEFAULT_PRESETS.find((p) => p.id === 'bone')!;
    expect(presetRange(bone, [])).toEqual({ lower: -500, upper: 1500 });
    expect(windowFromRange(presetRange(DEFAULT_PRESETS.find((p) => p.id === 'soft-tissue')!, []))).toEqual({ windowWidth: 400, windowCenter: 40 });
  });
  it('the spine MRI preset spans the 1st–99th percentile of the image, ignoring outliers', () => {
    const values = new Float64Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = i % 1000; // 0..999, uniform
    values[0] = 1e6; // one hot pixel
    const range = presetRange(DEFAULT_PRESETS.find((p) => p.id === 'spine-mri')!, values);
    expect(range.lower).toBeGreaterThanOrEqual(5);
    expect(range.lower).toBeLessThanOrEqual(15);
    expect(range.upper).toBeGreaterThanOrEqual(985);
    expect(range.upper).toBeLessThanOrEqual(995);
  });
});
