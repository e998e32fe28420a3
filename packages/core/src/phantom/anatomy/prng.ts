/**
 * A small seeded PRNG (mulberry32, Tommy Ettinger's public-domain generator): deterministic for a seed,
 * no global state, good enough to vary morphometry. Each scene builds its own generator.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Normal(mean, sd) clamped to [min, max] (Box–Muller). */
  normal(mean: number, sd: number, min: number, max: number): number;
  /** A generator for a named sub-stream: adding a structure elsewhere does not change this stream. */
  fork(name: string): Rng;
}

function hashString(text: string, seed: number): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b) ^ (h >>> 13);
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  let state = (Math.trunc(seed) ^ 0x6d2b79f5) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    normal: (mean, sd, min, max) => {
      const u1 = Math.max(next(), 1e-12);
      const u2 = next();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.min(max, Math.max(min, mean + sd * z));
    },
    fork: (name) => createRng(hashString(name, Math.trunc(seed))),
  };
}
