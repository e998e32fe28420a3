/**
 * The DICOM JSON metadata of an instance being stored (instance.metadata_json), from its bytes and
 * the instance @keyhole/core has already parsed.
 *
 * When Pixel Data (7FE0,0010) is the last element of the file (nearly every image), only the
 * header before it goes through dcmjs, and Pixel Data is added as the BulkDataURI that toDicomJson
 * would have made of it: the same metadata, without walking and copying the pixel values
 * (a 512×512 CT slice: about 1.5 KB of header, 512 KB of pixels). Anything else (elements after
 * the pixel data, float pixel data, no pixel data) takes the whole-file path.
 */
import { Tag, type DicomInstance } from '@keyhole/core';
import { readDcmjsDict, readDcmjsHeader } from './dcmjs-reader.ts';
import { toDicomJson, type DicomJsonDataset } from './dicom-json.ts';

const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const PIXEL_DATA = '7FE00010';

export function instanceMetadata(bytes: Uint8Array, instance: DicomInstance, instanceUri: string): DicomJsonDataset {
  const header = pixelDataAtEnd(bytes, instance);
  if (header === undefined) return toDicomJson({ dict: readDcmjsDict(bytes).dict, instanceUri });
  const metadata = toDicomJson({ dict: readDcmjsHeader(bytes, header.elementOffset).dict, instanceUri });
  metadata[PIXEL_DATA] = { vr: header.vr, BulkDataURI: `${instanceUri}/bulk/${PIXEL_DATA}` };
  return metadata;
}

/**
 * Where the Pixel Data element starts and its VR, when its value runs to the end of the file;
 * undefined otherwise. The element header is 12 bytes in explicit VR (tag, VR, 2 reserved bytes,
 * 32-bit length: PS3.5 §7.1.2, Table 7.1-1, for OB and OW) and 8 in implicit VR, where Pixel Data
 * is OW (PS3.5 §A.1).
 */
export function pixelDataAtEnd(bytes: Uint8Array, instance: DicomInstance): { elementOffset: number; vr: 'OB' | 'OW' } | undefined {
  const value = instance.dataset.bytes(Tag.PixelData);
  if (value === undefined || value.byteLength === 0 || value.buffer !== bytes.buffer) return undefined;
  const valueOffset = value.byteOffset - bytes.byteOffset;
  if (valueOffset + value.byteLength !== bytes.byteLength) return undefined;
  const implicit = instance.transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN;
  const elementOffset = valueOffset - (implicit ? 8 : 12);
  if (elementOffset < 132) return undefined;
  // The tag itself must be there (group 7FE0, element 0010, little endian): otherwise not the layout assumed.
  if (bytes[elementOffset] !== 0xe0 || bytes[elementOffset + 1] !== 0x7f || bytes[elementOffset + 2] !== 0x10 || bytes[elementOffset + 3] !== 0x00) return undefined;
  if (implicit) return { elementOffset, vr: 'OW' };
  const vr = String.fromCharCode(bytes[elementOffset + 4] ?? 0, bytes[elementOffset + 5] ?? 0);
  return vr === 'OB' || vr === 'OW' ? { elementOffset, vr } : undefined;
}
