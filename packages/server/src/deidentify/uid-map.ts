import { createHash, randomBytes } from 'node:crypto';

/**
 * Replacement UIDs for one export (action U of PS3.15 Table E.1-1): the same original UID always
 * maps to the same new UID within the export, so references between instances (series, frame of
 * reference, referenced images) stay consistent; a fresh random salt per export keeps two exports
 * of the same study unlinkable. New UIDs use the 2.25 root (PS3.5 §B.2: a 128-bit number as a
 * decimal integer), here the first 128 bits of SHA-256(salt ‖ original).
 */
export class UidMap {
  private readonly mapped = new Map<string, string>();

  constructor(private readonly salt: Uint8Array = randomBytes(32)) {}

  map(original: string): string {
    const trimmed = original.replace(/\0+$/, '').trim();
    if (trimmed === '') return trimmed;
    let replacement = this.mapped.get(trimmed);
    if (replacement === undefined) {
      const digest = createHash('sha256').update(this.salt).update(trimmed).digest('hex').slice(0, 32);
      replacement = `2.25.${BigInt(`0x${digest}`).toString()}`;
      this.mapped.set(trimmed, replacement);
    }
    return replacement;
  }

  /** Every pair mapped so far (tests; never written to the export). */
  entries(): ReadonlyMap<string, string> {
    return this.mapped;
  }
}
