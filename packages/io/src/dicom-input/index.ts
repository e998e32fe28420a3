// Reading DICOM input: files, folders and zip archives.
export { readDicomInput, type ReadDicomInputOptions, type DicomInputResult, type DicomInputProgress } from './read-dicom-input.ts';
export { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.ts';
export { isZip, listZipEntries, extractZipEntry, unsafePathReason, type ZipEntry } from './zip-archive.ts';
export { filePathOf } from './file-backed.ts';
export { readFileStart, readInstanceFromFile, HEADER_CHUNK_BYTES, type FileStart } from './read-file-start.ts';
