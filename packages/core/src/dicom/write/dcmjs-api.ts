import dcmjs from 'dcmjs';

/**
 * The one place that touches dcmjs. dcmjs was chosen to write Part 10 because it is maintained
 * (OHIF / Cornerstone use it), carries the whole data dictionary generated from the standard, and
 * runs unchanged in Node, workers and browsers; see the commit message for the alternatives.
 */

/** Standard DICOM Explicit VR Little Endian (PS3.5 §A.2). */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

export interface Part10Input {
  /** File meta information (group 0002) in dcmjs's naturalized keyword form. */
  readonly meta: Record<string, unknown>;
  /** The data set in naturalized keyword form; `_vrMap` may pin VRs (e.g. PixelData: OW). */
  readonly dataset: Record<string, unknown>;
}

/** Encodes one Part 10 file (128-byte preamble, `DICM`, meta group, data set). */
export function encodePart10(input: Part10Input): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset({ ...input.meta }));
  dict.dict = DicomMetaDictionary.denaturalizeDataset({ ...input.dataset });
  return new Uint8Array(dict.write());
}
