import { describe, expect, it } from 'vitest';
import { lacksIdentifiers } from './missing-identifiers.ts';

describe('lacksIdentifiers', () => {
  it('offers the repair only for refusals naming a missing identifying UID', () => {
    expect(lacksIdentifiers({ source: 'a', status: 'failed', error: { code: 'DICOM_MISSING_ATTRIBUTE', message: 'Study Instance UID (0020,000D) is missing or empty; an archive cannot file an instance without it' } })).toBe(true);
    expect(lacksIdentifiers({ source: 'a', status: 'failed', error: { code: 'DICOM_MISSING_ATTRIBUTE', message: 'Rows (0028,0010) is missing' } })).toBe(false);
    expect(lacksIdentifiers({ source: 'a', status: 'failed', error: { code: 'DICOM_MALFORMED', message: 'SOP Instance UID "x" is not a valid DICOM UID' } })).toBe(false);
    expect(lacksIdentifiers({ source: 'a', status: 'stored' })).toBe(false);
  });
});
