// Explicit repairs of incoming files, applied only when the user asks for them.
export { assignMissingUids, studyKeyOf, KEYHOLE_IMPLEMENTATION_CLASS_UID, type AssignableAttribute, type AssignMissingUidsOptions, type AssignMissingUidsResult } from './assign-missing-uids.ts';
export { derivedUid, nameBasedUuid } from './derived-uid.ts';
export { sopClassFromEvidence, CT_IMAGE_STORAGE, MR_IMAGE_STORAGE, SECONDARY_CAPTURE_IMAGE_STORAGE, type SopClassEvidence } from './sop-class.ts';
