import { describe, expect, it } from 'vitest';
import { anatomicalLetter, annotateDrr } from './annotate.ts';
import { DEFAULT_C_ARM_GEOMETRY } from './c-arm.ts';
import { drrDisplayPixels } from './display.ts';
import { projectionFromPose } from './projection.ts';
import { drawText, textWidth } from './raster-text.ts';

describe('DRR display', () => {
  // A ramp of line integrals 0…2 across 100 columns, 10 rows.
  const data = Float32Array.from({ length: 1000 }, (_, p) => (2 * (p % 100)) / 99);
  const image = { data, size: [100, 10] as const };

  it('maps line integrals to grey with bone (high values) white, or dark in fluoroscopy polarity', () => {
    const radiograph = drrDisplayPixels(image, { meteringFraction: 1 });
    expect(radiograph.pixels[99]).toBe(255);
    expect(radiograph.pixels[1]).toBe(0);
    expect(radiograph.pixels[50]!).toBeGreaterThan(radiograph.pixels[20]!);
    const fluoro = drrDisplayPixels(image, { polarity: 'fluoroscopy', meteringFraction: 1 });
    expect(fluoro.pixels[99]).toBe(0);
    expect(fluoro.pixels[1]).toBe(255);
  });

  it('meters the window on the centre of the field', () => {
    const central = drrDisplayPixels(image, { meteringFraction: 0.5, lowPercentile: 0, highPercentile: 100 });
    // The central half of the columns spans line integrals ~0.5…1.5.
    expect(central.window[0]).toBeGreaterThan(0.45);
    expect(central.window[1]).toBeLessThan(1.55);
  });
});

describe('burned-in text and orientation', () => {
  it('draws 5×7 glyphs with an outline and measures text', () => {
    const pixels = new Uint8Array(40 * 12).fill(100);
    drawText(pixels, 40, 12, 'L1', { x: 1, y: 1, scale: 1 });
    expect(textWidth('L1', 1)).toBe(11);
    expect(pixels[1 * 40 + 1]).toBe(255); // top of the L's stem
    expect(pixels[0 * 40 + 1]).toBe(0); // outline above it
    expect(pixels[11 * 40 + 39]).toBe(100); // untouched far corner
  });

  it('names the patient side each image edge shows, and marks the image SIMULATED', () => {
    expect(anatomicalLetter([1, 0.2, 0])).toBe('L');
    expect(anatomicalLetter([0, -1, 0.1])).toBe('A');
    const projection = projectionFromPose({ geometry: { ...DEFAULT_C_ARM_GEOMETRY, detectorPixels: [480, 200] }, isocentre: [0, 0, 0], primaryDeg: 180, secondaryDeg: 0 });
    const pixels = new Uint8Array(480 * 200).fill(100);
    annotateDrr({ pixels, width: 480, height: 200 }, projection, { caption: 'AP, PRONE' });
    // Ink in the banner rows at the top left.
    expect(pixels.subarray(4 * 480, 18 * 480).some((v) => v === 255)).toBe(true);
  });
});
