/**
 * Whether the server refused an uploaded file only because one of its identifying UIDs is missing
 * (DICOM_MISSING_ATTRIBUTE naming Study/Series/SOP Instance/SOP Class UID): such a file can be
 * imported with new identifiers (`?assignMissingUids=true`) if the user chooses to.
 */
import type { UploadEntryResult } from '../api/upload.ts';

const IDENTIFYING = /(Study Instance UID|Series Instance UID|SOP Instance UID|SOP Class UID)/;

export function lacksIdentifiers(result: UploadEntryResult): boolean {
  return result.status === 'failed' && result.error?.code === 'DICOM_MISSING_ATTRIBUTE' && IDENTIFYING.test(result.error.message ?? '');
}
