/**
 * Deterministic UIDs for instances whose identifying UIDs are missing.
 *
 * PS3.5 §B.2 ("UUID Derived UID"): a UID may be formed as "2.25." followed by the decimal form of
 * a UUID (ISO/IEC 9834-8 / RFC 4122), without a registered root. The UUID here is name-based
 * (RFC 4122 §4.3, version 5: SHA-1 of a namespace UUID and a name, version and variant bits set),
 * so the same name always gives the same UID: re-importing the same files gives the same
 * identifiers, and the archive sees them as duplicates instead of filing a second copy.
 *
 * 128 bits in decimal are at most 39 digits, so every UID is at most 44 characters (≤ 64, PS3.5 §9.1).
 */
import { createHash } from 'node:crypto';

/** Keyhole's namespace for name-based UUIDs (a fixed random UUID; changing it would change every derived UID). */
const KEYHOLE_NAMESPACE = Buffer.from('5d0f3e8a6c2b4f1e9a7d2c4b8e6f1a3d', 'hex');

/** The RFC 4122 version 5 UUID of `name` in Keyhole's namespace, as 16 bytes. */
export function nameBasedUuid(name: string): Buffer {
  const digest = createHash('sha1').update(KEYHOLE_NAMESPACE).update(name, 'utf8').digest();
  const uuid = Buffer.from(digest.subarray(0, 16));
  uuid[6] = (uuid[6]! & 0x0f) | 0x50; // version 5 (RFC 4122 §4.1.3)
  uuid[8] = (uuid[8]! & 0x3f) | 0x80; // variant 10x (RFC 4122 §4.1.1)
  return uuid;
}

/**
 * "2.25." + the UUID of `parts` as an unsigned decimal integer (PS3.5 §B.2). The parts are joined
 * with a separator no DICOM string value holds (U+0000), so ["a", "bc"] and ["ab", "c"] differ.
 */
export function derivedUid(kind: string, parts: readonly string[]): string {
  const uuid = nameBasedUuid([kind, ...parts].join('\u0000'));
  return `2.25.${BigInt(`0x${uuid.toString('hex')}`).toString(10)}`;
}

/** A short stable hexadecimal digest (for Patient IDs: "KEYHOLE-" + 16 hex digits). */
export function shortDigest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex').slice(0, 16).toUpperCase();
}

/** SHA-256 of bytes, hex (the name of an instance: its exact content). */
export function bytesDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
