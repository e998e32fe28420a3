/**
 * multipart/related (RFC 2387) bodies for DICOMweb (PS3.18 §8.6.1.2): parsing STOW-RS requests
 * and writing WADO-RS responses.
 *
 * Parsing works on the request body that Fastify has already bounded by `maxRequestBytes`; parts
 * are views into that buffer (no copy). Writing streams one part at a time, so a study is never
 * held in memory whole.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { KeyholeError } from '@keyhole/core';

export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Parameters of a Content-Type header value, lower-cased names, unquoted values. */
export function contentTypeParameters(header: string): { mediaType: string; params: Record<string, string> } {
  const [mediaType = '', ...rest] = splitOutsideQuotes(header, ';');
  const params: Record<string, string> = {};
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const name = item.slice(0, eq).trim().toLowerCase();
    let value = item.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    params[name] = value;
  }
  return { mediaType: mediaType.trim().toLowerCase(), params };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** Splits a multipart body into its parts (RFC 2046 §5.1.1). */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  if (boundary === '' || boundary.length > 70) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'headers.content-type', message: 'the multipart boundary is missing or longer than 70 characters (RFC 2046 §5.1.1)' });
  }
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = buffer.indexOf(delimiter);
  if (position < 0) throw new KeyholeError('VALIDATION_FAILED', { path: 'body', message: `the body holds no part delimited by the boundary "${boundary}"` });
  for (;;) {
    let cursor = position + delimiter.length;
    // "--" after the delimiter closes the body.
    if (buffer[cursor] === 0x2d && buffer[cursor + 1] === 0x2d) break;
    // Skip transport padding up to the CRLF that ends the delimiter line.
    const lineEnd = buffer.indexOf('\r\n', cursor);
    if (lineEnd < 0) throw new KeyholeError('VALIDATION_FAILED', { path: 'body', message: 'the multipart body ends inside a delimiter line' });
    cursor = lineEnd + 2;
    const headerEnd = buffer.indexOf('\r\n\r\n', cursor);
    const emptyHeaders = buffer[cursor] === 0x0d && buffer[cursor + 1] === 0x0a;
    const bodyStart = emptyHeaders ? cursor + 2 : headerEnd + 4;
    if (!emptyHeaders && headerEnd < 0) throw new KeyholeError('VALIDATION_FAILED', { path: 'body', message: `part ${parts.length + 1} has no end of headers` });
    const headers: Record<string, string> = {};
    if (!emptyHeaders) {
      for (const line of buffer.subarray(cursor, headerEnd).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    const next = buffer.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), bodyStart);
    if (next < 0) throw new KeyholeError('VALIDATION_FAILED', { path: 'body', message: `part ${parts.length + 1} is not closed by the boundary (the request was cut short?)` });
    parts.push({ headers, body: new Uint8Array(buffer.buffer, buffer.byteOffset + bodyStart, next - bodyStart) });
    position = next + 2;
  }
  return parts;
}

export interface MultipartWriter {
  readonly contentType: string;
  readonly stream: Readable;
}

/**
 * A multipart/related response whose parts are produced one at a time (`parts` is async, so a
 * retrieve reads one file, sends it, then reads the next).
 */
export function multipartResponse(type: string, parts: AsyncIterable<{ body: Uint8Array; headers?: Record<string, string> }>, extra = ''): MultipartWriter {
  const boundary = `keyhole-${randomBytes(12).toString('hex')}`;
  async function* generate(): AsyncGenerator<Buffer> {
    for await (const part of parts) {
      const headers = { 'Content-Type': type, ...(part.headers ?? {}) };
      const head = `--${boundary}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
      yield Buffer.from(head, 'latin1');
      yield Buffer.from(part.body.buffer, part.body.byteOffset, part.body.byteLength);
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { contentType: `multipart/related; type="${type}"; boundary=${boundary}${extra}`, stream: Readable.from(generate()) };
}
