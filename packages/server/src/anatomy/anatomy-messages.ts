/** What passes between the server and an anatomy worker thread (structured-clone friendly). */
import type { LabelLegend, SpineModel, VolumeInit } from '@keyhole/core';
import type { WireError } from '../store/check/check-messages.ts';

/** A volume without its cached matrices: the fields createVolume takes. */
export type WireVolume = Pick<VolumeInit, 'size' | 'spacing' | 'origin' | 'direction' | 'data' | 'units'>;

export interface AnatomyRequest {
  readonly volume: WireVolume;
}

export type AnatomyReply =
  | { readonly kind: 'progress'; readonly fraction: number; readonly stage: string }
  | { readonly kind: 'done'; readonly model: SpineModel; readonly legend: LabelLegend; readonly labels?: WireVolume }
  | { readonly kind: 'error'; readonly error: WireError };
