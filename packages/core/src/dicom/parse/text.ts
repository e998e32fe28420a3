/**
 * Decoding of DICOM text values (PS3.5 §6.1). Core has no TextDecoder in its type environment
 * (it must run anywhere without DOM or Node typings), and the character sets that occur in
 * practice for the attributes Keyhole reads are ASCII (ISO-IR 6, the default), Latin-1
 * (ISO_IR 100) and UTF-8 (ISO_IR 192), so those are decoded here. Other repertoires (ISO 2022
 * code extensions, GB18030) fall back to Latin-1: readable ASCII stays right, other characters
 * may not; pixel geometry never depends on them.
 */

export type TextEncoding = 'latin1' | 'utf8';

/** The encoding to use for a data set with this Specific Character Set (0008,0005). */
export function encodingForCharacterSet(specificCharacterSet: string | undefined): TextEncoding {
  if (specificCharacterSet === undefined) return 'latin1';
  return /ISO_IR 192/i.test(specificCharacterSet) ? 'utf8' : 'latin1';
}

/** Decodes `length` bytes from `offset`, stopping at the first NUL (padding used by some writers). */
export function decodeText(bytes: Uint8Array, offset: number, length: number, encoding: TextEncoding): string {
  const end = Math.min(bytes.length, offset + length);
  let ascii = true;
  let stop = end;
  for (let i = offset; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte === 0) {
      stop = i;
      break;
    }
    if (byte > 0x7f) ascii = false;
  }
  if (ascii || encoding === 'latin1') return latin1(bytes, offset, stop);
  return utf8(bytes, offset, stop);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  // Most DICOM strings are short (UIDs, codes, numbers): a plain loop beats building an argument
  // list. `apply` takes the typed array as it is (no iterator, unlike spreading it), chunked to
  // stay below the engines' argument-count limit.
  if (end - start <= 64) {
    let short = '';
    for (let i = start; i < end; i++) short += String.fromCharCode(bytes[i] as number);
    return short;
  }
  let result = '';
  for (let i = start; i < end; i += 8192) {
    result += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return result;
}

/** UTF-8 per RFC 3629; malformed sequences become U+FFFD. */
function utf8(bytes: Uint8Array, start: number, end: number): string {
  const codePoints: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = bytes[i] as number;
    let needed = 0;
    let codePoint = 0;
    if (b0 < 0x80) codePoint = b0;
    else if (b0 >= 0xc2 && b0 < 0xe0) { needed = 1; codePoint = b0 & 0x1f; }
    else if (b0 >= 0xe0 && b0 < 0xf0) { needed = 2; codePoint = b0 & 0x0f; }
    else if (b0 >= 0xf0 && b0 < 0xf5) { needed = 3; codePoint = b0 & 0x07; }
    else { codePoints.push(0xfffd); i++; continue; }
    let valid = i + needed < end;
    for (let k = 1; valid && k <= needed; k++) {
      const b = bytes[i + k] as number;
      if ((b & 0xc0) !== 0x80) valid = false;
      else codePoint = (codePoint << 6) | (b & 0x3f);
    }
    if (!valid) { codePoints.push(0xfffd); i++; continue; }
    codePoints.push(codePoint);
    i += needed + 1;
  }
  let result = '';
  for (let k = 0; k < codePoints.length; k += 8192) result += String.fromCodePoint(...codePoints.slice(k, k + 8192));
  return result;
}
