/**
 * A DicomDataset (see ../instance.ts) over one dicom-parser DataSet: the file's root data set or
 * a sequence item. Nothing is copied: values are read from the file's bytes when asked for.
 *
 * Value representation: explicit-VR files carry the VR on each element; Implicit VR Little
 * Endian files do not (PS3.5 §A.1), so the VR comes from TAG_VR (../tags.ts) and, for tags
 * Keyhole does not list, from the value itself (printable text → string, else binary by length).
 */
import type { DataSet, Element } from 'dicom-parser';
import type { DicomDataset, DicomTag } from '../instance.ts';
import { TAG_VR } from '../tags.ts';
import { decodeText, type TextEncoding } from './text.ts';

/** VRs whose value is text (PS3.5 §6.2). */
const STRING_VRS: ReadonlySet<string> = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

/** Binary numeric VRs and the byte size of one value. */
const BINARY_SIZE: Readonly<Record<string, number>> = {
  US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, OF: 4, OD: 8, OL: 4, OV: 8, SV: 8, UV: 8, AT: 4, OW: 2,
};

export interface DatasetAdapterOptions {
  readonly dataSet: DataSet;
  readonly encoding: TextEncoding;
}

export function createDatasetAdapter(options: DatasetAdapterOptions): DicomDataset {
  return new DicomParserDataset(options.dataSet, options.encoding);
}

class DicomParserDataset implements DicomDataset {
  /** Sequence item adapters, created on first access (per data set, not global). */
  private readonly sequences = new Map<DicomTag, DicomDataset[]>();
  /**
   * Decoded string values, on first access: series assembly asks for the same tags of every
   * instance several times (splitting, sorting, geometry), and decoding them again each time was
   * a visible part of cataloguing a 300-slice series.
   */
  private readonly texts = new Map<DicomTag, readonly string[]>();

  constructor(
    private readonly dataSet: DataSet,
    private readonly encoding: TextEncoding,
  ) {}

  has(tag: DicomTag): boolean {
    return this.dataSet.elements[tag] !== undefined;
  }

  string(tag: DicomTag): string | undefined {
    const first = this.strings(tag)[0];
    return first === undefined || first.length === 0 ? undefined : first;
  }

  strings(tag: DicomTag): string[] {
    const element = this.dataSet.elements[tag];
    if (element === undefined || element.length === 0 || element.items !== undefined) return [];
    const vr = this.vrOf(element);
    if (!STRING_VRS.has(vr)) {
      // Binary numbers asked for as strings: give their decimal form rather than garbage.
      return BINARY_SIZE[vr] !== undefined ? this.numbers(tag).map(String) : [];
    }
    const cached = this.texts.get(tag);
    if (cached !== undefined) return cached.slice();
    const text = decodeText(this.dataSet.byteArray, element.dataOffset, element.length, this.encoding);
    // LT, ST, UT and UR are single-valued and may contain backslashes (PS3.5 §6.2).
    const values = (vr === 'LT' || vr === 'ST' || vr === 'UT' || vr === 'UR' ? [text] : text.split('\\')).map((value) => value.trim());
    this.texts.set(tag, values);
    return values.slice();
  }

  number(tag: DicomTag): number | undefined {
    const element = this.dataSet.elements[tag];
    if (element === undefined || element.length === 0) return undefined;
    const vr = this.vrOf(element);
    if (BINARY_SIZE[vr] !== undefined) return this.binaryValue(element, vr, 0);
    const first = this.numbers(tag)[0];
    return first === undefined || Number.isNaN(first) ? undefined : first;
  }

  numbers(tag: DicomTag): number[] {
    const element = this.dataSet.elements[tag];
    if (element === undefined || element.length === 0 || element.items !== undefined) return [];
    const vr = this.vrOf(element);
    const size = BINARY_SIZE[vr];
    if (size !== undefined) {
      const count = Math.floor(element.length / size);
      const values = new Array<number>(count);
      for (let i = 0; i < count; i++) values[i] = this.binaryValue(element, vr, i);
      return values;
    }
    if (!STRING_VRS.has(vr)) return [];
    // An empty value inside a list keeps its place as NaN, so that positions stay meaningful.
    return this.strings(tag).map((value) => (value.length === 0 ? Number.NaN : Number(value)));
  }

  sequence(tag: DicomTag): DicomDataset[] {
    const cached = this.sequences.get(tag);
    if (cached !== undefined) return cached;
    const items = this.dataSet.elements[tag]?.items ?? [];
    const adapters = items.flatMap((item) => (item.dataSet === undefined ? [] : [new DicomParserDataset(item.dataSet, this.encoding)]));
    this.sequences.set(tag, adapters);
    return adapters;
  }

  bytes(tag: DicomTag): Uint8Array | undefined {
    const element = this.dataSet.elements[tag];
    if (element === undefined || element.items !== undefined) return undefined;
    const byteArray = this.dataSet.byteArray;
    const end = Math.min(byteArray.length, element.dataOffset + element.length);
    return byteArray.subarray(element.dataOffset, end);
  }

  /** The element's VR: as written (explicit VR), else from the dictionary, else guessed. */
  private vrOf(element: Element): string {
    if (element.vr !== undefined && element.vr !== 'UN') return element.vr;
    const known = TAG_VR.get(element.tag);
    if (known !== undefined) return known;
    // Group length elements (gggg,0000) are UL (PS3.5 §7.2).
    if (element.tag.endsWith('0000')) return 'UL';
    return looksLikeText(this.dataSet.byteArray, element) ? 'LO' : element.length % 4 === 0 ? 'UL' : 'US';
  }

  private binaryValue(element: Element, vr: string, index: number): number {
    const parser = element.parser ?? this.dataSet.byteArrayParser;
    const bytes = this.dataSet.byteArray;
    const size = BINARY_SIZE[vr] ?? 0;
    const offset = element.dataOffset + index * size;
    switch (vr) {
      case 'US':
      case 'OW':
        return parser.readUint16(bytes, offset);
      case 'SS':
        return parser.readInt16(bytes, offset);
      case 'UL':
      case 'OL':
        return parser.readUint32(bytes, offset);
      case 'SL':
        return parser.readInt32(bytes, offset);
      case 'FL':
      case 'OF':
        return parser.readFloat(bytes, offset);
      case 'FD':
      case 'OD':
        return parser.readDouble(bytes, offset);
      case 'AT':
        // Group then element, each 16-bit, as one number 0xggggeeee.
        return parser.readUint16(bytes, offset) * 0x10000 + parser.readUint16(bytes, offset + 2);
      default: {
        // 64-bit integers (OV, SV, UV): exact up to 2^53, which covers every file offset.
        const littleEndian = parser.readUint16(new Uint8Array([1, 0]), 0) === 1;
        const low = parser.readUint32(bytes, littleEndian ? offset : offset + 4);
        const high = littleEndian ? parser.readInt32(bytes, offset + 4) : parser.readInt32(bytes, offset);
        const unsignedHigh = vr === 'SV' ? high : high >>> 0;
        return unsignedHigh * 0x1_0000_0000 + low;
      }
    }
  }
}

function looksLikeText(bytes: Uint8Array, element: Element): boolean {
  const end = Math.min(bytes.length, element.dataOffset + element.length);
  if (end <= element.dataOffset) return false;
  for (let i = element.dataOffset; i < end; i++) {
    const byte = bytes[i] as number;
    const printable = byte >= 0x20 && byte < 0x7f;
    const padding = byte === 0 && i === end - 1;
    if (!printable && !padding) return false;
  }
  return true;
}
