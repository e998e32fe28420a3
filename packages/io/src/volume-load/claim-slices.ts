/**
 * The loop every thread runs, the calling thread included: claim the next few slices from the
 * shared counter, write each into its plane, mark it done. Claiming from a shared counter
 * (Atomics.add) instead of splitting the series in halves keeps both cores busy to the end even
 * when one thread started later (a worker's start-up) or runs slower.
 */
import { writeSlotInt16, type FrameCodecRegistry, type FrameSlot } from '@keyhole/core';
import { DID_NOT_FIT, DONE_BASE, NEXT } from './slice-job.ts';

export interface ClaimSlicesOptions {
  readonly count: number;
  readonly planeSize: number;
  readonly volume: Int16Array;
  readonly state: Int32Array;
  readonly chunk: number;
  readonly codecs: FrameCodecRegistry;
  /** The slot of slice k (the calling thread has the instances; a worker reads them from their files). */
  readonly slot: (k: number) => FrameSlot | Promise<FrameSlot>;
  /** WebAssembly SIMD intercept addition over the shared volume memory, when available. */
  readonly addInPlace?: (values: Int16Array, constant: number) => number | undefined;
  /** Called after each slice written. */
  readonly onSlice?: () => void;
}

export async function claimSlices(options: ClaimSlicesOptions): Promise<void> {
  const { count, planeSize, volume, state, chunk, codecs } = options;
  for (;;) {
    if (Atomics.load(state, DID_NOT_FIT) === 1) return;
    const first = Atomics.add(state, NEXT, chunk);
    if (first >= count) return;
    for (let k = first; k < Math.min(count, first + chunk); k++) {
      const target = volume.subarray(k * planeSize, (k + 1) * planeSize);
      const fits = await writeSlotInt16({ slot: await options.slot(k), codecs, target, ...(options.addInPlace !== undefined ? { addInPlace: options.addInPlace } : {}) });
      if (!fits) {
        Atomics.store(state, DID_NOT_FIT, 1);
        return;
      }
      Atomics.store(state, DONE_BASE + k, 1);
      options.onSlice?.();
    }
  }
}
