export { readNifti, type ReadNiftiOptions, type ReadNiftiResult, type NiftiAffineSource } from './read-nifti.ts';
export { writeNifti, niftiParts, type WriteNiftiOptions } from './write-nifti.ts';
export { flipAffineRasLps } from './ras-lps.ts';
