// Pixel codecs: decoders (browser-safe) and the Node registry that loads them.
export { createNodeCodecRegistry } from './node-codec-registry.ts';
export { createEmscriptenCodec, type EmscriptenCodecOptions, type EmscriptenDecoder, type DecoderConstructor } from './emscripten-decoders.ts';
export { createRleCodec, decodeRle } from './rle.ts';
export { createJpegLosslessCodec } from './jpeg-lossless.ts';
export { createJpegExtendedCodec } from './jpeg-extended-12bit.ts';
