/**
 * The codec registry for Node: loads each WebAssembly build once (per registry) and maps every
 * supported transfer syntax UID to its FrameCodec.
 *
 * Loading is kept here, apart from decoding (emscripten-decoders.ts, rle.ts, jpeg-lossless.ts),
 * so that a browser or worker build can make its own registry from the same decoders.
 * Emscripten's Node glue finds the .wasm file beside its .js file, so no path is passed.
 */
import { createRequire } from 'node:module';
import { TransferSyntax, type FrameCodec, type FrameCodecRegistry, type PixelFormat } from '@keyhole/core';
import { createEmscriptenCodec, type DecoderConstructor, type EmscriptenDecoder } from './emscripten-decoders.ts';
import { createJpegExtendedCodec } from './jpeg-extended-12bit.ts';
import { createJpegLosslessCodec } from './jpeg-lossless.ts';
import { createRleCodec } from './rle.ts';

type ModuleFactory = (options?: Record<string, unknown>) => Promise<Record<string, unknown>>;

const require = createRequire(import.meta.url);

async function loadDecoder(specifier: string, className: string): Promise<DecoderConstructor> {
  const factory = require(specifier) as ModuleFactory;
  // OpenJPEG prints progress ("[INFO] Main header has been correctly decoded") to stdout; failures
  // reach us as exceptions, so the module's own printing is switched off.
  const silent = (): void => undefined;
  const module = await factory({ print: silent, printErr: silent });
  const Decoder = module[className];
  if (typeof Decoder !== 'function') throw new Error(`${specifier} has no ${className}`);
  return Decoder as DecoderConstructor;
}

/** JPEG 2000 decoders apply the inverse component transform, so YBR_RCT/YBR_ICT come out as RGB (PS3.5 §8.2.4). */
function j2kColour(format: PixelFormat): { planarConfiguration: 0; photometricInterpretation?: string } {
  const converted = format.photometricInterpretation === 'YBR_RCT' || format.photometricInterpretation === 'YBR_ICT';
  return { planarConfiguration: 0, ...(converted ? { photometricInterpretation: 'RGB' } : {}) };
}

export async function createNodeCodecRegistry(): Promise<FrameCodecRegistry> {
  const [charls, libjpegTurbo, openjpeg, openjph] = await Promise.all([
    loadDecoder('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder'),
    loadDecoder('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder'),
    loadDecoder('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder'),
    loadDecoder('@cornerstonejs/codec-openjph/wasmjs', 'HTJ2KDecoder'),
  ]);

  const jpegLs = createEmscriptenCodec({
    name: `CharLS (@cornerstonejs/codec-charls)`,
    Decoder: charls,
    // CharLS interleave mode 0 ("none") leaves each component in its own plane.
    colourLayout: (decoder: EmscriptenDecoder) => ({ planarConfiguration: decoder.getInterleaveMode?.() === 0 ? 1 : 0 }),
  });
  const jpegBaseline = createEmscriptenCodec({
    name: `libjpeg-turbo (@cornerstonejs/codec-libjpeg-turbo-8bit)`,
    Decoder: libjpegTurbo,
    // libjpeg-turbo converts YCbCr to RGB and interleaves, as cornerstone relies on.
    colourLayout: () => ({ planarConfiguration: 0, photometricInterpretation: 'RGB' }),
  });
  const j2k = (Decoder: DecoderConstructor, name: string): FrameCodec =>
    createEmscriptenCodec({ name, Decoder, colourLayout: (_decoder, format) => j2kColour(format) });
  const jpeg2000 = j2k(openjpeg, `OpenJPEG (@cornerstonejs/codec-openjpeg)`);
  const htj2k = j2k(openjph, `OpenJPH (@cornerstonejs/codec-openjph)`);
  const jpegLossless = createJpegLosslessCodec();

  return new Map<string, FrameCodec>([
    [TransferSyntax.JPEGBaseline8Bit, jpegBaseline],
    [TransferSyntax.JPEGExtended12Bit, createJpegExtendedCodec(jpegBaseline)],
    [TransferSyntax.JPEGLossless, jpegLossless],
    [TransferSyntax.JPEGLosslessSV1, jpegLossless],
    [TransferSyntax.JPEGLSLossless, jpegLs],
    [TransferSyntax.JPEGLSNearLossless, jpegLs],
    [TransferSyntax.JPEG2000Lossless, jpeg2000],
    [TransferSyntax.JPEG2000, jpeg2000],
    [TransferSyntax.HTJ2KLossless, htj2k],
    [TransferSyntax.HTJ2KLosslessRPCL, htj2k],
    [TransferSyntax.HTJ2K, htj2k],
    [TransferSyntax.RLELossless, createRleCodec()],
  ]);
}
