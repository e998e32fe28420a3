import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from './catalogue.ts';
import { KeyholeError } from './keyhole-error.ts';

describe('error catalogue', () => {
  const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/errors.md'), 'utf8');
  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
    it(`${code} is documented in docs/errors.md with its HTTP status`, () => {
      expect(doc).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${spec.status}\\s*\\|`));
    });
  }
  it('every documented code exists (no stale rows)', () => {
    const documented = [...doc.matchAll(/^\|\s*`([A-Z0-9_]+)`/gm)].map((m) => m[1]);
    for (const code of documented) expect(Object.keys(ERROR_CATALOGUE)).toContain(code);
  });
  it('errors name the file and the field path', () => {
    const error = new KeyholeError('VALIDATION_FAILED', { file: 'case.json', path: 'plan.entry.x', message: 'expected a number' });
    expect(error.message).toBe('case.json at plan.entry.x: expected a number');
    expect(error.status).toBe(400);
    expect(error.toJSON()).toMatchObject({ code: 'VALIDATION_FAILED', path: 'plan.entry.x', file: 'case.json' });
  });
});
