import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { correlate } from './correlate.ts';

/**
 * Golden output: the whole correlation of the example exam with four findings, numbers rounded to
 * three decimals, committed as readable JSON so that a change of rule or weight shows up as a diff.
 * Regenerate after a deliberate change with `KEYHOLE_UPDATE_GOLDEN=1 npx vitest run packages/core/src/clinical/golden.test.ts`
 * and read the diff before committing it.
 */
const folder = join(import.meta.dirname, 'golden');
const round = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));

describe('golden correlation', () => {
  it('issue-example: the result matches golden/issue-example.result.json', () => {
    const input = JSON.parse(readFileSync(join(folder, 'issue-example.input.json'), 'utf8')) as { exam: unknown; findings: unknown };
    const { settings: _settings, ...result } = correlate({ exam: input.exam, findings: input.findings });
    const actual = round(result);
    const file = join(folder, 'issue-example.result.json');
    if (process.env['KEYHOLE_UPDATE_GOLDEN'] === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    expect(existsSync(file), `${file} is missing: regenerate it with KEYHOLE_UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
