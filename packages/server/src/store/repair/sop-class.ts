/**
 * The SOP Class of an instance whose SOP Class UID is missing, from what the data set says it is:
 * Modality and Image Type, and whether it carries the image-plane geometry the CT and MR Image
 * IODs require (PS3.3 A.3 CT Image IOD, A.4 MR Image IOD: Image Plane module mandatory).
 * Anything else is filed as Secondary Capture (PS3.3 A.8), which asserts nothing about geometry.
 */
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
export const SECONDARY_CAPTURE_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';

export interface SopClassEvidence {
  readonly modality: string;
  /** Image Type (0008,0008) values, e.g. ORIGINAL\PRIMARY\AXIAL. */
  readonly imageType: readonly string[];
  /** Image Position (Patient) and Image Orientation (Patient) both present. */
  readonly hasImagePlane: boolean;
}

export function sopClassFromEvidence(evidence: SopClassEvidence): { readonly uid: string; readonly name: string } {
  // A screen capture or a secondary (derived, re-captured) image is not an acquisition the CT/MR IOD describes.
  const secondary = evidence.imageType.some((v) => v === 'SECONDARY' || v === 'SCREEN SHOT');
  const imageLike = evidence.imageType.length > 0 && evidence.hasImagePlane && !secondary;
  const modality = evidence.modality.trim().toUpperCase();
  if (imageLike && modality === 'CT') return { uid: CT_IMAGE_STORAGE, name: 'CT Image Storage' };
  if (imageLike && modality === 'MR') return { uid: MR_IMAGE_STORAGE, name: 'MR Image Storage' };
  return { uid: SECONDARY_CAPTURE_IMAGE_STORAGE, name: 'Secondary Capture Image Storage' };
}
