import { describe, expect, it } from 'vitest';
import { buildSpineScene } from './scene.ts';
import type { IliacCrestHeight, SpineScene } from './types.ts';

const crestTop = (scene: SpineScene): number => (scene.landmarks['iliac_crest_left.top']!.point[2] + scene.landmarks['iliac_crest_right.top']!.point[2]) / 2;

describe('iliac crest height (clinical reference §6)', () => {
  const build = (iliacCrestHeight: IliacCrestHeight, variant?: { kind: 'six-lumbar' }) =>
    buildSpineScene({ seed: 51, iliacCrestHeight, ...(variant !== undefined ? { variant } : {}) });

  it('places the apex per Choi [HIC-Def] and Song [Song2021] relative to the last two lumbar pedicles', () => {
    const heights = (['low', 'mid-L5', 'high', 'very-high'] as const).map((h) => {
      const scene = build(h);
      const l5 = scene.vertebrae.find((v) => v.name === 'L5')!;
      const l4 = scene.vertebrae.find((v) => v.name === 'L4')!;
      const l5Mid = l5.pedicles.left[2];
      const l5Top = l5Mid + l5.pedicleHeightMm / 2;
      const l5Bottom = l5Mid - l5.pedicleHeightMm / 2;
      const l4Bottom = l4.pedicles.left[2] - l4.pedicleHeightMm / 2;
      const apex = l5Mid + scene.morphometry.iliacCrestOffsetMm;
      // The crest landmark sits 4 mm under the apex inside the crest rim.
      expect(Math.abs(crestTop(scene) + 4 - apex)).toBeLessThan(1);
      return { h, apex, l5Mid, l5Top, l5Bottom, l4Bottom };
    });
    const [low, mid, high, veryHigh] = heights;
    expect(low!.apex).toBeLessThan(low!.l5Bottom); // Song I, not high by Choi
    expect(mid!.apex).toBeCloseTo(mid!.l5Mid, 6); // Choi's boundary
    expect(high!.apex).toBeGreaterThan(high!.l5Top); // Song II: between the L5 pedicle top and the L4 pedicle's lower edge
    expect(high!.apex).toBeLessThan(high!.l4Bottom);
    expect(veryHigh!.apex).toBeGreaterThan(veryHigh!.l4Bottom); // Song III
  });

  it('accepts an explicit offset and refers to the last lumbar-type vertebra in a six-lumbar spine', () => {
    const scene = build({ offsetMm: 7.5 }, { kind: 'six-lumbar' });
    expect(scene.morphometry.iliacCrestOffsetMm).toBeCloseTo(7.5, 9);
    const l6 = scene.vertebrae.find((v) => v.name === 'L6')!;
    expect(Math.abs(crestTop(scene) + 4 - (l6.pedicles.left[2] + 7.5))).toBeLessThan(1);
  });
});
