/**
 * Named DICOM tags, spelled as dicom-parser spells them (`x` + group + element, lower-case hex),
 * with the keyword of PS3.6 (Data Dictionary) as the name, plus each tag's VR.
 *
 * The VR matters for Implicit VR Little Endian files, where the file does not say it: the
 * dataset adapter asks `TAG_VR` how to read a value (PS3.5 §7.1.3, §A.1) and tells dicom-parser
 * which elements are sequences. Tags not listed here are read with a heuristic (see
 * dataset-adapter.ts); add a tag here when code starts depending on it.
 */

/** keyword → [tag, VR] from PS3.6 §6; private tags carry the creator in the comment. */
const DEFINITIONS = {
  // --- File meta information (PS3.10 §7.1) ---------------------------------------
  MediaStorageSOPClassUID: ['x00020002', 'UI'],
  MediaStorageSOPInstanceUID: ['x00020003', 'UI'],
  TransferSyntaxUID: ['x00020010', 'UI'],
  ImplementationClassUID: ['x00020012', 'UI'],

  // --- SOP common, patient, study, series ------------------------------------------
  SpecificCharacterSet: ['x00080005', 'CS'],
  ImageType: ['x00080008', 'CS'],
  SOPClassUID: ['x00080016', 'UI'],
  SOPInstanceUID: ['x00080018', 'UI'],
  StudyDate: ['x00080020', 'DA'],
  SeriesDate: ['x00080021', 'DA'],
  AcquisitionDate: ['x00080022', 'DA'],
  ContentDate: ['x00080023', 'DA'],
  AcquisitionDateTime: ['x0008002a', 'DT'],
  StudyTime: ['x00080030', 'TM'],
  SeriesTime: ['x00080031', 'TM'],
  AcquisitionTime: ['x00080032', 'TM'],
  ContentTime: ['x00080033', 'TM'],
  AccessionNumber: ['x00080050', 'SH'],
  Modality: ['x00080060', 'CS'],
  Manufacturer: ['x00080070', 'LO'],
  InstitutionName: ['x00080080', 'LO'],
  ReferringPhysicianName: ['x00080090', 'PN'],
  StudyDescription: ['x00081030', 'LO'],
  SeriesDescription: ['x0008103e', 'LO'],
  ManufacturerModelName: ['x00081090', 'LO'],
  FrameType: ['x00089007', 'CS'],
  PatientName: ['x00100010', 'PN'],
  PatientID: ['x00100020', 'LO'],
  PatientBirthDate: ['x00100030', 'DA'],
  PatientSex: ['x00100040', 'CS'],
  PatientAge: ['x00101010', 'AS'],
  PatientWeight: ['x00101030', 'DS'],
  BodyPartExamined: ['x00180015', 'CS'],

  // --- Acquisition -----------------------------------------------------------------
  ScanningSequence: ['x00180020', 'CS'],
  SequenceVariant: ['x00180021', 'CS'],
  MRAcquisitionType: ['x00180023', 'CS'],
  SliceThickness: ['x00180050', 'DS'],
  KVP: ['x00180060', 'DS'],
  RepetitionTime: ['x00180080', 'DS'],
  EchoTime: ['x00180081', 'DS'],
  InversionTime: ['x00180082', 'DS'],
  EchoNumbers: ['x00180086', 'IS'],
  MagneticFieldStrength: ['x00180087', 'DS'],
  SpacingBetweenSlices: ['x00180088', 'DS'],
  ProtocolName: ['x00181030', 'LO'],
  ImagerPixelSpacing: ['x00181164', 'DS'],
  GantryDetectorTilt: ['x00181120', 'DS'],
  ConvolutionKernel: ['x00181210', 'SH'],
  AcquisitionMatrix: ['x00181310', 'US'],
  InPlanePhaseEncodingDirection: ['x00181312', 'CS'],
  FlipAngle: ['x00181314', 'DS'],
  EstimatedRadiographicMagnificationFactor: ['x00181114', 'DS'],
  PatientPosition: ['x00185100', 'CS'],
  EffectiveEchoTime: ['x00189082', 'FD'],
  MREchoSequence: ['x00189114', 'SQ'],
  MRImageFrameTypeSequence: ['x00189226', 'SQ'],

  // --- Relationship, plane and frame -----------------------------------------------
  StudyInstanceUID: ['x0020000d', 'UI'],
  SeriesInstanceUID: ['x0020000e', 'UI'],
  StudyID: ['x00200010', 'SH'],
  SeriesNumber: ['x00200011', 'IS'],
  AcquisitionNumber: ['x00200012', 'IS'],
  InstanceNumber: ['x00200013', 'IS'],
  ImagePositionPatient: ['x00200032', 'DS'],
  ImageOrientationPatient: ['x00200037', 'DS'],
  FrameOfReferenceUID: ['x00200052', 'UI'],
  TemporalPositionIdentifier: ['x00200100', 'IS'],
  NumberOfTemporalPositions: ['x00200105', 'IS'],
  SliceLocation: ['x00201041', 'DS'],
  StackID: ['x00209056', 'SH'],
  InStackPositionNumber: ['x00209057', 'UL'],
  TemporalPositionIndex: ['x00209128', 'UL'],
  DimensionIndexValues: ['x00209157', 'UL'],
  FrameContentSequence: ['x00209111', 'SQ'],
  PlanePositionSequence: ['x00209113', 'SQ'],
  PlaneOrientationSequence: ['x00209116', 'SQ'],
  DimensionIndexSequence: ['x00209222', 'SQ'],
  FrameAcquisitionNumber: ['x00209156', 'US'],

  // --- Image pixel module (PS3.3 §C.7.6.3) ---------------------------------------------
  SamplesPerPixel: ['x00280002', 'US'],
  PhotometricInterpretation: ['x00280004', 'CS'],
  PlanarConfiguration: ['x00280006', 'US'],
  NumberOfFrames: ['x00280008', 'IS'],
  Rows: ['x00280010', 'US'],
  Columns: ['x00280011', 'US'],
  PixelSpacing: ['x00280030', 'DS'],
  BitsAllocated: ['x00280100', 'US'],
  BitsStored: ['x00280101', 'US'],
  HighBit: ['x00280102', 'US'],
  PixelRepresentation: ['x00280103', 'US'],
  SmallestImagePixelValue: ['x00280106', 'US'],
  LargestImagePixelValue: ['x00280107', 'US'],
  PixelPaddingValue: ['x00280120', 'US'],
  WindowCenter: ['x00281050', 'DS'],
  WindowWidth: ['x00281051', 'DS'],
  RescaleIntercept: ['x00281052', 'DS'],
  RescaleSlope: ['x00281053', 'DS'],
  RescaleType: ['x00281054', 'LO'],
  LossyImageCompression: ['x00282110', 'CS'],
  PixelMeasuresSequence: ['x00289110', 'SQ'],
  PixelValueTransformationSequence: ['x00289145', 'SQ'],
  RealWorldValueMappingSequence: ['x00409096', 'SQ'],
  RealWorldValueIntercept: ['x00409224', 'FD'],
  RealWorldValueSlope: ['x00409225', 'FD'],
  MeasurementUnitsCodeSequence: ['x004008ea', 'SQ'],
  LUTLabel: ['x00409210', 'SH'],

  // --- Enhanced multi-frame (PS3.3 §C.7.6.16) -----------------------------------------
  SharedFunctionalGroupsSequence: ['x52009229', 'SQ'],
  PerFrameFunctionalGroupsSequence: ['x52009230', 'SQ'],

  // --- Pixel data (PS3.5 §8) -------------------------------------------------------------
  ExtendedOffsetTable: ['x7fe00001', 'OV'],
  ExtendedOffsetTableLengths: ['x7fe00002', 'OV'],
  FloatPixelData: ['x7fe00008', 'OF'],
  DoubleFloatPixelData: ['x7fe00009', 'OD'],
  PixelData: ['x7fe00010', 'OW'],

  // --- Private: Siemens (creator "SIEMENS CSA HEADER" / "SIEMENS MR HEADER") -------------
  SiemensNumberOfImagesInMosaic: ['x0019100a', 'US'],
  SiemensCsaImageHeaderInfo: ['x00291010', 'OB'],
  SiemensCsaSeriesHeaderInfo: ['x00291020', 'OB'],
} as const satisfies Record<string, readonly [string, string]>;

type Definitions = typeof DEFINITIONS;
export type TagKeyword = keyof Definitions;

/** `Tag.ImagePositionPatient === 'x00200032'`. */
export const Tag: { readonly [K in TagKeyword]: Definitions[K][0] } = Object.freeze(
  Object.fromEntries(Object.entries(DEFINITIONS).map(([keyword, [tag]]) => [keyword, tag])),
) as { readonly [K in TagKeyword]: Definitions[K][0] };

/** Tag → VR for the tags above (used for Implicit VR Little Endian). */
export const TAG_VR: ReadonlyMap<string, string> = new Map(Object.values(DEFINITIONS).map(([tag, vr]) => [tag, vr]));

/** Tag → keyword, for messages ("(0020,0032) ImagePositionPatient"). */
const TAG_KEYWORD: ReadonlyMap<string, string> = new Map(Object.entries(DEFINITIONS).map(([keyword, [tag]]) => [tag, keyword]));

/** `x00200032` → `(0020,0032) ImagePositionPatient`, for error messages. */
export function describeTag(tag: string): string {
  const group = tag.slice(1, 5).toUpperCase();
  const element = tag.slice(5, 9).toUpperCase();
  const keyword = TAG_KEYWORD.get(tag);
  return keyword === undefined ? `(${group},${element})` : `(${group},${element}) ${keyword}`;
}
