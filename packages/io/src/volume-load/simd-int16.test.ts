import { describe, expect, it } from 'vitest';
import { createSimdVolumeMemory, kernelFor } from './simd-int16.ts';

describe('the WebAssembly SIMD intercept kernel', () => {
  it('adds the constant to every word in place (int16 wrap) and returns the OR of the original words, like the TypeScript loop', () => {
    const simd = createSimdVolumeMemory(70_000 * 2);
    expect(simd, 'WebAssembly SIMD and shared memory are available in Node 20').toBeDefined();
    const all = new Int16Array(simd!.memory.buffer, 0, 70_000);
    const words = new Uint16Array(all.buffer, 0, all.length);
    // Every pattern: all 16-bit words (twice over), at offsets and lengths that are not multiples of eight.
    for (let i = 0; i < words.length; i++) words[i] = (i * 40_503) & 0xffff;
    for (const [offset, length, constant] of [[0, 65_536, -1024], [3, 4_093, 1000], [17, 7, -32_768], [8, 0, 5], [1, 69_990, 0]] as const) {
      const values = all.subarray(offset, offset + length);
      const before = Array.from(new Uint16Array(values.buffer, values.byteOffset, values.length));
      const seen = simd!.addInPlace(values, constant);
      let expectedSeen = 0;
      const expected = before.map((word) => {
        expectedSeen |= word;
        return ((word + constant) << 16) >> 16;
      });
      expect(seen).toBe(expectedSeen);
      expect(Array.from(values)).toEqual(expected);
      // Put the words back for the next case.
      new Uint16Array(values.buffer, values.byteOffset, values.length).set(before);
    }
  });

  it('refuses values outside its memory, and a second kernel over the same memory sees the same volume (as a worker does)', () => {
    const simd = createSimdVolumeMemory(1024)!;
    expect(simd.addInPlace(new Int16Array(16), 1)).toBeUndefined();
    const other = kernelFor(simd.memory)!;
    const values = new Int16Array(simd.memory.buffer, 0, 16).fill(5);
    expect(other(values, 2)).toBe(5);
    expect(Array.from(values)).toEqual(new Array(16).fill(7));
  });
});
