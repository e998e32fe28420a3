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

interface DcmjsModule {
  data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string | null; includeUntilTagValue?: boolean }): { meta: DcmjsDict; dict: DcmjsDict };
    };
  };
}

const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs') as DcmjsModule;

export function readDcmjsDict(bytes: Uint8Array): { meta: DcmjsDict; dict: DcmjsDict } {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: false });
}
