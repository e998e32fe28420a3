/**
 * The transfer syntaxes Keyhole knows by name (PS3.6 Annex A, PS3.5 §10 and Annex A).
 * Knowing a syntax here does not mean Keyhole can decode it: encapsulated syntaxes need a
 * FrameCodec from the caller's registry (see dicom/pixels/frame-codec.ts).
 */

export interface TransferSyntaxInfo {
  readonly uid: string;
  readonly name: string;
  /** Pixel data stored as fragments (PS3.5 §A.4) rather than as one native value. */
  readonly encapsulated: boolean;
  /** Byte order of the data set and of native pixel data. */
  readonly littleEndian: boolean;
  readonly explicitVr: boolean;
}

export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  EncapsulatedUncompressedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.98',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  JPEGBaseline8Bit: '1.2.840.10008.1.2.4.50',
  JPEGExtended12Bit: '1.2.840.10008.1.2.4.51',
  JPEGLossless: '1.2.840.10008.1.2.4.57',
  JPEGLosslessSV1: '1.2.840.10008.1.2.4.70',
  JPEGLSLossless: '1.2.840.10008.1.2.4.80',
  JPEGLSNearLossless: '1.2.840.10008.1.2.4.81',
  JPEG2000Lossless: '1.2.840.10008.1.2.4.90',
  JPEG2000: '1.2.840.10008.1.2.4.91',
  JPEG2000MCLossless: '1.2.840.10008.1.2.4.92',
  JPEG2000MC: '1.2.840.10008.1.2.4.93',
  MPEG2MPML: '1.2.840.10008.1.2.4.100',
  MPEG2MPHL: '1.2.840.10008.1.2.4.101',
  MPEG4HP41: '1.2.840.10008.1.2.4.102',
  MPEG4HP41BD: '1.2.840.10008.1.2.4.103',
  HEVCMP51: '1.2.840.10008.1.2.4.107',
  JPEGXLLossless: '1.2.840.10008.1.2.4.110',
  JPEGXL: '1.2.840.10008.1.2.4.112',
  HTJ2KLossless: '1.2.840.10008.1.2.4.201',
  HTJ2KLosslessRPCL: '1.2.840.10008.1.2.4.202',
  HTJ2K: '1.2.840.10008.1.2.4.203',
  RLELossless: '1.2.840.10008.1.2.5',
} as const;

const NAMES: Readonly<Record<string, string>> = {
  [TransferSyntax.ImplicitVRLittleEndian]: 'Implicit VR Little Endian',
  [TransferSyntax.ExplicitVRLittleEndian]: 'Explicit VR Little Endian',
  [TransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian]: 'Encapsulated Uncompressed Explicit VR Little Endian',
  [TransferSyntax.DeflatedExplicitVRLittleEndian]: 'Deflated Explicit VR Little Endian',
  [TransferSyntax.ExplicitVRBigEndian]: 'Explicit VR Big Endian',
  [TransferSyntax.JPEGBaseline8Bit]: 'JPEG Baseline (Process 1)',
  [TransferSyntax.JPEGExtended12Bit]: 'JPEG Extended (Process 2 & 4)',
  [TransferSyntax.JPEGLossless]: 'JPEG Lossless, Non-Hierarchical (Process 14)',
  [TransferSyntax.JPEGLosslessSV1]: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, SV1)',
  [TransferSyntax.JPEGLSLossless]: 'JPEG-LS Lossless',
  [TransferSyntax.JPEGLSNearLossless]: 'JPEG-LS Lossy (Near-Lossless)',
  [TransferSyntax.JPEG2000Lossless]: 'JPEG 2000 (Lossless Only)',
  [TransferSyntax.JPEG2000]: 'JPEG 2000',
  [TransferSyntax.JPEG2000MCLossless]: 'JPEG 2000 Part 2 Multi-component (Lossless Only)',
  [TransferSyntax.JPEG2000MC]: 'JPEG 2000 Part 2 Multi-component',
  [TransferSyntax.MPEG2MPML]: 'MPEG2 Main Profile / Main Level',
  [TransferSyntax.MPEG2MPHL]: 'MPEG2 Main Profile / High Level',
  [TransferSyntax.MPEG4HP41]: 'MPEG-4 AVC/H.264 High Profile / Level 4.1',
  [TransferSyntax.MPEG4HP41BD]: 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1',
  [TransferSyntax.HEVCMP51]: 'HEVC/H.265 Main Profile / Level 5.1',
  [TransferSyntax.JPEGXLLossless]: 'JPEG XL Lossless',
  [TransferSyntax.JPEGXL]: 'JPEG XL',
  [TransferSyntax.HTJ2KLossless]: 'High-Throughput JPEG 2000 (Lossless Only)',
  [TransferSyntax.HTJ2KLosslessRPCL]: 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)',
  [TransferSyntax.HTJ2K]: 'High-Throughput JPEG 2000',
  [TransferSyntax.RLELossless]: 'RLE Lossless',
};

/** The syntaxes whose pixel data is native (not encapsulated). */
const NATIVE: ReadonlySet<string> = new Set([
  TransferSyntax.ImplicitVRLittleEndian,
  TransferSyntax.ExplicitVRLittleEndian,
  TransferSyntax.DeflatedExplicitVRLittleEndian,
  TransferSyntax.ExplicitVRBigEndian,
]);

/** Facts about a transfer syntax; unknown UIDs are treated as encapsulated explicit LE (PS3.5 §10: every other syntax is). */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo {
  return {
    uid,
    name: NAMES[uid] ?? 'unknown transfer syntax',
    encapsulated: !NATIVE.has(uid),
    littleEndian: uid !== TransferSyntax.ExplicitVRBigEndian,
    explicitVr: uid !== TransferSyntax.ImplicitVRLittleEndian,
  };
}

/** `1.2.840.10008.1.2.4.50 (JPEG Baseline (Process 1))`, for messages. */
export function describeTransferSyntax(uid: string): string {
  return `${uid} (${transferSyntaxInfo(uid).name})`;
}
