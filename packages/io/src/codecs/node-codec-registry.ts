/**
 * The codec registry for Node: loads each WebAssembly build once (per registry) and maps every
 * supported transfer syntax UID to its FrameCodec.
 *
 * Loading is kept here, apart from decoding (emscripten-decoders.ts, rle.ts, jpeg-lossless.ts),
 * so that a browser or worker build can make its own registry from the same decoders.
 * Emscripten's Node glue finds the .wasm file beside its .js file, so no path is passed.
 *
 * Each WebAssembly module is loaded lazily, on the first frame of its transfer syntax, and then
 * kept for the registry's lifetime: compiling all four took 0.1–0.3 s of every `keyhole convert`,
 * most of which read uncompressed files that need none of them. A module that fails to load
 * fails the frames that need it (decodeFrame names the file), not the whole registry.
 */
import { createRequire } from 'node:module';
import { TransferSyntax, type FrameCodec, type FrameCodecOutput, type FrameCodecRegistry, type PixelFormat } from '@keyhole/core';
import { createEmscriptenCodec, type DecoderConstructor, type EmscriptenCodecOptions, type EmscriptenDecoder } from './emscripten-decoders.ts';
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
  const jpegLs = lazyEmscriptenCodec({
    name: `CharLS (@cornerstonejs/codec-charls)`,
    load: () => loadDecoder('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder'),
    // CharLS interleave mode 0 ("none") leaves each component in its own plane.
    colourLayout: (decoder: EmscriptenDecoder) => ({ planarConfiguration: decoder.getInterleaveMode?.() === 0 ? 1 : 0 }),
  });
  const jpegBaseline = lazyEmscriptenCodec({
    name: `libjpeg-turbo (@cornerstonejs/codec-libjpeg-turbo-8bit)`,
    load: () => loadDecoder('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder'),
    // libjpeg-turbo converts YCbCr to RGB and interleaves, as cornerstone relies on.
    colourLayout: () => ({ planarConfiguration: 0, photometricInterpretation: 'RGB' }),
  });
  const jpeg2000 = lazyEmscriptenCodec({
    name: `OpenJPEG (@cornerstonejs/codec-openjpeg)`,
    load: () => loadDecoder('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder'),
    colourLayout: (_decoder, format) => j2kColour(format),
  });
  const htj2k = lazyEmscriptenCodec({
    name: `OpenJPH (@cornerstonejs/codec-openjph)`,
    load: () => loadDecoder('@cornerstonejs/codec-openjph/wasmjs', 'HTJ2KDecoder'),
    colourLayout: (_decoder, format) => j2kColour(format),
  });
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

interface LazyCodecOptions extends Omit<EmscriptenCodecOptions, 'Decoder'> {
  readonly load: () => Promise<DecoderConstructor>;
}

/** A FrameCodec whose WebAssembly module is loaded on its first decode, once (concurrent first calls share the load). */
function lazyEmscriptenCodec(options: LazyCodecOptions): FrameCodec {
  let codec: Promise<FrameCodec> | undefined;
  const { load, ...rest } = options;
  return {
    name: options.name,
    decode: (encoded: Uint8Array, format: PixelFormat): Promise<FrameCodecOutput> => {
      codec ??= load().then((Decoder) => createEmscriptenCodec({ ...rest, Decoder }));
      return codec.then((loaded) => loaded.decode(encoded, format));
    },
  };
}
