// Spine anatomy from CT: the spine model, the classical CT pipeline, the level count and the evaluation harness.
export type * from './types.ts';
export { DEFAULT_SPINE_CT_SETTINGS, type SpineCtSettings } from './options.ts';
export { segmentSpineCt, type SegmentSpineCtOptions, type SegmentSpineCtResult } from './segment-ct.ts';
export { assignLevels, countSacrumSegments, type LevelAssignment, type LevelCountInput, type SegmentCues } from './level-count.ts';
export { compareLabelMaps, formatAgreementTable, matchByOverlap, type CompareLabelMapsOptions, type OverlapMatch, type StructureAgreement } from './evaluate.ts';
