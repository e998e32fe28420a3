import type { Kysely } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import type { Database } from '../db/schema.ts';
import { hashToken, issueToken, type Principal } from '../auth/tokens.ts';

export interface TokenSummary {
  readonly id: number;
  readonly userName: string;
  readonly kind: string;
  readonly label: string;
  readonly expiresAt: string | null;
  readonly createdAt: string;
}

export interface CreateBearerTokenOptions {
  readonly db: Kysely<Database>;
  readonly userId: number;
  readonly label?: string;
  /** Undefined: valid until revoked. */
  readonly ttlMs?: number;
}

export interface CreateBearerTokenResult {
  readonly id: number;
  /** Shown once; only its SHA-256 is stored. */
  readonly token: string;
}

export async function createBearerToken(options: CreateBearerTokenOptions): Promise<CreateBearerTokenResult> {
  const token = await issueToken({ db: options.db, userId: options.userId, kind: 'bearer', ...(options.label !== undefined ? { label: options.label } : {}), ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}) });
  const row = await options.db.selectFrom('token').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
  return { id: row.id, token };
}

/** Bearer tokens of one user, or of everyone when userId is undefined (admins). */
export async function listTokens(db: Kysely<Database>, userId?: number): Promise<TokenSummary[]> {
  let query = db
    .selectFrom('token')
    .innerJoin('app_user', 'app_user.id', 'token.user_ref')
    .select(['token.id as id', 'app_user.name as userName', 'token.kind as kind', 'token.label as label', 'token.expires_at as expiresAt', 'token.created_at as createdAt'])
    .where('token.kind', '=', 'bearer')
    .orderBy('token.id');
  if (userId !== undefined) query = query.where('token.user_ref', '=', userId);
  return query.execute();
}

/** Revokes a token: its owner may, and so may an admin. Unknown and foreign tokens read the same (404). */
export async function revokeToken(db: Kysely<Database>, id: number, by: Principal): Promise<void> {
  const row = await db.selectFrom('token').select(['id', 'user_ref']).where('id', '=', id).executeTakeFirst();
  if (row === undefined || (row.user_ref !== by.userId && by.role !== 'admin')) {
    throw new KeyholeError('NOT_FOUND', { path: 'id', message: `no token ${id} that you may revoke` });
  }
  await db.deleteFrom('token').where('id', '=', id).execute();
}
