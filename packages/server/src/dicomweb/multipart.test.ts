import { describe, expect, it } from 'vitest';
import { contentTypeParameters, parseMultipart, parseMultipartStream } from './multipart.ts';

const boundary = 'b0und4ry';
const body = Buffer.from(
  `preamble to ignore\r\n--${boundary}\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n--not-it\r\n--${boundary}\r\nContent-Type: application/dicom\r\nContent-Location: x\r\n\r\n\r\nsecond with \r\n-- inside\r\n--${boundary}\r\n\r\n\r\n--${boundary}--\r\nepilogue`,
);

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(bytes: Buffer, size: number, maxBytes = 1e9) {
  const parts = [];
  for await (const part of parseMultipartStream(chunked(bytes, size), { boundary, maxBytes })) parts.push({ headers: part.headers, body: Buffer.from(part.body).toString('latin1') });
  return parts;
}

describe('multipart/related parsing (RFC 2046 §5.1.1)', () => {
  it('the buffer parser finds each part, its headers, and bodies that contain CRLF and dashes', () => {
    const parts = parseMultipart(body, boundary).map((p) => ({ headers: p.headers, body: Buffer.from(p.body).toString('latin1') }));
    expect(parts).toEqual([
      { headers: { 'content-type': 'application/dicom' }, body: 'first\r\n--not-it' },
      { headers: { 'content-type': 'application/dicom', 'content-location': 'x' }, body: '\r\nsecond with \r\n-- inside' },
      { headers: {}, body: '' },
    ]);
  });

  it('the streaming parser gives the same parts whatever the chunk size (delimiters split across chunks)', async () => {
    const expected = parseMultipart(body, boundary).map((p) => ({ headers: p.headers, body: Buffer.from(p.body).toString('latin1') }));
    for (let size = 1; size <= body.length; size++) expect(await collect(body, size), `chunks of ${size}`).toEqual(expected);
  });

  it('large parts with near-delimiters at every chunk seam come out whole, byte for byte', async () => {
    // Bodies of 200 KB filled with the start of the delimiter ("\r\n--b0und4r") over and over, so
    // that chunk seams fall inside would-be delimiters whatever the chunk size.
    const near = Buffer.from(`\r\n--${boundary.slice(0, -1)}`);
    const part = (n: number): Buffer => Buffer.concat(Array.from({ length: Math.ceil(n / near.length) }, (_, i) => (i % 7 === 3 ? Buffer.from([i & 63]) : near))).subarray(0, n);
    const bodies = [part(200_000), part(131_071), Buffer.alloc(0), part(65_537)];
    const big = Buffer.concat([...bodies.flatMap((b) => [Buffer.from(`\r\n--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), b]), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    for (const size of [7, 13, 1000, 4096, 65_536, 100_003]) {
      const parts: Buffer[] = [];
      for await (const p of parseMultipartStream(chunked(big, size), { boundary, maxBytes: 1e9 })) parts.push(Buffer.from(p.body));
      expect(parts.map((b) => b.length), `chunks of ${size}`).toEqual(bodies.map((b) => b.length));
      parts.forEach((b, i) => expect(b.equals(bodies[i]!), `chunks of ${size}, part ${i + 1}`).toBe(true));
    }
  });

  it('refuses a body cut short, a missing boundary, and a body over the limit', async () => {
    await expect(collect(body.subarray(0, 120), 7)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/cut short/) });
    await expect(collect(Buffer.from('no parts here'), 4)).rejects.toMatchObject({ message: expect.stringMatching(/no part/) });
    await expect(collect(body, 16, 50)).rejects.toMatchObject({ code: 'REQUEST_TOO_LARGE', message: expect.stringMatching(/maxRequestBytes/) });
  });

  it('reads Content-Type parameters, quoted or not', () => {
    expect(contentTypeParameters('multipart/related; type="application/dicom"; boundary="a;b"')).toEqual({ mediaType: 'multipart/related', params: { type: 'application/dicom', boundary: 'a;b' } });
    expect(contentTypeParameters('Multipart/Related;boundary=xyz').params['boundary']).toBe('xyz');
  });
});
