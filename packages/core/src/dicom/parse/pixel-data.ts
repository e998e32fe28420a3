/**
 * The EncodedPixelData of a parsed instance: the Image Pixel module read into a PixelFormat, and
 * frame access without copying (native frames and single-fragment compressed frames are views
 * into the file's bytes).
 *
 * Frames of encapsulated pixel data (PS3.5 §A.4) are located, in this order of trust, by the
 * Extended Offset Table (7FE0,0001), the Basic Offset Table (first item), one fragment per frame,
 * all fragments for a single-frame image, or, failing those, by the codestream start markers
 * at the start of fragments (JPEG SOI FFD8 for JPEG and JPEG-LS, SOC FF4F for JPEG 2000/HTJ2K),
 * which is what cornerstone's dicom-image-loader and dcm2niix do for files without tables.
 */
import type { DataSet, Element, Fragment } from 'dicom-parser';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { DicomDataset, EncodedPixelData, PixelFormat } from '../instance.ts';
import { Tag, describeTag } from '../tags.ts';

export interface PixelDataOptions {
  readonly source: string;
  readonly dataSet: DataSet;
  readonly dataset: DicomDataset;
  readonly encapsulated: boolean;
  readonly littleEndian: boolean;
}

/** Undefined when the instance carries no pixel data element at all. */
export function readPixelData(options: PixelDataOptions): EncodedPixelData | undefined {
  const { dataSet, dataset, source } = options;
  const integer = dataSet.elements[Tag.PixelData];
  const float32 = dataSet.elements[Tag.FloatPixelData];
  const float64 = dataSet.elements[Tag.DoubleFloatPixelData];
  const element = integer ?? float32 ?? float64;
  if (element === undefined) return undefined;
  const valueType = integer !== undefined ? 'integer' : float32 !== undefined ? 'float32' : 'float64';
  const format = readPixelFormat({ dataset, source, valueType });
  if (options.encapsulated && element.encapsulatedPixelData === true && element.fragments !== undefined) {
    return new EncapsulatedPixelData(source, dataSet, element, element.fragments, format, dataset);
  }
  if (options.encapsulated) {
    throw new KeyholeError('DICOM_MALFORMED', {
      file: source,
      message: 'the transfer syntax is encapsulated (compressed) but the pixel data element is not a fragment sequence',
    });
  }
  const value = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  return new NativePixelData({
    source,
    format,
    littleEndian: options.littleEndian,
    valueType,
    byteLength: value.length,
    read: (start, length) => value.subarray(start, start + length),
    readInto: (start, target) => target.set(value.subarray(start, start + target.length)),
  });
}

export interface DeferredNativePixelDataOptions {
  readonly source: string;
  readonly dataSet: DataSet;
  readonly dataset: DicomDataset;
  readonly littleEndian: boolean;
  /** The Pixel Data element (integer, defined length) as dicom-parser found it in the header bytes. */
  readonly element: Element;
  /** Reads `length` bytes of the file from `offset`; the bytes returned are the caller's to keep. */
  readonly readRange: (offset: number, length: number) => Uint8Array;
  /** Reads `target.length` bytes of the file from `offset` into `target`. */
  readonly readRangeInto: (offset: number, target: Uint8Array) => void;
}

/**
 * Native pixel data that is not in memory: the header was parsed from the start of the file, and
 * each frame is read from the file when asked for (see parseDicomHeader). Frames are then copied
 * once, from the file into the decoder, instead of the whole file being held first.
 */
export function deferredNativePixelData(options: DeferredNativePixelDataOptions): EncodedPixelData {
  const { source, dataset, element, readRange } = options;
  const format = readPixelFormat({ dataset, source, valueType: 'integer' });
  return new NativePixelData({
    source,
    format,
    littleEndian: options.littleEndian,
    valueType: 'integer',
    byteLength: element.length,
    read: (start, length) => readRange(element.dataOffset + start, length),
    readInto: (start, target) => options.readRangeInto(element.dataOffset + start, target),
  });
}

interface PixelFormatOptions {
  readonly dataset: DicomDataset;
  readonly source: string;
  readonly valueType: 'integer' | 'float32' | 'float64';
}

function readPixelFormat(options: PixelFormatOptions): PixelFormat {
  const { dataset, source } = options;
  const required = (tag: string): number => {
    const value = dataset.number(tag);
    if (value === undefined || !Number.isInteger(value) || value <= 0) {
      throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', {
        file: source,
        message: `the image has pixel data but ${describeTag(tag)} is ${value === undefined ? 'missing' : `invalid (${value})`}`,
        details: { tag },
      });
    }
    return value;
  };
  const rows = required(Tag.Rows);
  const columns = required(Tag.Columns);
  // Float Pixel Data has no Bits Allocated requirement beyond 32/64 (PS3.3 §C.7.6.24); default accordingly.
  const defaultBits = options.valueType === 'float32' ? 32 : options.valueType === 'float64' ? 64 : undefined;
  const bitsAllocated = dataset.number(Tag.BitsAllocated) ?? defaultBits ?? required(Tag.BitsAllocated);
  const bitsStored = dataset.number(Tag.BitsStored) ?? bitsAllocated;
  const highBit = dataset.number(Tag.HighBit) ?? bitsStored - 1;
  const frames = dataset.number(Tag.NumberOfFrames);
  return {
    rows,
    columns,
    samplesPerPixel: dataset.number(Tag.SamplesPerPixel) ?? 1,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: dataset.number(Tag.PixelRepresentation) === 1 ? 1 : 0,
    photometricInterpretation: dataset.string(Tag.PhotometricInterpretation) ?? 'MONOCHROME2',
    planarConfiguration: dataset.number(Tag.PlanarConfiguration) === 1 ? 1 : 0,
    numberOfFrames: frames !== undefined && Number.isInteger(frames) && frames > 0 ? frames : 1,
  };
}

function checkFrameIndex(source: string, index: number, format: PixelFormat): void {
  if (!Number.isInteger(index) || index < 0 || index >= format.numberOfFrames) {
    throw new KeyholeError('INVALID_ARGUMENT', {
      file: source,
      message: `frame ${index} does not exist: the instance has ${format.numberOfFrames} frame(s), numbered from 0`,
    });
  }
}

interface NativePixelSource {
  readonly source: string;
  readonly format: PixelFormat;
  readonly littleEndian: boolean;
  readonly valueType: 'integer' | 'float32' | 'float64';
  /** Length of the Pixel Data value in bytes. */
  readonly byteLength: number;
  /** Bytes `start`..`start + length` of the Pixel Data value (a view of the file in memory, or read from it). */
  readonly read: (start: number, length: number) => Uint8Array;
  /** Copies bytes `start`..`start + target.length` of the Pixel Data value into `target`. */
  readonly readInto: (start: number, target: Uint8Array) => void;
}

class NativePixelData implements EncodedPixelData {
  readonly encapsulated = false;
  readonly format: PixelFormat;
  readonly littleEndian: boolean;
  readonly valueType: 'integer' | 'float32' | 'float64';
  private readonly source: string;
  private readonly byteLength: number;
  private readonly read: NativePixelSource['read'];
  private readonly readInto: NativePixelSource['readInto'];
  constructor(options: NativePixelSource) {
    this.readInto = options.readInto;
    this.source = options.source;
    this.format = options.format;
    this.littleEndian = options.littleEndian;
    this.valueType = options.valueType;
    this.byteLength = options.byteLength;
    this.read = options.read;
  }

  frame(index: number): Uint8Array {
    const [start, length] = this.frameRange(index);
    return this.read(start, length);
  }

  readFrameInto(index: number, target: Uint8Array): void {
    const [start, length] = this.frameRange(index);
    if (target.length !== length) {
      throw new KeyholeError('INTERNAL', { file: this.source, message: `frame ${index} has ${length} bytes, the target holds ${target.length}` });
    }
    this.readInto(start, target);
  }

  /** Byte offset and length of frame `index` in the Pixel Data value, checked against its length. */
  private frameRange(index: number): readonly [number, number] {
    checkFrameIndex(this.source, index, this.format);
    const { rows, columns, samplesPerPixel, bitsAllocated } = this.format;
    const bitsPerFrame = rows * columns * samplesPerPixel * bitsAllocated;
    if (bitsPerFrame % 8 !== 0 && this.format.numberOfFrames > 1) {
      // 1-bit frames are packed without padding between frames (PS3.5 §8.1.1): frame i may start mid-byte.
      throw new KeyholeError('DICOM_UNSUPPORTED_PIXEL_FORMAT', {
        file: this.source,
        message: `multi-frame 1-bit pixel data whose frames (${bitsPerFrame} bits) do not end on a byte boundary is not supported`,
      });
    }
    const frameBytes = Math.ceil(bitsPerFrame / 8);
    const start = index * frameBytes;
    if (start + frameBytes > this.byteLength) {
      throw new KeyholeError('DICOM_DECODE_FAILED', {
        file: this.source,
        message: `frame ${index} needs bytes ${start}..${start + frameBytes} of the pixel data, which holds only ${this.byteLength} bytes (${rows}×${columns}, ${samplesPerPixel} sample(s), ${bitsAllocated} bits allocated)`,
        details: { frame: index },
      });
    }
    return [start, frameBytes];
  }
}

class EncapsulatedPixelData implements EncodedPixelData {
  readonly encapsulated = true;
  readonly littleEndian = true;
  readonly valueType = 'integer';
  /** Fragment index ranges per frame, worked out on first access. */
  private frameFragments: ReadonlyArray<readonly [number, number]> | undefined;

  constructor(
    private readonly source: string,
    private readonly dataSet: DataSet,
    private readonly element: Element,
    private readonly fragments: readonly Fragment[],
    readonly format: PixelFormat,
    private readonly dataset: DicomDataset,
  ) {}

  frame(index: number): Uint8Array {
    checkFrameIndex(this.source, index, this.format);
    this.frameFragments ??= this.locateFrames();
    const range = this.frameFragments[index];
    if (range === undefined) {
      throw new KeyholeError('DICOM_DECODE_FAILED', { file: this.source, message: `frame ${index} has no fragments`, details: { frame: index } });
    }
    const [first, end] = range;
    const bytes = this.dataSet.byteArray;
    if (end - first === 1) {
      const fragment = this.fragments[first] as Fragment;
      return bytes.subarray(fragment.position, fragment.position + fragment.length);
    }
    let total = 0;
    for (let i = first; i < end; i++) total += (this.fragments[i] as Fragment).length;
    const joined = new Uint8Array(total);
    let offset = 0;
    for (let i = first; i < end; i++) {
      const fragment = this.fragments[i] as Fragment;
      joined.set(bytes.subarray(fragment.position, fragment.position + fragment.length), offset);
      offset += fragment.length;
    }
    return joined;
  }

  private locateFrames(): Array<readonly [number, number]> {
    const frames = this.format.numberOfFrames;
    const count = this.fragments.length;
    if (count === 0) {
      throw new KeyholeError('DICOM_DECODE_FAILED', { file: this.source, message: 'the encapsulated pixel data holds no fragments' });
    }
    if (frames === 1) return [[0, count]];
    const extended = this.dataset.numbers(Tag.ExtendedOffsetTable);
    if (extended.length === frames) return this.rangesFromOffsets(extended);
    const basic = this.element.basicOffsetTable ?? [];
    if (basic.length === frames) return this.rangesFromOffsets(basic);
    if (count === frames) return Array.from({ length: frames }, (_, i) => [i, i + 1] as const);
    const starts: number[] = [];
    for (let i = 0; i < count; i++) {
      if (startsCodestream(this.dataSet.byteArray, this.fragments[i] as Fragment)) starts.push(i);
    }
    if (starts.length !== frames) {
      throw new KeyholeError('DICOM_DECODE_FAILED', {
        file: this.source,
        message: `cannot tell which of the ${count} fragments belong to which of the ${frames} frames (no offset table, and ${starts.length} fragments start a codestream)`,
      });
    }
    return starts.map((start, i) => [start, starts[i + 1] ?? count] as const);
  }

  /** Offsets are measured from the first fragment's item tag (PS3.5 §A.4); fragment.offset uses the same origin. */
  private rangesFromOffsets(offsets: readonly number[]): Array<readonly [number, number]> {
    const firstFragmentAt = (offset: number): number => {
      const found = this.fragments.findIndex((fragment) => fragment.offset === offset);
      if (found < 0) {
        throw new KeyholeError('DICOM_DECODE_FAILED', {
          file: this.source,
          message: `the offset table points at byte ${offset}, where no fragment starts`,
        });
      }
      return found;
    };
    const starts = offsets.map(firstFragmentAt);
    return starts.map((start, i) => [start, starts[i + 1] ?? this.fragments.length] as const);
  }
}

function startsCodestream(bytes: Uint8Array, fragment: Fragment): boolean {
  if (fragment.length < 2) return false;
  const b0 = bytes[fragment.position];
  const b1 = bytes[fragment.position + 1];
  return b0 === 0xff && (b1 === 0xd8 || b1 === 0x4f);
}

