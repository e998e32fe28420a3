// Label maps in and out: legend, import from other tools (TotalSegmentator, NIfTI + legend), DICOM SEG reading.
export * from './legend.ts';
export * from './label-map.ts';
export * from './structure-names.ts';
export * from './place-on-grid.ts';
export * from './import-labels.ts';
export * from './anatomy-codes.ts';
export * from './read-dicom-seg.ts';
