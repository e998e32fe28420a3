/**
 * What the DICOM writer needs to know about a series besides its voxels: the patient, study and
 * series identity, the acquisition (for the CT Image and MR Image modules, DICOM PS3.3 §C.8.2.1
 * and §C.8.3.1) and how values are stored. Geometry is NOT here: it comes from the volume alone.
 */

/** DICOM PS3.3 §C.7.3.1.1.2. Head first / feet first; supine, prone, decubitus left / right. */
export type PatientPositionCode = 'HFS' | 'HFP' | 'HFDL' | 'HFDR' | 'FFS' | 'FFP' | 'FFDL' | 'FFDR';

export interface PatientInfo {
  /** PN, for example `Keyhole^Phantom 42`. */
  readonly name: string;
  readonly id: string;
  /** YYYYMMDD; empty (type 2) when absent. */
  readonly birthDate?: string;
  readonly sex?: 'M' | 'F' | 'O';
  /** `nnnY` (AS). */
  readonly age?: string;
}

export interface StudyInfo {
  readonly studyInstanceUid: string;
  /** Shared by every series of the study that lies in the same patient frame (DICOM PS3.3 §C.7.4.1). */
  readonly frameOfReferenceUid: string;
  /** YYYYMMDD. */
  readonly date: string;
  /** HHMMSS. */
  readonly time: string;
  readonly studyId: string;
  readonly description?: string;
  readonly accessionNumber?: string;
}

export interface CtAcquisition {
  readonly kind: 'CT';
  readonly kvp: number;
  /** mA·s per slice; informational. */
  readonly exposureMas?: number;
  readonly convolutionKernel?: string;
  /**
   * How HU are stored. `unsigned-offset`: uint16 with RescaleIntercept −1024 (what many scanners,
   * e.g. Siemens, write; HU below −1024 clip to −1024). `signed`: int16 with intercept 0.
   */
  readonly storage: 'unsigned-offset' | 'signed';
}

export interface MrAcquisition {
  readonly kind: 'MR';
  /** ms */
  readonly repetitionTime: number;
  /** ms */
  readonly echoTime: number;
  readonly echoTrainLength: number;
  /** Tesla */
  readonly magneticFieldStrength: number;
  /** ScanningSequence (0018,0020), e.g. `SE`. */
  readonly scanningSequence: string;
  /** SequenceVariant (0018,0021), e.g. `SK`. */
  readonly sequenceVariant: string;
  /** `2D` or `3D` (0018,0023). */
  readonly acquisitionType: '2D' | '3D';
  readonly sequenceName?: string;
  readonly flipAngle?: number;
}

export interface SeriesMetadata {
  readonly modality: 'CT' | 'MR';
  readonly patient: PatientInfo;
  readonly study: StudyInfo;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number;
  readonly seriesDescription: string;
  readonly patientPosition: PatientPositionCode;
  /** Nominal reconstructed slice thickness (mm). May differ from the slice spacing (gaps, overlap). */
  readonly sliceThickness: number;
  /** WindowCenter / WindowWidth (VOI LUT module), in rescaled units (HU for CT). */
  readonly displayWindow: { readonly center: number; readonly width: number };
  readonly acquisition: CtAcquisition | MrAcquisition;
  /** BodyPartExamined, e.g. `LSPINE`. */
  readonly bodyPart?: string;
  /** InstanceNumber of the first slice (default 1); lets several stacks share one series. */
  readonly firstInstanceNumber?: number;
  /** Key from which SOP Instance UIDs are derived (default the series UID): `<key>/<instance number>`. */
  readonly instanceUidKey?: string;
  /** File name prefix (default `s<series number>-`); files are `<prefix>i<instance number>.dcm`. */
  readonly fileNamePrefix?: string;
  /** Marks the data as synthetic (SyntheticData (0008,001C) = YES). Default true. */
  readonly synthetic?: boolean;
  /** ImageComments, e.g. the phantom's seed and specification. */
  readonly imageComments?: string;
}

export interface DicomFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}
