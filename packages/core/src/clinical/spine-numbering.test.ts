import { describe, expect, it } from 'vitest';
import { anatomicalRoots, discExists, discRoots, neighbouringDiscs, parseDisc, rootDiscs, type SpineNumbering } from './spine-numbering.ts';

const standard: SpineNumbering = { lumbarCount: 5, countVerified: true, source: 'input' };
const six: SpineNumbering = { lumbarCount: 6, countVerified: true, source: 'input' };
const sacralized: SpineNumbering = { lumbarCount: 5, countVerified: true, source: 'input', transitional: { vertebra: 'L5', kind: 'sacralized', castellvi: 'IIIa' } };
const four: SpineNumbering = { lumbarCount: 4, countVerified: true, source: 'input' };

describe('root ↔ disc per clinical reference §2', () => {
  it('follows the lumbar table: paracentral → traversing Ln+1, foraminal → exiting Ln', () => {
    expect(discRoots('L4-L5', standard)).toMatchObject({ traversing: 'L5', exiting: 'L4' });
    expect(discRoots('L5-S1', standard)).toMatchObject({ traversing: 'S1', exiting: 'L5' });
    expect(discRoots('L1-L2', standard)).toMatchObject({ traversing: 'L2', exiting: 'L1' });
    expect(rootDiscs('L5', standard)).toEqual({ traversing: 'L4-L5', exiting: 'L5-S1' });
    expect(rootDiscs('S1', standard)).toEqual({ traversing: 'L5-S1' });
  });

  it('follows the cervical table: Cn–Cn+1 → C(n+1) in every lateral zone, C7–T1 → C8', () => {
    expect(discRoots('C5-C6', standard)).toMatchObject({ traversing: 'C6', exiting: 'C6', cord: true });
    expect(discRoots('C7-T1', standard)).toMatchObject({ exiting: 'C8' });
    expect(rootDiscs('C8', standard)).toEqual({ exiting: 'C7-T1' });
    expect(rootDiscs('C5', standard)).toEqual({ exiting: 'C4-C5' });
    expect(rootDiscs('T1', standard)).toEqual({ exiting: 'T1-T2' });
  });

  it("uses the patient's own level count", () => {
    expect(discExists('L5-L6', six)).toBe(true);
    expect(discExists('L5-L6', standard)).toBe(false);
    expect(discExists('L4-S1', four)).toBe(true);
    expect(rootDiscs('L6', six)).toEqual({ traversing: 'L5-L6', exiting: 'L6-S1' });
    expect(rootDiscs('S1', six)).toEqual({ traversing: 'L6-S1' });
  });

  it('keeps the root counted from C2 first and adds the transitional shift [Peker]', () => {
    expect(anatomicalRoots('L5', standard, 0.3)).toEqual([{ root: 'L5', share: 1, basis: 'numbering' }]);
    expect(anatomicalRoots('L5', six, 0.3)).toEqual([{ root: 'L5', share: 0.7, basis: 'numbering' }, { root: 'L6', share: 0.3, basis: 'transitional-shift' }]);
    expect(anatomicalRoots('S1', sacralized, 0.3)).toEqual([{ root: 'S1', share: 0.7, basis: 'numbering' }, { root: 'L5', share: 0.3, basis: 'transitional-shift' }]);
    // Four lumbar vertebrae: there is no L5 root by count; the last lumbar root carries the L5 pattern.
    expect(anatomicalRoots('L5', four, 0.3)).toEqual([{ root: 'L4', share: 1, basis: 'transitional-shift' }]);
  });

  it('parses disc names and finds neighbours', () => {
    expect(parseDisc('L4/5')).toEqual(['L4', 'L5']);
    expect(parseDisc('L5S1')).toEqual(['L5', 'S1']);
    expect(parseDisc('knee')).toBeUndefined();
    expect(neighbouringDiscs('L4-L5', standard)).toEqual(['L3-L4', 'L5-S1']);
    expect(neighbouringDiscs('L5-S1', standard)).toEqual(['L4-L5']);
  });
});
