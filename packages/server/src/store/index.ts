// The instance store: the one way images enter and leave the archive's file store.
export { objectsDir, relativeObjectPath, type Archive, type InstanceRef } from './archive.ts';
export { storeInstances, refreshCounts, type StoreInstancesOptions, type StoreResult, type StoreFailure, type StoreFile, type StoreLimits } from './store-instances.ts';
export { recoverStore, type RecoverStoreResult } from './recover-store.ts';
export { readStoredInstance, type StoredFile } from './read-instance.ts';
export { isValidUid, MAX_UID_LENGTH } from './uid.ts';
export { toDicomJson, type DicomJsonDataset, type DicomJsonElement } from './dicom-json.ts';
