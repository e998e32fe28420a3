import { DEFAULT_PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';
import type { SignInLimiter } from '../auth/sign-in-limiter.ts';

/** Account settings; every value can be overridden when the accounts plugin is registered. */
export interface AccountSettings {
  readonly passwordMinLength: number;
  /** Sliding lifetime of a browser session: each request pushes the expiry this far ahead. */
  readonly sessionTtlMs: number;
  /** Failed sign-ins allowed per user name and per source address within the window, then 429. */
  readonly maxFailedSignIns: number;
  readonly failedSignInWindowMs: number;
}

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  passwordMinLength: DEFAULT_PASSWORD_MIN_LENGTH,
  sessionTtlMs: 8 * 60 * 60 * 1000,
  maxFailedSignIns: 5,
  failedSignInWindowMs: 15 * 60 * 1000,
};

/** Per-app account state (never module-global: two apps in one process stay independent). */
export interface AccountsState {
  readonly settings: AccountSettings;
  readonly limiter: SignInLimiter;
  /** SHA-256 of the one-time first-admin token while no user exists; undefined otherwise. */
  setupTokenHash: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly accounts: AccountsState;
  }
}
