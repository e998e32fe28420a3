/**
 * Counts failed sign-ins per key (a user name, a source address) in a sliding window and locks a
 * key that reaches the limit until its oldest failure leaves the window. OWASP Authentication
 * Cheat Sheet, "Protect against automated attacks": limit by account and by source.
 * Kept in the server process (one per app, never module-global): a restart forgets it, which only
 * costs an attacker a restart they cannot cause.
 */
export interface SignInLimiterOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: SignInLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the key may try again, or 0 when it is not locked. */
  retryAfterSeconds(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.options.maxFailures) return 0;
    const oldest = recent[recent.length - this.options.maxFailures] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.options.windowMs - this.now()) / 1000));
  }

  recordFailure(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.options.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
