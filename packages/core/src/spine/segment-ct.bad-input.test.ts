import { describe, expect, it } from 'vitest';
import { createVolume, type Volume } from '../volume/volume.ts';
import { segmentSpineCt } from './segment-ct.ts';

/** A CT-like volume (HU) filled by a function of the LPS position (mm). */
function ct(size: [number, number, number], spacing: number, hu: (x: number, y: number, z: number) => number): Volume {
  const data = new Int16Array(size[0] * size[1] * size[2]);
  let o = 0;
  const c = size.map((n) => ((n - 1) * spacing) / 2);
  for (let k = 0; k < size[2]; k++) for (let j = 0; j < size[1]; j++) for (let i = 0; i < size[0]; i++, o++) {
    data[o] = hu(i * spacing - c[0]!, j * spacing - c[1]!, k * spacing - c[2]!);
  }
  return createVolume({ size, spacing: [spacing, spacing, spacing], origin: [-c[0]!, -c[1]!, -c[2]!], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, units: 'HU' });
}

describe('segmentSpineCt: bad input gives a clear result, not a guess', () => {
  it('a volume of soft tissue without bone: no spine found', () => {
    const r = segmentSpineCt({ volume: ct([60, 60, 60], 3, (x, y) => (x * x + y * y < 80 * 80 ? 40 : -1000)) });
    expect(r.model.status).toBe('no-spine');
    expect(r.labels).toBeUndefined();
    expect(r.model.message).toMatch(/no spine/);
  });

  it('a single slice: insufficient coverage', () => {
    const r = segmentSpineCt({ volume: ct([80, 80, 1], 2, (x, y) => (x * x + y * y < 15 * 15 ? 400 : 40)) });
    expect(r.model.status).toBe('insufficient-coverage');
    expect(r.model.levelCount.verified).toBe(false);
  });

  it('a head-sized bone shell (a skull without a vertebral column): no spine found', () => {
    const r = segmentSpineCt({
      volume: ct([70, 80, 70], 3, (x, y, z) => {
        const r2 = (x / 75) ** 2 + (y / 95) ** 2 + (z / 80) ** 2;
        return r2 < 0.85 ? 35 : r2 < 1 ? 1200 : -1000;
      }),
    });
    expect(['no-spine', 'insufficient-coverage']).toContain(r.model.status);
    expect(r.model.vertebrae).toHaveLength(0);
  });

  it('an MR volume: unsupported modality for now', () => {
    const base = ct([10, 10, 10], 3, () => 0);
    const r = segmentSpineCt({ volume: createVolume({ ...base, units: 'signal' }) });
    expect(r.model.status).toBe('unsupported-modality');
  });
});
