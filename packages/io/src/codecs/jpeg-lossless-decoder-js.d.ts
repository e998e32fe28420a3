// jpeg-lossless-decoder-js 2.1.x names release/lossless.d.ts in its package.json but does not
// ship it; this declares the one class Keyhole uses (see its src/decoder.ts).
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    constructor(buffer?: ArrayBuffer | null, numBytes?: number);
    /** Decodes one JPEG lossless codestream; numBytes is the bytes per sample of the output (1 or 2). */
    decode(buffer?: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
