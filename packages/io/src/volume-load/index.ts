// Loading volumes with every core: see load-volume-in-threads.ts and slice-worker-pool.ts.
export { loadVolumeInThreads, type LoadVolumeInThreadsOptions } from './load-volume-in-threads.ts';
export { startSliceWorkers, defaultThreadCount, type SliceWorkerPool, type SliceWorkerPoolOptions } from './slice-worker-pool.ts';
