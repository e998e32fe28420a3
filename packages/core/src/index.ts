// Public surface of @keyhole/core, in reading order: errors → geometry → volume → DICOM → NIfTI → phantom.
export * from './errors/catalogue.ts';
export * from './errors/keyhole-error.ts';
export * from './geometry/vec3.ts';
export * from './geometry/matrix.ts';
export * from './volume/voxel-array.ts';
export * from './volume/volume.ts';
export * from './volume/resample.ts';
export * from './volume/planar-image.ts';
export type * from './dicom/instance.ts';
export * from './dicom/tags.ts';
export * from './dicom/parse/parse-dicom.ts';
export * from './dicom/parse/parse-dicom-header.ts';
export * from './dicom/parse/transfer-syntax.ts';
export * from './dicom/pixels/frame-codec.ts';
export * from './dicom/pixels/decode-frame.ts';
export type { StoredPixelArray } from './dicom/pixels/stored-values.ts';
export * from './dicom/series/index.ts';
export * from './dicom/write/index.ts';
export * from './nifti/index.ts';
// phantom: anatomy (vocabulary with fixed label values, tissues, the scene and its rasterisation)
export * from './phantom/vocabulary.ts';
export * from './phantom/tissue.ts';
export * from './phantom/anatomy/index.ts';
// phantom: imaging (physics, image formation, protocols) and the study generator
export * from './phantom/imaging/index.ts';
export * from './phantom/study.ts';
// simulated fluoroscopy: C-arm poses, projection, CPU DRR
export * from './drr/index.ts';
// clinical examination and MRI–clinical correlation (issue 6)
export * from './clinical/index.ts';
// imaging measurements and graded findings per level from a spine label map (issue 6)
export * from './findings/index.ts';
// findings report: key images rendered from the volume and label map, HTML and PDF (issue 6)
export * from './report/index.ts';
// surgical planning: approach selection and the transforaminal trajectory planner (issue 7)
export * from './plan/index.ts';
// spine anatomy from CT: the spine model, level count and evaluation harness (issue 5)
export * from './spine/index.ts';
// label maps in and out: legend, TotalSegmentator / NIfTI import, DICOM SEG read; SEG and SR writers
export * from './segmentation/index.ts';
export * from './dicom/write/seg-common.ts';
export * from './dicom/write/seg-source.ts';
export * from './dicom/write/seg-write.ts';
export * from './dicom/write/sr-measurements.ts';
export * from './dicom/write/sr-write.ts';
export * from './surroundings/index.ts';
