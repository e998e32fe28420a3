import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { nowIso } from '../db/connect.ts';
import { isRole, type Role } from './roles.ts';

export type TokenKind = 'bearer' | 'session' | 'first-admin';

export interface Principal {
  readonly userId: number;
  readonly name: string;
  readonly role: Role;
  readonly via: TokenKind;
}

/** 256 random bits, URL-safe. Only its SHA-256 is stored, so a database leak reveals no usable token. */
export function newTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface IssueTokenOptions {
  readonly db: Kysely<Database>;
  readonly userId: number;
  readonly kind: TokenKind;
  readonly label?: string;
  /** Lifetime; undefined = until revoked (bearer tokens for scripts). */
  readonly ttlMs?: number;
}

export async function issueToken(options: IssueTokenOptions): Promise<string> {
  const secret = newTokenSecret();
  await options.db
    .insertInto('token')
    .values({
      user_ref: options.userId,
      token_hash: hashToken(secret),
      kind: options.kind,
      label: options.label ?? '',
      expires_at: options.ttlMs !== undefined ? new Date(Date.now() + options.ttlMs).toISOString() : null,
      created_at: nowIso(),
    })
    .execute();
  return secret;
}

/** The user a token stands for, or undefined when it is unknown, expired, of another kind, or its user is disabled. */
export async function principalForToken(db: Kysely<Database>, secret: string, kinds: readonly TokenKind[]): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('token')
    .innerJoin('app_user', 'app_user.id', 'token.user_ref')
    .select(['app_user.id as userId', 'app_user.name as name', 'app_user.role as role', 'app_user.disabled as disabled', 'token.kind as kind', 'token.expires_at as expiresAt'])
    .where('token.token_hash', '=', hashToken(secret))
    .executeTakeFirst();
  if (row === undefined || row.disabled !== 0 || !kinds.includes(row.kind as TokenKind) || !isRole(row.role)) return undefined;
  if (row.expiresAt !== null && row.expiresAt < nowIso()) return undefined;
  return { userId: row.userId, name: row.name, role: row.role, via: row.kind as TokenKind };
}
