/**
 * The registry loads each WebAssembly codec on first use of its transfer syntax, not up front
 * (decoding itself is tested against real files in conformance.test.ts).
 */
import { createRequire } from 'node:module';
import { TransferSyntax, type PixelFormat } from '@keyhole/core';
import { describe, expect, it } from 'vitest';
import { createNodeCodecRegistry } from './node-codec-registry.ts';

const requireCache = createRequire(import.meta.url).cache;
const loaded = (name: string): boolean => Object.keys(requireCache).some((path) => path.includes(name));
const format: PixelFormat = { rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, numberOfFrames: 1 };

describe('createNodeCodecRegistry', () => {
  it('loads no WebAssembly codec until a frame of its syntax is decoded, then only that one', async () => {
    const codecs = await createNodeCodecRegistry();
    expect(codecs.get(TransferSyntax.JPEGLSLossless)?.name).toMatch(/CharLS/);
    expect(loaded('codec-charls') || loaded('codec-openjpeg') || loaded('codec-openjph') || loaded('codec-libjpeg-turbo')).toBe(false);
    // Not a codestream: both concurrent first calls reject, after one load of CharLS.
    const garbage = new Uint8Array([1, 2, 3, 4]);
    const results = await Promise.allSettled([codecs.get(TransferSyntax.JPEGLSLossless)!.decode(garbage, format), codecs.get(TransferSyntax.JPEGLSNearLossless)!.decode(garbage, format)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(loaded('codec-charls')).toBe(true);
    expect(loaded('codec-openjpeg')).toBe(false);
  });
});
