// The phantom's anatomy: the scene (analytic solids in LPS mm with exact truth), its rasterisation.
export { buildSpineScene } from './scene.ts';
export { rasterizeScene } from './rasterize.ts';
export { spineSequence, type SpineSequence, type VertebraSlot, type DiscSlot } from './sequence.ts';
export { castellviSides } from './transitional.ts';
export { meyerdingGrade, stenosisAreaLoss } from './pathology.ts';
export type { Aabb, Shape, RowIntervals } from './shapes.ts';
export type * from './types.ts';
