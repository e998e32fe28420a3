import { describe, expect, it } from 'vitest';
import type { AnatomyStatus, LevelCount } from '../api/anatomy.ts';
import { anatomyStatusLine, confidenceWords } from './anatomy-words.ts';

const run = (over: Partial<AnatomyStatus>): AnatomyStatus => ({ studyUid: '1', seriesUid: '2', state: 'running', progress: 0.456, stage: 'separating vertebrae', message: '', requestedBy: 'rhea', updatedAt: '', ...over });

describe('anatomy in words', () => {
  it('says what state a run is in, with progress while it runs and the reason when it stops short', () => {
    expect(anatomyStatusLine(undefined)).toMatch(/not been looked for/);
    expect(anatomyStatusLine(run({}))).toBe('Finding the spine: separating vertebrae (46 %).');
    expect(anatomyStatusLine(run({ state: 'no-spine', message: 'no bone column found' }))).toBe('No usable spine: no bone column found');
    expect(anatomyStatusLine(run({ state: 'failed', message: 'disk full' }))).toBe('Failed: disk full');
  });

  it('never presents an unverified count as settled', () => {
    const count: LevelCount = { labels: ['L1', 'L2'], confidence: 0.6, verified: false, cues: [], reasons: [], pattern: 'unknown' };
    expect(confidenceWords(count)).toMatch(/NOT verified \(confidence 0\.60\): confirm/);
    expect(confidenceWords({ ...count, verified: true, confidence: 0.9 })).toBe('numbering verified by its cues (confidence 0.90)');
  });
});
