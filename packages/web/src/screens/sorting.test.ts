import { describe, expect, it } from 'vitest';
import { sortRows } from './sorting.ts';

const rows = [
  { id: 'KH-10', name: 'beta', images: 300 },
  { id: 'KH-9', name: 'Alpha', images: 20 },
  { id: 'KH-100', name: 'alpha', images: 5 },
];

describe('worklist sorting', () => {
  it('sorts text case-insensitively with numbers in natural order, stable for ties', () => {
    expect(sortRows(rows, { key: 'id', descending: false }).map((r) => r.id)).toEqual(['KH-9', 'KH-10', 'KH-100']);
    expect(sortRows(rows, { key: 'name', descending: false }).map((r) => r.id)).toEqual(['KH-9', 'KH-100', 'KH-10']);
  });
  it('sorts numbers numerically, descending on request', () => {
    expect(sortRows(rows, { key: 'images', descending: true }).map((r) => r.images)).toEqual([300, 20, 5]);
  });
});
