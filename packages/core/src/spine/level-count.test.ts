import { describe, expect, it } from 'vitest';
import { assignLevels, type SegmentCues } from './level-count.ts';
import type { CastellviFinding } from './types.ts';

const sacrum: SegmentCues = { iliacAttached: true, ribLeft: true, ribRight: true };
const lumbar: SegmentCues = { iliacAttached: false, ribLeft: false, ribRight: false };
const thoracic: SegmentCues = { iliacAttached: false, ribLeft: true, ribRight: true };
const none: CastellviFinding = {
  vertebra: 'x', type: 'none', sides: { left: 'none', right: 'none' }, transverseHeightMm: { left: 12, right: 12 }, gapToSacrumMm: { left: -1, right: -1 },
};
const fused: CastellviFinding = { ...none, type: 'IIIa', sides: { left: 'III', right: 'none' }, gapToSacrumMm: { left: 0, right: -1 } };

function column(lumbarCount: number, thoracicCount: number): SegmentCues[] {
  return [sacrum, ...Array<SegmentCues>(lumbarCount).fill(lumbar), ...Array<SegmentCues>(thoracicCount).fill(thoracic)];
}

describe('assignLevels (clinical reference §9)', () => {
  it('verifies the standard pattern: sacrum, five rib-free vertebrae, a rib pair above', () => {
    const a = assignLevels({ segments: column(5, 3), discHeightsMm: [], castellvi: none, useLastRibCue: true })!;
    expect(a.count.labels).toEqual(['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'sacrum']);
    expect(a.count.verified).toBe(true);
    expect(a.count.pattern).toBe('standard');
    // Thoracic names rest on the twelve-thoracic assumption (no C2): said so.
    expect(a.count.reasons.join(' ')).toMatch(/T13/);
  });

  it('keeps L5 for a sacralized L5 but does not verify the count', () => {
    const a = assignLevels({ segments: column(5, 2), discHeightsMm: [], castellvi: fused, useLastRibCue: true })!;
    expect(a.count.labels.slice(-2)).toEqual(['L5', 'sacrum']);
    expect(a.count.pattern).toBe('sacralized-L5');
    expect(a.count.verified).toBe(false);
  });

  it('reads six lumbar-type vertebrae as L6 or a lumbarized S1, never verified', () => {
    const six = assignLevels({ segments: column(6, 2), discHeightsMm: [12, 12, 12], castellvi: none, useLastRibCue: true })!;
    expect(six.count.labels.slice(-3)).toEqual(['L5', 'L6', 'sacrum']);
    expect(six.count.verified).toBe(false);
    const lumbarized = assignLevels({ segments: column(6, 2), discHeightsMm: [4, 12, 12], castellvi: none, useLastRibCue: true })!;
    expect(lumbarized.count.labels.slice(-3)).toEqual(['L5', 'S1', 'sacrum']);
    expect(lumbarized.count.pattern).toBe('lumbarized-S1');
    expect(lumbarized.count.verified).toBe(false);
  });

  it('reads four lumbar-type vertebrae as L1–L4, never verified', () => {
    const a = assignLevels({ segments: column(4, 2), discHeightsMm: [], castellvi: none, useLastRibCue: true })!;
    expect(a.count.labels).toEqual(['T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'sacrum']);
    expect(a.count.pattern).toBe('four-lumbar');
    expect(a.count.verified).toBe(false);
  });

  it('does not verify lumbar-only coverage (no rib) [Tokgoz2014], nor a count from the ribs alone', () => {
    const lumbarOnly = assignLevels({ segments: column(4, 0), discHeightsMm: [], castellvi: none, useLastRibCue: true })!;
    expect(lumbarOnly.count.labels).toEqual(['L2', 'L3', 'L4', 'L5', 'sacrum']);
    expect(lumbarOnly.count.verified).toBe(false);
    const noSacrum = assignLevels({ segments: [lumbar, lumbar, thoracic, thoracic], discHeightsMm: [], useLastRibCue: true })!;
    expect(noSacrum.count.labels).toEqual(['T11', 'T12', 'L1', 'L2']);
    expect(noSacrum.count.verified).toBe(false);
  });

  it('gives no names without a sacrum or a rib, and none verified without the last-rib cue', () => {
    expect(assignLevels({ segments: [lumbar, lumbar, lumbar], discHeightsMm: [], useLastRibCue: true })).toBeUndefined();
    const a = assignLevels({ segments: column(5, 3), discHeightsMm: [], castellvi: none, useLastRibCue: false })!;
    expect(a.count.verified).toBe(false);
  });
});
