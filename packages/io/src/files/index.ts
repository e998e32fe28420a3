export { writeFileAtomic } from './atomic-write.ts';
export { readNiftiFile, writeNiftiFile, type ReadNiftiFileOptions, type WriteNiftiFileOptions } from './nifti-files.ts';
