/**
 * toStoredValues' scan for bits above High Bit reads 16-bit words in pairs through a 32-bit view;
 * it must find garbage in any word, whatever the view's alignment (pixel data sits at any even
 * offset in its file) and whether the count is odd.
 */
import { describe, expect, it } from 'vitest';
import type { PixelFormat } from '../instance.ts';
import { toStoredValues } from './stored-values.ts';

const format = (count: number): PixelFormat => ({
  rows: 1, columns: count, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, highBit: 11,
  pixelRepresentation: 0, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, numberOfFrames: 1,
});

describe('toStoredValues masks bits above High Bit wherever they are', () => {
  for (const offsetWords of [0, 1, 2, 3]) {
    for (const count of [1, 2, 7, 8]) {
      it(`view at byte ${2 * offsetWords}, ${count} word(s)`, () => {
        const clean = Array.from({ length: count }, (_, i) => (i * 37) % 4096);
        for (let dirty = -1; dirty < count; dirty++) {
          const view = new Uint16Array(new ArrayBuffer(2 * (offsetWords + count)), 2 * offsetWords, count);
          view.set(clean);
          if (dirty >= 0) view[dirty] = (view[dirty] as number) | 0x4000;
          const result = toStoredValues(view, format(count), 11);
          expect(Array.from(result), `dirty ${dirty}`).toEqual(clean);
          // Clean data is returned without a copy.
          if (dirty < 0) expect(result).toBe(view);
        }
      });
    }
  }
});
