// Public surface of series assembly: DICOM instances → catalogue → volumes and planar images.
export * from './slice-geometry.ts';
export * from './resample-stack.ts';
export * from './frame-records.ts';
export * from './split-series.ts';
export * from './describe-dicom.ts';
export * from './planar-header.ts';
export * from './load-volume.ts';
export * from './load-planar-image.ts';
export { toRealValues, type RealValuesOptions, type RealValuesResult } from './real-values.ts';
export * from './load-frame.ts';
