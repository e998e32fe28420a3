// Simulated fluoroscopy: C-arm poses, projection geometry, CPU DRR, display and burned-in text.
export * from './c-arm.ts';
export * from './projection.ts';
export * from './attenuation.ts';
export * from './trace-rows.ts';
export * from './render-drr.ts';
export * from './display.ts';
export * from './compare.ts';
export * from './raster-text.ts';
export * from './raster-draw.ts';
export * from './annotate.ts';
