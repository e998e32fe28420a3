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

export interface MultipartStreamOptions {
  readonly boundary: string;
  /** Most bytes the whole body may have; past it, REQUEST_TOO_LARGE (maxRequestBytes). */
  readonly maxBytes: number;
  /**
   * Where a completed part's body is assembled (default: a new Buffer). STOW-RS passes the check
   * pool's allocator, whose shared memory reaches the worker threads without another copy.
   */
  readonly allocate?: (size: number) => Uint8Array;
}

/**
 * Streaming multipart parser (RFC 2046 §5.1.1): yields each part as soon as its closing delimiter
 * has arrived, so a consumer can store it and let it go before the next one comes. Only the part
 * being received is held in memory, plus a tail of delimiter length for delimiters split across chunks.
 *
 * A part's body is kept as views of the chunks it arrived in and copied once, into one buffer,
 * when it is complete: a 512 KB slice costs one copy instead of three (profiled: the copies and
 * the garbage collection they caused were the largest cost of STOW-RS after the checks). The
 * buffer comes from `allocate`, so that it can be shared memory for worker threads.
 */
export async function* parseMultipartStream(body: AsyncIterable<Uint8Array>, options: MultipartStreamOptions): AsyncGenerator<MultipartPart> {
  const { boundary, maxBytes } = options;
  if (boundary === '' || boundary.length > 70) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'headers.content-type', message: 'the multipart boundary is missing or longer than 70 characters (RFC 2046 §5.1.1)' });
  }
  const allocate = options.allocate ?? ((size: number): Uint8Array => Buffer.allocUnsafe(size));
  // A CRLF in front makes the first delimiter look like every other one ("\r\n--boundary").
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const body_ = new PartBody(delimiter);
  // Bytes not yet consumed by the preamble, delimiter and header phases.
  let pending: Buffer = Buffer.from('\r\n');
  let phase: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' = 'preamble';
  let headers: Record<string, string> = {};
  let received = 0;
  let index = 0;
  const fail = (message: string): never => {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'body', message });
  };
  for await (const chunk of body) {
    received += chunk.length;
    if (received > maxBytes) throw new KeyholeError('REQUEST_TOO_LARGE', { message: `the request body is larger than the configured limit of ${maxBytes} bytes (maxRequestBytes)`, details: { limit: maxBytes } });
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    for (;;) {
      if (phase === 'done') break;
      if (phase === 'body') {
        const rest = body_.feed(pending);
        if (rest === undefined) {
          pending = EMPTY;
          break;
        }
        pending = rest;
        const partBody = body_.take(allocate);
        index++;
        phase = 'after-delimiter';
        yield { headers, body: partBody };
        continue;
      }
      if (phase === 'preamble') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          pending = pending.subarray(Math.max(0, pending.length - delimiter.length + 1));
          break;
        }
        pending = pending.subarray(at + delimiter.length);
        phase = 'after-delimiter';
        continue;
      }
      if (phase === 'after-delimiter') {
        if (pending.length < 2) break;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          phase = 'done';
          break;
        }
        const lineEnd = pending.indexOf('\r\n');
        if (lineEnd < 0) break;
        pending = pending.subarray(lineEnd + 2);
        phase = 'headers';
        headers = {};
        continue;
      }
      // phase === 'headers'
      if (pending.length >= 2 && pending[0] === 0x0d && pending[1] === 0x0a) {
        pending = pending.subarray(2);
        phase = 'body';
        continue;
      }
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) {
        if (pending.length > 16 * 1024) fail(`part ${index + 1} has more than 16 KiB of headers`);
        break;
      }
      for (const line of pending.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      pending = pending.subarray(end + 4);
      phase = 'body';
    }
  }
  if (phase !== 'done') fail(phase === 'preamble' ? `the body holds no part delimited by the boundary "${boundary}"` : `the body ends inside part ${index + 1}: the request was cut short or its closing boundary is missing`);
}

const EMPTY = Buffer.alloc(0);

/**
 * The body of the part being received: the pieces known to be body (views of the chunks), and a
 * copied tail of up to delimiter length − 1 bytes that may be the start of the closing delimiter.
 */
class PartBody {
  private pieces: Buffer[] = [];
  private tail: Buffer = EMPTY;

  constructor(private readonly delimiter: Buffer) {}

  /** Takes in the next bytes; returns what follows the closing delimiter once it is found, else undefined. */
  feed(data: Buffer): Buffer | undefined {
    const { delimiter } = this;
    const keep = delimiter.length - 1;
    const tail = this.tail;
    if (tail.length > 0) {
      // A delimiter that starts in the tail and ends in the new bytes.
      const seam = Buffer.concat([tail, data.subarray(0, keep)]);
      const at = seam.indexOf(delimiter);
      if (at >= 0 && at < tail.length) {
        this.pieces.push(tail.subarray(0, at));
        this.tail = EMPTY;
        return data.subarray(at + delimiter.length - tail.length);
      }
    }
    const at = data.indexOf(delimiter);
    if (at >= 0) {
      if (tail.length > 0) this.pieces.push(tail);
      this.pieces.push(data.subarray(0, at));
      this.tail = EMPTY;
      return data.subarray(at + delimiter.length);
    }
    const merged = data.length >= keep ? undefined : Buffer.concat([tail, data]);
    if (merged !== undefined) {
      if (merged.length > keep) this.pieces.push(merged.subarray(0, merged.length - keep));
      this.tail = merged.length > keep ? merged.subarray(merged.length - keep) : merged;
      return undefined;
    }
    if (tail.length > 0) this.pieces.push(tail);
    this.pieces.push(data.subarray(0, data.length - keep));
    // Copied: a small tail must not keep the whole chunk it came from alive.
    this.tail = Buffer.from(data.subarray(data.length - keep));
    return undefined;
  }

  /** The completed body, copied into one buffer from `allocate`; resets for the next part. */
  take(allocate: (size: number) => Uint8Array): Uint8Array {
    const pieces = this.pieces;
    this.pieces = [];
    const out = allocate(pieces.reduce((sum, piece) => sum + piece.length, 0));
    let at = 0;
    for (const piece of pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}
