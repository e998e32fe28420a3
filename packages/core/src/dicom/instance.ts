/**
 * The contract between DICOM parsing (dicom/parse), pixel decoding (dicom/pixels) and series
 * assembly (dicom/series). Parsing yields DicomInstance objects; nothing here touches files.
 */

/** A tag as dicom-parser spells it: `x` + group + element, lower-case hex, e.g. `x00200032`. */
export type DicomTag = string;

/** Read access to one data set (a file's, or a sequence item's). Values are already decoded from the transfer syntax's byte order. */
export interface DicomDataset {
  has(tag: DicomTag): boolean;
  /** First value of a string element, trimmed; undefined when absent or empty. */
  string(tag: DicomTag): string | undefined;
  /** All values of a (backslash-separated) string element, trimmed. */
  strings(tag: DicomTag): string[];
  /** First value of a numeric element: DS, IS (parsed) or US, SS, UL, SL, FL, FD (binary). */
  number(tag: DicomTag): number | undefined;
  /** All values of a numeric element. */
  numbers(tag: DicomTag): number[];
  /** Items of a sequence (SQ) element; empty when absent. */
  sequence(tag: DicomTag): DicomDataset[];
  /** Raw value bytes (OB/OW/UN and others), a view without copying. */
  bytes(tag: DicomTag): Uint8Array | undefined;
}

/** How the stored pixels are laid out, from the Image Pixel module. */
export interface PixelFormat {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly highBit: number;
  /** 0 unsigned, 1 two's complement. */
  readonly pixelRepresentation: 0 | 1;
  readonly photometricInterpretation: string;
  /** 0 colour-by-pixel, 1 colour-by-plane. */
  readonly planarConfiguration: 0 | 1;
  readonly numberOfFrames: number;
}

export interface EncodedPixelData {
  readonly format: PixelFormat;
  /** True for encapsulated (compressed) transfer syntaxes. */
  readonly encapsulated: boolean;
  /** The bytes of one frame as stored: native pixels, or one compressed frame (fragments joined). */
  frame(index: number): Uint8Array;
  /**
   * Native pixel data only: copies frame `index`'s bytes into `target` (exactly the frame's byte
   * length). Lets a loader put the bytes straight where the volume's plane lives and convert them
   * in place, instead of reading them into a buffer of their own first (load-frame.ts).
   */
  readFrameInto?(index: number, target: Uint8Array): void;
  /** Byte order of native samples in `frame()` (false only for Explicit VR Big Endian); absent means little endian. */
  readonly littleEndian?: boolean;
  /** Integer Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009); absent means integer. */
  readonly valueType?: 'integer' | 'float32' | 'float64';
}

export interface DicomInstance {
  /** Where it came from (file path, archive entry), used in every error message. */
  readonly source: string;
  readonly transferSyntaxUid: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly dataset: DicomDataset;
  /** Undefined when the instance holds no image (reports, presentation states). */
  readonly pixelData: EncodedPixelData | undefined;
}
