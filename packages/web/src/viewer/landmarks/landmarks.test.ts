import { describe, expect, it } from 'vitest';
import type { AnatomyStatus } from '../../api/anatomy.ts';
import { landmarksFromAnatomy, landmarksOnPlane } from './landmarks.ts';

const run = (over: Partial<AnatomyStatus>): AnatomyStatus => ({
  studyUid: '1', seriesUid: '2', state: 'done', progress: 1, stage: 'done', message: '', requestedBy: 'r', updatedAt: '', frameOfReferenceUid: '9.9',
  levelCount: { labels: ['L4', 'L5'], confidence: 0.9, verified: false, cues: [], reasons: [], pattern: 'standard' },
  model: { vertebrae: [{ name: 'L4', bodyCentre: [0, 10, 100] }, { name: 'L5', bodyCentre: [0, 12, 70] }], discs: [{ name: 'L4-L5', centre: [0, 11, 85] }] },
  ...over,
});

describe('landmarks on a plane', () => {
  it('takes finished runs of the same frame of reference only, and marks unconfirmed, unverified names as not settled', () => {
    expect(landmarksFromAnatomy([run({})], '9.9').map((l) => [l.name, l.kind, l.settled])).toEqual([['L4', 'vertebra', false], ['L5', 'vertebra', false], ['L4-L5', 'disc', false]]);
    expect(landmarksFromAnatomy([run({})], '8.8')).toEqual([]);
    expect(landmarksFromAnatomy([run({ state: 'running' })], '9.9')).toEqual([]);
    expect(landmarksFromAnatomy([run({ confirmation: { by: 's', at: '', labels: ['L4', 'L5'] } })], '9.9').every((l) => l.settled)).toBe(true);
  });

  it('names a vertebra within 12 mm of an axial plane and a disc within 4 mm; a sagittal plane through the midline names them all', () => {
    const landmarks = landmarksFromAnatomy([run({})], '9.9');
    expect(landmarksOnPlane(landmarks, [0, 0, 88], [0, 0, 1]).map((l) => l.name)).toEqual(['L4-L5', 'L4']);
    expect(landmarksOnPlane(landmarks, [0, 0, 75], [0, 0, 1]).map((l) => l.name)).toEqual(['L5']);
    expect(landmarksOnPlane(landmarks, [3, 0, 0], [1, 0, 0]).map((l) => l.name).sort()).toEqual(['L4', 'L4-L5', 'L5']);
    expect(landmarksOnPlane(landmarks, [20, 0, 0], [1, 0, 0])).toEqual([]);
  });
});
