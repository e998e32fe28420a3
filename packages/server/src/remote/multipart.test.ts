import { describe, expect, it } from 'vitest';
import { boundaryOf, splitMultipart } from './multipart.ts';

describe('multipart/related', () => {
  it('reads the boundary (quoted or not) and splits parts byte for byte, including CRLF inside a part', () => {
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary="abc 1"')).toBe('abc 1');
    expect(boundaryOf('multipart/related; boundary=xyz; type=application/dicom')).toBe('xyz');
    const one = new Uint8Array([1, 2, 13, 10, 45, 45, 3]);
    const two = new Uint8Array([9]);
    const body = Buffer.concat([
      Buffer.from('--xyz\r\nContent-Type: application/dicom\r\n\r\n'), one,
      Buffer.from('\r\n--xyz\r\nContent-Type: application/dicom\r\nContent-Length: 1\r\n\r\n'), two,
      Buffer.from('\r\n--xyz--\r\n'),
    ]);
    expect(splitMultipart(body, 'xyz').map((p) => Array.from(p))).toEqual([Array.from(one), Array.from(two)]);
  });
});
