import { hash128 } from '../../dicom/write/uid.ts';

/**
 * Seeded pseudo-random numbers for the phantom's imaging (noise, per-seed tissue variation, bias
 * fields). Never Math.random: a phantom is a test oracle and must be identical for a given seed.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean, 128-bit
 * state), seeded from a 128-bit hash of `<seed>/<stream>` so that independent uses (CT noise, MR
 * bias field, ...) draw from independent streams and adding one does not shift the others.
 * Normal deviates: Box–Muller (Box & Muller 1958), both values of each pair used.
 */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

export function createRandom(seed: number | string, stream: string): Random {
  let [a, b, c, d] = hash128(`${String(seed)}/${stream}`);
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let n = 0; n < 12; n++) next32(); // discard the first outputs, as sfc32's author recommends
  const uniform = (): number => next32() / 4294967296;
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    let u = uniform();
    while (u <= Number.MIN_VALUE) u = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { uniform, between: (min, max) => min + (max - min) * uniform(), normal };
}
