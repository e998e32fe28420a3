/**
 * Splits a `multipart/related` body (RFC 2387, as WADO-RS returns instances: PS3.18 §8.6.1.2)
 * into its parts' bodies. Headers of each part are skipped; the boundary comes from the
 * response's Content-Type.
 */
export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export function splitMultipart(body: Uint8Array, boundary: string): Uint8Array[] {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Uint8Array[] = [];
  let at = buffer.indexOf(delimiter);
  while (at >= 0) {
    const afterDelimiter = at + delimiter.length;
    // "--" right after the delimiter closes the body.
    if (buffer[afterDelimiter] === 0x2d && buffer[afterDelimiter + 1] === 0x2d) break;
    const headersEnd = buffer.indexOf('\r\n\r\n', afterDelimiter);
    if (headersEnd < 0) break;
    const next = buffer.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next < 0) break;
    parts.push(new Uint8Array(buffer.subarray(headersEnd + 4, next)));
    at = next + 2;
  }
  return parts;
}
