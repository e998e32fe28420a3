/**
 * The slice of dcmjs the store uses: reading a Part 10 file into dcmjs's DICOM-JSON-like dict.
 * dcmjs ships no type declarations and @keyhole/core already declares a (writer-only) ambient
 * module for it, so it is loaded here through `createRequire` and typed locally.
 */
import { createRequire } from 'node:module';

export type DcmjsDict = Record<string, DcmjsElement>;
export interface DcmjsElement {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
}

interface DcmjsReadOptions {
  ignoreErrors?: boolean;
  untilTag?: string | null;
  includeUntilTagValue?: boolean;
  /** Read values as views of the buffer instead of copies. */
  noCopy?: boolean;
}

interface DcmjsModule {
  data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: DcmjsReadOptions): { meta: DcmjsDict; dict: DcmjsDict };
    };
  };
}

const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs') as DcmjsModule;

/** The whole file, pixel data included (values are views of one private copy of the bytes). */
export function readDcmjsDict(bytes: Uint8Array): { meta: DcmjsDict; dict: DcmjsDict } {
  // dcmjs takes an ArrayBuffer: the bytes' own when they fill it, else a copy of the view.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const buffer = whole ? (bytes.buffer as ArrayBuffer) : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  // noCopy: dcmjs would otherwise copy every value again, the pixel data included; nothing keeps
  // the dict beyond the conversion to DICOM JSON, and the binary values it keeps are copied there.
  return dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: false, noCopy: true });
}

/**
 * Everything before the Pixel Data element (7FE0,0010), for files where Pixel Data is the last
 * top-level element: `headerLength` is where that element starts in `bytes`. Only the header
 * (about 1–2 KB of a 512 KB CT slice) is copied and walked; the store's metadata never holds pixel
 * values (they are a BulkDataURI), so reading them was wasted work.
 */
export function readDcmjsHeader(bytes: Uint8Array, headerLength: number): { meta: DcmjsDict; dict: DcmjsDict } {
  const header = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + headerLength) as ArrayBuffer;
  return dcmjs.data.DicomMessage.readFile(header, { ignoreErrors: false, noCopy: true });
}
