export interface SortState<K extends string> {
  readonly key: K;
  readonly descending: boolean;
}

/** Stable sort on one column: numbers numerically, text case-insensitively with natural digit order. */
export function sortRows<K extends string, T extends Record<K, string | number>>(rows: readonly T[], sort: SortState<K>): T[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const sign = sort.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[sort.key];
      const y = b.row[sort.key];
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map(({ row }) => row);
}
