/** Helpers for the DICOMweb tests: multipart/related request bodies and parsing multipart answers. */
import { randomBytes } from 'node:crypto';
import { contentTypeParameters, parseMultipart, type MultipartPart } from './multipart.ts';

export function stowBody(files: ReadonlyArray<{ bytes: Uint8Array }>): { body: Buffer; contentType: string } {
  const boundary = `test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(file.bytes), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

export function multipartParts(contentType: string, body: Buffer): MultipartPart[] {
  const { params } = contentTypeParameters(contentType);
  return parseMultipart(body, params['boundary'] ?? '');
}
