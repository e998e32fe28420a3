// Surgical planning (issue 7): approach selection and the transforaminal trajectory planner.
export { buildPlanAnatomy, discCentroids, resolveDiscLevel, type PlanAnatomy, type DiscLevel } from './plan-anatomy.ts';
export { planSurgery, type LevelCountState, type SurgicalPlan, type SurgicalPlanOptions } from './plan-surgery.ts';
export { planTrajectory, type GroupClearance, type Trajectory, type TrajectoryOptions, type TrajectoryResult, type TrajectoryStatus } from './trajectory.ts';
export { selectApproach, discsAboveSacrum, APPROACH_TITLE, type Approach, type ApproachInput, type ApproachResult, type ClinicalFlags, type RuleFired } from './approach.ts';
export { measureIliacCrest, pedicleSpan, type IliacCrestMeasurement, type PedicleSpan } from './iliac-crest.ts';
export { DEFAULT_PLAN_SETTINGS, UNCONFIRMED_PLAN_SETTINGS, resolvePlanSettings, type PlanSettings } from './settings.ts';
export { distanceTransform, sampleDistance, type DistanceField, type VoxelBox } from './distance-transform.ts';
export { KEEP_OUT_GROUPS, GROUP_TITLE, keepOutGroupOf, type KeepOutGroup } from './keep-out.ts';
export { cannulaIntersections, type CannulaIntersection } from './verify-cannula.ts';
export { formatPlan } from './format-plan.ts';
