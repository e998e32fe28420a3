// The phantom's imaging: tissue physics, image formation, acquisition protocols, patient positions.
// (generatePhantomStudy and parsePhantomSpec are exported from ../study.ts.)
export { TISSUE_PHYSICS, cancellousHuForAge, marrowT1ForAge, type TissuePhysics, type CtProperties, type MrProperties } from './tissue-physics.ts';
export { MR_SEQUENCES, MR_SIGNAL_GAIN, spinEchoSignal, tissueValues, valuesByCode, defaultWindow, type ImagingModality, type MrSequence, type TissueValuesOptions } from './contrast.ts';
export { synthesizeImage, slabSampleCount, type ImagingGrid, type SynthesizeImageOptions, type SynthesizeImageResult } from './synthesize.ts';
export { planAcquisition, PROTOCOLS, type ProtocolName, type GridOverride, type AcquisitionPlan, type PlanAcquisitionOptions, type PlanningScene } from './protocols.ts';
export { PATIENT_POSITIONS, PATIENT_POSITION_CODES, scannerAxes, type PatientPositionName, type ScannerAxes } from './patient-position.ts';
export { createRandom, type Random } from './random.ts';
export { generateStudyWith, type AnatomyEngine } from './generate-study.ts';
