import { KeyholeError } from '@keyhole/core';

/**
 * A minimal streaming zip writer (PKWARE APPNOTE 6.3.10 §4.3), "stored" method: DICOM pixel data
 * rarely deflates much and compressed transfer syntaxes not at all, so we spend no CPU on it.
 * Each entry's bytes are known when it is added, so CRC and sizes go in the local header (no data
 * descriptor). Names are UTF-8 (general purpose flag bit 11). No ZIP64: over 65,535 entries or
 * 4 GiB the writer refuses with a clear error rather than writing a broken archive.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

interface CentralEntry {
  readonly name: Uint8Array;
  readonly crc: number;
  readonly size: number;
  readonly offset: number;
}

const LIMIT = 0xffffffff;

export class ZipWriter {
  private readonly entries: CentralEntry[] = [];
  private offset = 0;
  private readonly dosTime: number;
  private readonly dosDate: number;

  constructor(now = new Date()) {
    this.dosTime = (now.getHours() << 11) | (now.getMinutes() << 5) | Math.floor(now.getSeconds() / 2);
    this.dosDate = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
  }

  /** The local header and data of one entry, to be written to the stream in order. */
  entry(name: string, data: Uint8Array): Uint8Array[] {
    const encoded = new TextEncoder().encode(name);
    if (this.entries.length >= 0xffff || this.offset + 30 + encoded.length + data.length > LIMIT) {
      throw new KeyholeError('REQUEST_TOO_LARGE', { message: 'the export exceeds 65,535 files or 4 GiB (zip without ZIP64); export the series separately' });
    }
    const crc = crc32(data);
    const header = new Uint8Array(30 + encoded.length);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, 20, true); // version needed: 2.0
    view.setUint16(6, 0x0800, true); // UTF-8 names
    view.setUint16(8, 0, true); // stored
    view.setUint16(10, this.dosTime, true);
    view.setUint16(12, this.dosDate, true);
    view.setUint32(14, crc, true);
    view.setUint32(18, data.length, true);
    view.setUint32(22, data.length, true);
    view.setUint16(26, encoded.length, true);
    view.setUint16(28, 0, true);
    header.set(encoded, 30);
    this.entries.push({ name: encoded, crc, size: data.length, offset: this.offset });
    this.offset += header.length + data.length;
    return [header, data];
  }

  /** Central directory and end record: the archive's last bytes. */
  finish(): Uint8Array {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const e of this.entries) {
      const record = new Uint8Array(46 + e.name.length);
      const view = new DataView(record.buffer);
      view.setUint32(0, 0x02014b50, true);
      view.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
      view.setUint16(6, 20, true);
      view.setUint16(8, 0x0800, true);
      view.setUint16(10, 0, true);
      view.setUint16(12, this.dosTime, true);
      view.setUint16(14, this.dosDate, true);
      view.setUint32(16, e.crc, true);
      view.setUint32(20, e.size, true);
      view.setUint32(24, e.size, true);
      view.setUint16(28, e.name.length, true);
      view.setUint32(42, e.offset, true);
      record.set(e.name, 46);
      parts.push(record);
      size += record.length;
    }
    if (this.offset + size > LIMIT) throw new KeyholeError('REQUEST_TOO_LARGE', { message: 'the export exceeds 4 GiB (zip without ZIP64)' });
    const end = new Uint8Array(22);
    const view = new DataView(end.buffer);
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, this.entries.length, true);
    view.setUint16(10, this.entries.length, true);
    view.setUint32(12, size, true);
    view.setUint32(16, this.offset, true);
    const out = new Uint8Array(size + 22);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    out.set(end, at);
    return out;
  }
}
