/**
 * The slice of dcmjs's API that the DICOM writer uses (dcmjs ships no type declarations).
 * Kept deliberately narrow: datasets go in as dcmjs's "naturalized" keyword objects and come out
 * as Part 10 bytes. Everything is read through `dcmjs-api.ts`, which is the only importer.
 */
declare module 'dcmjs' {
  /** A dataset in DICOM JSON model form, keyed by 8-hex-digit tag. */
  type DenaturalizedDataset = Record<string, unknown>;

  interface DicomDictInstance {
    dict: DenaturalizedDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  interface DcmjsData {
    DicomDict: new (meta: DenaturalizedDataset) => DicomDictInstance;
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: Record<string, unknown>): DenaturalizedDataset;
    };
  }

  const dcmjs: { data: DcmjsData };
  export default dcmjs;
}
