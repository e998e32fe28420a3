/**
 * Reading zip archives safely (APPNOTE.TXT, the PKWARE ZIP specification, §4.3):
 * the central directory is read first (end record → entries), every entry's name is checked
 * before anything is inflated, declared sizes are checked against the limits, and inflation
 * (fflate's streaming Inflate, fed in small chunks) stops as soon as an entry produces more than
 * it declared or the archive passes a limit, so a bomb is never inflated into memory.
 *
 * Refused: absolute paths, drive letters and `..` segments (ZIP_UNSAFE_PATH, "zip slip"),
 * encrypted entries and compression methods other than stored (0) and deflate (8) (ZIP_INVALID).
 */
import { Inflate } from 'fflate';
import { KeyholeError } from '@keyhole/core';
import { RATIO_FLOOR_BYTES, type InputLimits } from './input-limits.ts';

export interface ZipEntry {
  /** The name as stored, with forward slashes. */
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

/** Shared across the archives of one readDicomInput call. */
export interface ExpansionBudget {
  totalBytes: number;
}

/** Compressed bytes fed to the inflater per push: one push yields at most about 1 MiB (deflate tops out near 1,030:1). */
const INFLATE_CHUNK = 1024;

const SIGNATURE_END = 0x06054b50;
const SIGNATURE_ZIP64_END = 0x06064b50;
const SIGNATURE_ZIP64_LOCATOR = 0x07064b50;
const SIGNATURE_CENTRAL = 0x02014b50;
const SIGNATURE_LOCAL = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

/** Reads the central directory. Throws ZIP_INVALID, or ZIP_EXPANSION_LIMIT when there are too many entries. */
export function listZipEntries(bytes: Uint8Array, source: string, limits: InputLimits): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const invalid = (message: string): never => {
    throw new KeyholeError('ZIP_INVALID', { file: source, message });
  };
  // The end record is within the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === SIGNATURE_END) {
      end = i;
      break;
    }
  }
  if (end < 0) invalid('no end of central directory record: the archive is damaged or not a zip file');
  let count = view.getUint16(end + 10, true);
  let directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    // ZIP64 (APPNOTE §4.3.14–4.3.15): the locator sits just before the end record.
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== SIGNATURE_ZIP64_LOCATOR) invalid('ZIP64 end locator missing');
    const zip64End = Number(view.getBigUint64(locator + 8, true));
    if (zip64End + 56 > bytes.length || view.getUint32(zip64End, true) !== SIGNATURE_ZIP64_END) invalid('ZIP64 end record missing');
    count = Number(view.getBigUint64(zip64End + 32, true));
    directoryOffset = Number(view.getBigUint64(zip64End + 48, true));
  }
  if (count > limits.maxEntries) {
    throw new KeyholeError('ZIP_EXPANSION_LIMIT', { file: source, message: `the archive lists ${count} entries, more than the limit of ${limits.maxEntries}`, details: { entries: count, limit: limits.maxEntries } });
  }
  const entries: ZipEntry[] = [];
  let position = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (position + 46 > bytes.length || view.getUint32(position, true) !== SIGNATURE_CENTRAL) invalid(`central directory entry ${i} is damaged`);
    const flags = view.getUint16(position + 8, true);
    const method = view.getUint16(position + 10, true);
    let compressedSize = view.getUint32(position + 20, true);
    let uncompressedSize = view.getUint32(position + 24, true);
    const nameLength = view.getUint16(position + 28, true);
    const extraLength = view.getUint16(position + 30, true);
    const commentLength = view.getUint16(position + 32, true);
    let localHeaderOffset = view.getUint32(position + 42, true);
    const name = decodeName(bytes.subarray(position + 46, position + 46 + nameLength), (flags & 0x800) !== 0);
    // ZIP64 extended information extra field (id 0x0001): 64-bit values for fields that read 0xFFFFFFFF.
    let extra = position + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const size = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = (): number => {
          const value = Number(view.getBigUint64(field, true));
          field += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      extra += 4 + size;
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    position = extraEnd + commentLength;
  }
  return entries;
}

/** UTF-8 when flagged (APPNOTE Appendix D), else CP437, read here as Latin-1 (ASCII names are the same). */
function decodeName(bytes: Uint8Array, utf8: boolean): string {
  return Buffer.from(bytes).toString(utf8 ? 'utf8' : 'latin1').replace(/\\/g, '/');
}

/** Why an entry name is unsafe to use as a path, or undefined when it is safe. */
export function unsafePathReason(name: string): string | undefined {
  if (name.startsWith('/')) return 'it is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'it starts with a drive letter';
  if (name.split('/').some((segment) => segment === '..')) return 'it contains a ".." segment that leaves the archive folder';
  if (name.includes('\0')) return 'it contains a NUL character';
  return undefined;
}

export interface ExtractOptions {
  readonly bytes: Uint8Array;
  readonly entry: ZipEntry;
  /** `archive.zip!/entry`, for messages. */
  readonly source: string;
  readonly limits: InputLimits;
  readonly budget: ExpansionBudget;
  /** Uncompressed bytes this archive has produced so far, and its size, for the ratio. */
  readonly archiveProduced: number;
  readonly archiveSize: number;
}

/** The entry's uncompressed bytes. Throws ZIP_EXPANSION_LIMIT, ZIP_INVALID. Adds what it produced to the budget. */
export function extractZipEntry(options: ExtractOptions): Uint8Array {
  const { bytes, entry, source, limits, budget } = options;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const invalid = (message: string): never => {
    throw new KeyholeError('ZIP_INVALID', { file: source, message });
  };
  if ((entry.flags & 0x1) !== 0) invalid('the entry is encrypted');
  if (entry.method !== 0 && entry.method !== 8) invalid(`compression method ${entry.method} is not supported (stored and deflate are)`);
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.length || view.getUint32(local, true) !== SIGNATURE_LOCAL) invalid('the local file header is missing or damaged');
  const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > bytes.length) invalid(`the entry's data runs past the end of the archive (${dataEnd} > ${bytes.length} bytes)`);

  const limitError = (what: string, details: Record<string, unknown>): KeyholeError =>
    new KeyholeError('ZIP_EXPANSION_LIMIT', { file: source, message: what, details });
  const check = (produced: number): void => {
    if (produced > entry.uncompressedSize) {
      throw limitError(`the entry inflates to more than the ${entry.uncompressedSize} bytes it declares; reading stopped`, { declared: entry.uncompressedSize });
    }
    if (budget.totalBytes + produced > limits.maxTotalBytes) {
      throw limitError(`the archives expand beyond the limit of ${limits.maxTotalBytes} bytes in total; reading stopped`, { limit: limits.maxTotalBytes });
    }
    const archiveTotal = options.archiveProduced + produced;
    if (archiveTotal > RATIO_FLOOR_BYTES && archiveTotal > options.archiveSize * limits.maxExpansionRatio) {
      throw limitError(`the archive expands more than ${limits.maxExpansionRatio}:1 (${archiveTotal} bytes from ${options.archiveSize}); reading stopped`, { ratioLimit: limits.maxExpansionRatio });
    }
  };
  // Declared sizes first: refuse without inflating anything.
  check(entry.uncompressedSize);

  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) invalid('a stored entry whose compressed and uncompressed sizes differ');
    budget.totalBytes += entry.uncompressedSize;
    return bytes.subarray(dataStart, dataEnd);
  }
  const output = new Uint8Array(entry.uncompressedSize);
  let produced = 0;
  let failure: KeyholeError | undefined;
  const inflater = new Inflate((chunk) => {
    if (failure !== undefined) return;
    if (produced + chunk.length > entry.uncompressedSize) {
      failure = limitError(`the entry inflates to more than the ${entry.uncompressedSize} bytes it declares; reading stopped`, { declared: entry.uncompressedSize });
      return;
    }
    output.set(chunk, produced);
    produced += chunk.length;
  });
  try {
    for (let at = dataStart; at < dataEnd && failure === undefined; at += INFLATE_CHUNK) {
      const next = Math.min(dataEnd, at + INFLATE_CHUNK);
      inflater.push(bytes.subarray(at, next), next === dataEnd);
    }
  } catch (cause) {
    throw new KeyholeError('ZIP_INVALID', { file: source, message: `the entry cannot be inflated: ${cause instanceof Error ? cause.message : String(cause)}`, cause });
  }
  if (failure !== undefined) throw failure;
  if (produced !== entry.uncompressedSize) invalid(`the entry inflates to ${produced} bytes but declares ${entry.uncompressedSize}`);
  budget.totalBytes += produced;
  return output;
}
