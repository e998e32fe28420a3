export { segmentSurroundingsCt, type SegmentSurroundingsCtOptions, type SegmentSurroundingsCtResult } from './segment-surroundings-ct.ts';
export { DEFAULT_SURROUNDINGS_SETTINGS, type SurroundingsSettings } from './settings.ts';
export { SURROUNDINGS_LABELS, SURROUNDINGS_KEEP_OUT_NAMES, type SurroundingsLabelName } from './labels.ts';
export { evaluateSurroundings, formatSurroundingsEvaluation, type CoverageRow, type EvaluateSurroundingsOptions, type OpenRow, type SurroundingsEvaluation } from './evaluate.ts';
export { lpsGridOf, type LpsGrid } from './lps-grid.ts';
