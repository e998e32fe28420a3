import type { Random } from './random.ts';
import { TISSUE_CODES, TISSUES, type Tissue } from '../tissue.ts';
import { cancellousHuForAge, marrowT1ForAge, TISSUE_PHYSICS, type MrProperties } from './tissue-physics.ts';

/** What the phantom images: CT in HU, or a T1- or T2-weighted spin-echo MR. */
export type ImagingModality = 'ct' | 'mr-t1' | 'mr-t2';

/**
 * Spin-echo sequence parameters, typical of clinical lumbar spine protocols at 1.5 T
 * (sagittal T1 TSE TR 400–700 / TE 8–15 ms; T2 TSE TR 3000–4500 / TE 90–120 ms, echo train
 * 15–25; e.g. the ACR–ASNR–SCBT-MR practice parameter for spine MRI and vendor default protocols).
 */
export interface MrSequence {
  readonly name: string;
  /** ms */
  readonly repetitionTime: number;
  /** ms (effective TE for turbo spin echo) */
  readonly echoTime: number;
  readonly echoTrainLength: number;
  /** Turbo/fast spin echo: fat uses its apparent TSE T2 (see TissuePhysics.mr.t2Tse). */
  readonly turbo: boolean;
  readonly scanningSequence: 'SE';
  readonly sequenceVariant: string;
}

export const MR_SEQUENCES: Readonly<Record<'mr-t1' | 'mr-t2', MrSequence>> = {
  'mr-t1': { name: 't1_tse', repetitionTime: 550, echoTime: 12, echoTrainLength: 3, turbo: false, scanningSequence: 'SE', sequenceVariant: 'SK' },
  'mr-t2': { name: 't2_tse', repetitionTime: 3500, echoTime: 100, echoTrainLength: 17, turbo: true, scanningSequence: 'SE', sequenceVariant: 'SK' },
};

/** MR stored values: a relative signal of 1 (fully relaxed water at TE 0) is written as this. */
export const MR_SIGNAL_GAIN = 4000;

/** Spin-echo flow void: fraction of signal flowing blood keeps. */
export const FLOW_VOID_FRACTION = 0.1;

/**
 * Spin-echo signal, relative to fully relaxed water: S = PD · (1 − e^(−TR/T1)) · e^(−TE/T2)
 * (the standard spin-echo equation for TR ≫ TE, e.g. Haacke et al. 1999 eq. 8.x; Bloch 1946).
 */
export function spinEchoSignal(tissue: MrProperties, sequence: MrSequence): number {
  const t2 = sequence.turbo && tissue.t2Tse !== undefined ? tissue.t2Tse : tissue.t2;
  const signal = tissue.pd * (1 - Math.exp(-sequence.repetitionTime / tissue.t1)) * Math.exp(-sequence.echoTime / t2);
  return tissue.flowVoid === true ? signal * FLOW_VOID_FRACTION : signal;
}

export interface TissueValuesOptions {
  readonly modality: ImagingModality;
  readonly ageYears: number;
  /** Per-seed variation of tissue values within their ranges. */
  readonly random: Random;
}

/**
 * The value each tissue takes in this study: HU for CT (drawn once per seed inside the tissue's
 * range; cancellous bone from the age), or MR signal in stored units (MR_SIGNAL_GAIN × relative).
 */
export function tissueValues(options: TissueValuesOptions): Record<Tissue, number> {
  const values = {} as Record<Tissue, number>;
  for (const name of TISSUES) {
    const physics = TISSUE_PHYSICS[name];
    // Draw for every tissue, in catalogue order, so that each tissue's draw does not depend on the modality.
    const u = options.random.uniform();
    if (options.modality === 'ct') {
      const [low, high] = physics.ct.range;
      values[name] = Math.round(low + (high - low) * u);
    } else {
      let mr = physics.mr;
      if (name === 'cancellous_bone') mr = { ...mr, t1: marrowT1ForAge(options.ageYears) };
      values[name] = MR_SIGNAL_GAIN * spinEchoSignal(mr, MR_SEQUENCES[options.modality]);
    }
  }
  if (options.modality === 'ct') {
    const trabecular = cancellousHuForAge(options.ageYears);
    values.cancellous_bone = Math.round(trabecular + 20 * (options.random.uniform() - 0.5));
    // Oedema in a fresh fracture raises trabecular attenuation only modestly.
    values.marrow_edema = Math.round(trabecular + 40);
  }
  return values;
}

/** Window centre/width a viewer should open the series with. */
/** The value per tissue code, for the synthesis (index = TISSUE_CODES value). */
export function valuesByCode(values: Readonly<Record<Tissue, number>>): Float32Array {
  const out = new Float32Array(Math.max(...TISSUES.map((name) => TISSUE_CODES[name])) + 1);
  for (const name of TISSUES) out[TISSUE_CODES[name]] = values[name];
  return out;
}

export function defaultWindow(modality: ImagingModality): { center: number; width: number } {
  if (modality === 'ct') return { center: 400, width: 1800 }; // bone window: the spine is the subject
  return modality === 'mr-t1' ? { center: 1000, width: 2000 } : { center: 1000, width: 2200 };
}
