// The CPU DRR on worker threads (core's ray caster, shared memory).
export { createParallelDrrRenderer, renderDrrParallel, type ParallelDrrOptions, type ParallelDrrRenderer } from './parallel-drr.ts';
// plastimatch interop: the reference the DRR is checked and benchmarked against.
export { plastimatchDrrArguments, plastimatchLineIntegrals, readPfm, writeMetaImage, METAIMAGE_AIR_BORDER_HU, type PfmImage, type PlastimatchDrrGeometry } from './plastimatch.ts';
