/**
 * DICOM UIDs (PS3.5 §9.1): digits and dots, at most 64 characters. PS3.5 also forbids leading
 * zeros in a component, but some vendors emit them and refusing their images would lose data,
 * so the store accepts them (as Orthanc and DCMTK do).
 *
 * The store builds file paths from UIDs; a UID that passes this check holds no "/", "..", or any
 * other character that could escape the object folder.
 */
const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;

export const MAX_UID_LENGTH = 64;

export function isValidUid(value: string | undefined): boolean {
  return value !== undefined && value.length > 0 && value.length <= MAX_UID_LENGTH && UID_PATTERN.test(value);
}
