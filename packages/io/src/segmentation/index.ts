export { readLabelMapFiles, writeLabelMapFiles, readDicomSegFile, type ReadLabelMapFilesOptions, type WriteLabelMapFilesOptions, type ReadDicomSegFileOptions } from './label-map-files.ts';
export { readTotalSegmentatorOutput, type ReadTotalSegmentatorOptions } from './totalsegmentator-output.ts';
