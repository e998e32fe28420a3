/**
 * Deterministic DICOM UIDs for generated data (the phantom): the same key always gives the same
 * UID, so a phantom regenerated from the same seed is the same study, series and instances.
 *
 * Root: `2.25.` followed by the decimal value of a 128-bit UUID (ISO/IEC 9834-8 / ITU-T X.667,
 * the root DICOM PS3.5 §B.2 allows without registering an organisation root). The UUID is a
 * version 8 ("custom", RFC 9562 §5.8) UUID whose 122 free bits come from a non-cryptographic
 * 128-bit hash of the key (cyrb128-style: four 32-bit FNV/murmur-mixed lanes). Collisions are
 * astronomically unlikely for the few thousand keys a phantom study uses; nothing here is secret.
 */

const MAX_UID_LENGTH = 64; // DICOM PS3.5 §9.1

/** Four 32-bit lanes of a 128-bit hash of `key` (UTF-16 code units, which is enough for ASCII keys). */
export function hash128(key: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let n = 0; n < key.length; n++) {
    const c = key.charCodeAt(n);
    h1 = h2 ^ Math.imul(h1 ^ c, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ c, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ c, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ c, 2716044179);
  }
  // Final avalanche so that keys differing in their last character differ everywhere.
  for (let round = 0; round < 2; round++) {
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    h1 ^= h2 ^ h3 ^ h4;
    h2 ^= h1;
    h3 ^= h1;
    h4 ^= h1;
  }
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A `2.25.<decimal UUID>` UID derived from `key`; deterministic, at most 44 characters. */
export function uidFromKey(key: string): string {
  const [a, b, c, d] = hash128(key);
  // RFC 9562 layout: version nibble (bits 48–51) = 8, variant bits (64–65) = 10.
  const lane1 = ((b & 0xffff0fff) | 0x00008000) >>> 0;
  const lane2 = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  const value = (BigInt(a) << 96n) | (BigInt(lane1) << 64n) | (BigInt(lane2) << 32n) | BigInt(d);
  const uid = `2.25.${value.toString(10)}`;
  if (uid.length > MAX_UID_LENGTH) throw new RangeError(`UID ${uid} is longer than ${MAX_UID_LENGTH} characters`);
  return uid;
}

/** Whether `uid` is a syntactically valid DICOM UID (PS3.5 §9.1: digits and dots, no leading zeros, ≤ 64). */
export function isValidUid(uid: string): boolean {
  return uid.length > 0 && uid.length <= MAX_UID_LENGTH && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(uid);
}
