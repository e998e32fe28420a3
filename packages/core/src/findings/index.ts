// Imaging measurements and graded findings per level from a spine label map (issue 6).
export { findingsFromLabelMap } from './findings-from-label-map.ts';
export { DEFAULT_FINDINGS_SETTINGS, resolveFindingsSettings, type FindingsSettings } from './settings.ts';
export { genantGrade, lurie, meyerding } from './grades.ts';
export { indexLabelMap, legendEntries, normaliseName, type LegendInput, type LabelIndex, type Mask } from './label-map.ts';
export type {
  BodyHeights,
  DiscMeasurements,
  FindingsFromLabelMapOptions,
  FindingsResult,
  HerniationMeasurements,
  KeyImage,
  Measurement,
  FindingUnit,
  PedicleEdges,
  VertebraMeasurements,
} from './types.ts';
export { formatFindingsTables } from './format-table.ts';
