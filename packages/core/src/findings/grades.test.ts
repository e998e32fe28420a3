import { describe, expect, it } from 'vitest';
import { isKeyholeError } from '../errors/keyhole-error.ts';
import { createVolume } from '../volume/volume.ts';
import { findingsFromLabelMap } from './findings-from-label-map.ts';
import { genantGrade, lurie, meyerding } from './grades.ts';
import { convexHull, outsideDistance } from './herniation.ts';
import { legendEntries, normaliseName } from './label-map.ts';
import { DEFAULT_FINDINGS_SETTINGS as S } from './settings.ts';

describe('grading rules', () => {
  it('Genant grades from height loss (settings 20/25/40%)', () => {
    expect([0.1, 0.2, 0.25, 0.26, 0.4, 0.41].map((x) => genantGrade(x, S))).toEqual([0, 1, 1, 2, 2, 3]);
  });
  it('Meyerding grades from slip % [Medscape, Koslosky2020]', () => {
    expect([10, 25, 26, 50, 51, 75, 76, 100, 101].map(meyerding)).toEqual(['I', 'I', 'II', 'II', 'III', 'III', 'IV', 'IV', 'V']);
  });
  it('Lurie thirds of area loss [Radiopaedia-LSS] from the reporting floor', () => {
    expect([0.1, 0.2, 1 / 3, 0.5, 2 / 3, 0.8].map((x) => lurie(x, S))).toEqual(['none', 'mild', 'mild', 'moderate', 'moderate', 'severe']);
  });
});

describe('label maps', () => {
  it('normalises TotalSegmentator names to the vocabulary (S1 joins the sacrum)', () => {
    expect(['vertebrae_L1', 'vertebrae_T12', 'vertebrae_S1', 'sacrum', 'L4-L5', 'dural_sac'].map(normaliseName)).toEqual(['L1', 'T12', 'sacrum', 'sacrum', 'L4-L5', 'dural_sac']);
    expect(legendEntries({ labels: [{ value: 24, name: 'L4' }] })).toEqual([{ value: 24, name: 'L4' }]);
    expect(legendEntries({ '27': 'vertebrae_L5' })).toEqual([{ value: 27, name: 'L5' }]);
  });
  it('refuses a label map without vertebrae: findings need an anatomy model', () => {
    const labels = createVolume({ size: [4, 4, 4], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Uint8Array(64), units: 'label' });
    try {
      findingsFromLabelMap({ labels, legend: { '24': 'L4' } });
      expect.unreachable();
    } catch (error) {
      expect(isKeyholeError(error) && error.code).toBe('FINDINGS_NEED_ANATOMY');
      expect(String((error as Error).message)).toMatch(/run keyhole segment or pass --labels/);
    }
  });
  it('measures distance outside a convex outline', () => {
    const hull = convexHull([[0, 0], [10, 0], [10, 10], [0, 10], [5, 5]]);
    expect(hull).toHaveLength(4);
    expect(outsideDistance(hull, [13, 5])).toBeCloseTo(3);
    expect(outsideDistance(hull, [5, 5])).toBeLessThan(0);
  });
});
