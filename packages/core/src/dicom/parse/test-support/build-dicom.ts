/**
 * Test support: writes small DICOM files byte by byte, so that parser and decoder tests can
 * state exactly what is in the file (PS3.5 §7 element encoding, PS3.10 §7 file meta).
 * Pure TypeScript, no I/O. Not part of the public API.
 */
import { TransferSyntax } from '../transfer-syntax.ts';

export type TestValue = string | readonly number[] | Uint8Array | readonly TestElement[][];

export interface TestElement {
  readonly tag: string;
  readonly vr: string;
  readonly value: TestValue;
}

export interface BuildDicomOptions {
  readonly transferSyntax?: string;
  readonly elements: readonly TestElement[];
  /** Encapsulated pixel data: fragments (one or more per frame) and an optional Basic Offset Table. */
  readonly fragments?: readonly Uint8Array[];
  readonly basicOffsetTable?: readonly number[];
  /** Leave out the preamble and file meta (a raw data set). */
  readonly raw?: boolean;
}

const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

class Writer {
  private chunks: number[] = [];
  constructor(private readonly littleEndian: boolean) {}
  u8(...values: number[]): void { this.chunks.push(...values); }
  u16(value: number, le = this.littleEndian): void {
    if (le) this.u8(value & 0xff, (value >> 8) & 0xff); else this.u8((value >> 8) & 0xff, value & 0xff);
  }
  u32(value: number, le = this.littleEndian): void {
    const b = [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
    if (le) this.u8(...b); else this.u8(...b.reverse());
  }
  bytes(data: Uint8Array): void { for (const b of data) this.chunks.push(b); }
  get length(): number { return this.chunks.length; }
  result(): Uint8Array { return Uint8Array.from(this.chunks); }
}

function encodeValue(element: TestElement, littleEndian: boolean): Uint8Array {
  const { vr, value } = element;
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    const padded = value.length % 2 === 0 ? value : value + (vr === 'UI' ? '\0' : ' ');
    return Uint8Array.from(padded, (c) => c.charCodeAt(0));
  }
  const w = new Writer(littleEndian);
  for (const number of value as readonly number[]) {
    if (vr === 'US' || vr === 'SS') w.u16(number & 0xffff);
    else if (vr === 'UL' || vr === 'SL') w.u32(number >>> 0);
    else if (vr === 'FL') {
      const view = new DataView(new ArrayBuffer(4));
      view.setFloat32(0, number, littleEndian);
      w.bytes(new Uint8Array(view.buffer));
    } else if (vr === 'FD') {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, number, littleEndian);
      w.bytes(new Uint8Array(view.buffer));
    } else throw new Error(`build-dicom: no numeric encoding for ${vr}`);
  }
  return w.result();
}

function writeElement(w: Writer, element: TestElement, explicit: boolean, littleEndian: boolean): void {
  const group = parseInt(element.tag.slice(1, 5), 16);
  const number = parseInt(element.tag.slice(5, 9), 16);
  w.u16(group);
  w.u16(number);
  if (element.vr === 'SQ') {
    if (explicit) { w.u8(0x53, 0x51, 0, 0); }
    w.u32(0xffffffff);
    for (const item of element.value as readonly TestElement[][]) {
      w.u16(0xfffe); w.u16(0xe000); w.u32(0xffffffff);
      for (const child of item) writeElement(w, child, explicit, littleEndian);
      w.u16(0xfffe); w.u16(0xe00d); w.u32(0);
    }
    w.u16(0xfffe); w.u16(0xe0dd); w.u32(0);
    return;
  }
  const data = encodeValue(element, littleEndian);
  const padded = data.length % 2 === 0 ? data : Uint8Array.from([...data, 0]);
  if (explicit) {
    w.u8(element.vr.charCodeAt(0), element.vr.charCodeAt(1));
    if (LONG_LENGTH_VRS.has(element.vr)) { w.u16(0); w.u32(padded.length); } else w.u16(padded.length);
  } else w.u32(padded.length);
  w.bytes(padded);
}

/** A complete Part 10 file (or a raw data set) with the elements in tag order. */
export function buildDicom(options: BuildDicomOptions): Uint8Array {
  const syntax = options.transferSyntax ?? TransferSyntax.ExplicitVRLittleEndian;
  const explicit = syntax !== TransferSyntax.ImplicitVRLittleEndian;
  const littleEndian = syntax !== TransferSyntax.ExplicitVRBigEndian;
  const w = new Writer(true);
  if (options.raw !== true) {
    for (let i = 0; i < 128; i++) w.u8(0);
    w.u8(0x44, 0x49, 0x43, 0x4d);
    const meta = new Writer(true);
    writeElement(meta, { tag: 'x00020001', vr: 'OB', value: Uint8Array.from([0, 1]) }, true, true);
    writeElement(meta, { tag: 'x00020010', vr: 'UI', value: syntax }, true, true);
    const metaBytes = meta.result();
    writeElement(w, { tag: 'x00020000', vr: 'UL', value: [metaBytes.length] }, true, true);
    w.bytes(metaBytes);
  }
  const body = new Writer(littleEndian);
  const sorted = [...options.elements].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  for (const element of sorted) writeElement(body, element, explicit, littleEndian);
  if (options.fragments !== undefined) {
    body.u16(0x7fe0); body.u16(0x0010); body.u8(0x4f, 0x42, 0, 0); body.u32(0xffffffff);
    const table = options.basicOffsetTable ?? [];
    body.u16(0xfffe); body.u16(0xe000); body.u32(table.length * 4);
    for (const offset of table) body.u32(offset);
    for (const fragment of options.fragments) {
      const padded = fragment.length % 2 === 0 ? fragment : Uint8Array.from([...fragment, 0]);
      body.u16(0xfffe); body.u16(0xe000); body.u32(padded.length);
      body.bytes(padded);
    }
    body.u16(0xfffe); body.u16(0xe0dd); body.u32(0);
  }
  w.bytes(body.result());
  return w.result();
}

/** The Image Pixel module elements for a monochrome image. */
export function imagePixelElements(options: { rows: number; columns: number; bitsAllocated: number; bitsStored?: number; highBit?: number; signed?: boolean; frames?: number; samplesPerPixel?: number; photometric?: string }): TestElement[] {
  const bitsStored = options.bitsStored ?? options.bitsAllocated;
  return [
    { tag: 'x00080016', vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 'x00080018', vr: 'UI', value: '1.2.3.4.5' },
    { tag: 'x00280002', vr: 'US', value: [options.samplesPerPixel ?? 1] },
    { tag: 'x00280004', vr: 'CS', value: options.photometric ?? 'MONOCHROME2' },
    ...(options.frames !== undefined ? [{ tag: 'x00280008', vr: 'IS', value: String(options.frames) }] : []),
    { tag: 'x00280010', vr: 'US', value: [options.rows] },
    { tag: 'x00280011', vr: 'US', value: [options.columns] },
    { tag: 'x00280100', vr: 'US', value: [options.bitsAllocated] },
    { tag: 'x00280101', vr: 'US', value: [bitsStored] },
    { tag: 'x00280102', vr: 'US', value: [options.highBit ?? bitsStored - 1] },
    { tag: 'x00280103', vr: 'US', value: [options.signed === true ? 1 : 0] },
  ];
}
