import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { KeyholeError } from '@keyhole/core';

/**
 * Password hashing with argon2id. Parameters follow the OWASP Password Storage Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html, "Argon2id"):
 * "a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1 degree of parallelism".
 * The PHC string stores the parameters and salt, so raising them later still verifies old hashes.
 * Passwords are never logged: they only pass through these two functions.
 */
export const ARGON2ID_PARAMETERS = {
  // Algorithm is a `const enum` in @node-rs/argon2, unusable under isolatedModules: 2 = Argon2id.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456, // KiB = 19 MiB
  timeCost: 2,
  parallelism: 1,
} as const;

/** Minimum password length (NIST SP 800-63B §5.1.1.2 asks at least 8; we ask 12 as OWASP suggests for admins). */
export const DEFAULT_PASSWORD_MIN_LENGTH = 12;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID_PARAMETERS);
}

/** True when the password matches the stored PHC string; false for a malformed hash too. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export interface PasswordPolicy {
  readonly minLength: number;
}

/** Refuses a password that is too short (counted in Unicode code points) or too long to hash cheaply. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy, path = 'password'): void {
  const length = [...password].length;
  if (length < policy.minLength) {
    throw new KeyholeError('VALIDATION_FAILED', { path, message: `the password must be at least ${policy.minLength} characters long (it has ${length})` });
  }
  // A megabyte password is a denial-of-service lever, not a security gain (OWASP: limit input length).
  if (length > 1024) throw new KeyholeError('VALIDATION_FAILED', { path, message: 'the password must be at most 1024 characters long' });
}
