import { describe, expect, it } from 'vitest';
import { createVolume, DEFAULT_C_ARM_GEOMETRY, indexToWorld, projectionFromPose, renderDrr, type Volume } from '@keyhole/core';
import { createParallelDrrRenderer, renderDrrParallel } from './parallel-drr.ts';

/** A small CT: a water cylinder along z with a dense rod off-centre, on a flipped grid. */
function ct(data: Int16Array | Float32Array | Int32Array): Volume {
  const size = [40, 36, 30] as const;
  const volume = createVolume({ size, spacing: [2, 2, 2.5], origin: [40, 35, -30], direction: [-1, 0, 0, 0, -1, 0, 0, 0, 1], data, units: 'HU' });
  for (let k = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      for (let i = 0; i < size[0]; i++) {
        const [x, y] = indexToWorld(volume, [i, j, k]);
        const r = Math.hypot(x, y);
        data[i + size[0] * (j + size[1] * k)] = Math.hypot(x - 10, y + 5) < 4 ? 1500 : r < 30 ? 20 : -1000;
      }
    }
  }
  return volume;
}

const geometry = { ...DEFAULT_C_ARM_GEOMETRY, detectorPixels: [64, 50] as const, detectorSizeMm: [256, 200] as const };
const projection = (primaryDeg: number, secondaryDeg = 0) => projectionFromPose({ geometry, isocentre: [0, 0, 5], primaryDeg, secondaryDeg });

describe('CPU DRR on worker threads', () => {
  it('gives exactly the single-thread image, with 1, 2 or 3 threads and uneven row blocks', async () => {
    const volume = ct(new Int16Array(40 * 36 * 30));
    const p = projection(30, 10);
    const reference = renderDrr(volume, p).image.data;
    for (const [threads, blockRows] of [[1, 4], [2, 4], [3, 7]] as const) {
      const result = await renderDrrParallel(volume, p, { threads, blockRows });
      expect(result.image.data).toEqual(reference);
      expect(result.image.size).toEqual([64, 50]);
    }
  });

  it('renders several poses with the same workers, and float or 32-bit CT alike', async () => {
    for (const data of [new Float32Array(40 * 36 * 30), new Int32Array(40 * 36 * 30)]) {
      const volume = ct(data);
      const renderer = await createParallelDrrRenderer(volume, { threads: 2 });
      try {
        for (const primary of [0, 90, -45]) {
          const result = await renderer.render(projection(primary));
          const reference = renderDrr(volume, projection(primary)).image.data;
          let worst = 0;
          for (let n = 0; n < reference.length; n++) worst = Math.max(worst, Math.abs(result.image.data[n]! - reference[n]!));
          expect(worst).toBeLessThan(1e-5);
        }
      } finally {
        await renderer.close();
      }
      await expect(renderer.render(projection(0))).rejects.toThrow(/closed/);
    }
  });

  it('refuses a bad thread count', async () => {
    await expect(createParallelDrrRenderer(ct(new Int16Array(40 * 36 * 30)), { threads: 0 })).rejects.toThrow(/threads/);
  });
});
