import type { Vec3 } from '../../geometry/vec3.ts';
import type { Random } from './random.ts';

/**
 * A smooth multiplicative MR intensity non-uniformity ("bias field"): receive-coil sensitivity
 * and B1 inhomogeneity vary slowly across the field of view (Sled, Zijdenbos & Evans, "A
 * nonparametric method for automatic correction of intensity nonuniformity in MRI data", IEEE
 * TMI 1998;17:87–97). Spine imaging uses a posterior array coil under the patient's back, so the
 * signal falls off anteriorly; on top of that, a few seeded long-wavelength (≥ 250 mm) cosines.
 * Defined in patient (LPS) coordinates, so it follows the coil, not the image grid.
 */
export interface BiasFieldOptions {
  readonly random: Random;
  /** Peak-to-mean amplitude of the seeded ripple, e.g. 0.15 for ±15 %. 0 disables the ripple. */
  readonly amplitude: number;
  /** LPS y (mm) of the coil surface (the patient's back); the profile is 1 there. */
  readonly coilY: number;
  /** 1/e depth (mm) of the posterior coil's sensitivity; Infinity disables the fall-off. */
  readonly coilDepthMm: number;
}

export type BiasField = (point: Vec3) => number;

export function createBiasField(options: BiasFieldOptions): BiasField {
  const waves = Array.from({ length: 3 }, () => {
    const direction: Vec3 = [options.random.normal(), options.random.normal(), options.random.normal()];
    const length = Math.hypot(...direction) || 1;
    const wavelength = options.random.between(250, 500);
    const k = (2 * Math.PI) / wavelength / length;
    return { kx: direction[0] * k, ky: direction[1] * k, kz: direction[2] * k, phase: options.random.between(0, 2 * Math.PI) };
  });
  const amplitude = options.amplitude / waves.length;
  return (point) => {
    let ripple = 0;
    for (const w of waves) ripple += Math.cos(w.kx * point[0] + w.ky * point[1] + w.kz * point[2] + w.phase);
    // The coil sits posterior (larger y); tissue anterior to it (smaller y) receives less signal,
    // floored at 35 % so the anterior abdomen stays visible as on clinical images.
    const depth = Math.max(0, options.coilY - point[1]);
    const coil = Number.isFinite(options.coilDepthMm) ? Math.max(0.35, Math.exp(-depth / options.coilDepthMm)) : 1;
    return coil * (1 + amplitude * ripple);
  };
}
