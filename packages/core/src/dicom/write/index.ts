export { writeDicomSeries, type WriteDicomSeriesOptions } from './write-series.ts';
export type { SeriesMetadata, PatientInfo, StudyInfo, CtAcquisition, MrAcquisition, PatientPositionCode, DicomFile } from './series-metadata.ts';
export { uidFromKey, isValidUid, hash128 } from './uid.ts';
export { formatDecimalString } from './decimal-string.ts';
