/**
 * Wraps a data set received over DIMSE (C-STORE carries the data set only, in the negotiated
 * transfer syntax, without the File Meta Information) into a DICOM Part 10 file, byte for byte:
 * 128-byte preamble, "DICM", the File Meta Information group (PS3.10 §7.1, always Explicit VR
 * Little Endian), then the received data set bytes unchanged, so the pixel data and every
 * attribute stay exactly as the sender encoded them.
 */
export interface Part10Options {
  readonly dataset: Uint8Array;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** (0002,0016) Source Application Entity Title: the calling AE title. */
  readonly sourceAeTitle?: string;
}

/** Keyhole's implementation class UID: a UUID-derived UID (PS3.5 §B.2) under 2.25. */
export const KEYHOLE_IMPLEMENTATION_CLASS_UID = '2.25.163946218712634418367389318893744352187';
export const KEYHOLE_IMPLEMENTATION_VERSION = 'KEYHOLE_0_1';

function padded(value: string, pad: number): Uint8Array {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}

/** One explicit-VR little-endian element with a 2-byte length (UI, SH, AE, UL) or 4-byte length (OB). */
function element(group: number, elementNumber: number, vr: string, value: Uint8Array): Uint8Array {
  const long = vr === 'OB';
  const out = new Uint8Array((long ? 12 : 8) + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, elementNumber, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, value.length, true);
  else view.setUint16(6, value.length, true);
  out.set(value, long ? 12 : 8);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function part10File(options: Part10Options): Uint8Array {
  const ui = (value: string): Uint8Array => padded(value, 0); // UI pads with NUL (PS3.5 §6.2)
  const text = (value: string): Uint8Array => padded(value, 0x20);
  const body = concat([
    element(0x0002, 0x0001, 'OB', new Uint8Array([0, 1])),
    element(0x0002, 0x0002, 'UI', ui(options.sopClassUid)),
    element(0x0002, 0x0003, 'UI', ui(options.sopInstanceUid)),
    element(0x0002, 0x0010, 'UI', ui(options.transferSyntaxUid)),
    element(0x0002, 0x0012, 'UI', ui(KEYHOLE_IMPLEMENTATION_CLASS_UID)),
    element(0x0002, 0x0013, 'SH', text(KEYHOLE_IMPLEMENTATION_VERSION)),
    ...(options.sourceAeTitle !== undefined && options.sourceAeTitle !== '' ? [element(0x0002, 0x0016, 'AE', text(options.sourceAeTitle))] : []),
  ]);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, body.length, true);
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  return concat([preamble, element(0x0002, 0x0000, 'UL', length), body, options.dataset]);
}

/**
 * The data set part of a Part 10 file (everything after the File Meta Information group), to
 * compare what we stored with what was sent regardless of who wrote the meta header.
 */
export function datasetOfPart10(file: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < 144 || String.fromCharCode(...file.subarray(128, 132)) !== 'DICM') throw new Error('not a Part 10 file');
  // (0002,0000) UL group length is the first element after the preamble (PS3.10 §7.1).
  const groupLength = view.getUint32(140, true);
  return file.subarray(144 + groupLength);
}
