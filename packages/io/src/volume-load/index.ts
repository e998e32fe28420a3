// Loading volumes with every core: see load-volume-in-threads.ts.
export { loadVolumeInThreads, type LoadVolumeInThreadsOptions } from './load-volume-in-threads.ts';
