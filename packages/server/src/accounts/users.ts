import type { Kysely } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import type { Database } from '../db/schema.ts';
import { nowIso } from '../db/connect.ts';
import { isRole, ROLES, type Role } from '../auth/roles.ts';
import { checkPasswordPolicy, hashPassword, type PasswordPolicy } from '../auth/passwords.ts';

/** A user as the API and the CLI show it (never the password hash). */
export interface UserSummary {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly hasPassword: boolean;
  readonly createdAt: string;
}

/** Letters, digits and . _ @ - ; 1–64 characters: safe in URLs, logs and audit messages. */
export const USER_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$';

export function checkUserName(name: string, path = 'name'): void {
  if (!new RegExp(USER_NAME_PATTERN).test(name)) {
    throw new KeyholeError('VALIDATION_FAILED', { path, message: `user name "${name}" must be 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit` });
  }
}

export function checkRole(role: string, path = 'role'): Role {
  if (!isRole(role)) throw new KeyholeError('VALIDATION_FAILED', { path, message: `unknown role "${role}"; one of ${ROLES.join(', ')}` });
  return role;
}

export interface CreateUserOptions {
  readonly db: Kysely<Database>;
  readonly name: string;
  readonly role: string;
  /** Undefined: the user can only use bearer tokens (scripts, DICOMweb clients). */
  readonly password?: string;
  readonly policy: PasswordPolicy;
}

export async function createUser(options: CreateUserOptions): Promise<UserSummary> {
  checkUserName(options.name);
  const role = checkRole(options.role);
  if (options.password !== undefined) checkPasswordPolicy(options.password, options.policy);
  const existing = await findUser(options.db, options.name);
  if (existing !== undefined) throw new KeyholeError('VALIDATION_FAILED', { path: 'name', message: `a user named "${options.name}" already exists` });
  const passwordHash = options.password !== undefined ? await hashPassword(options.password) : null;
  const createdAt = nowIso();
  const { id } = await options.db.insertInto('app_user').values({ name: options.name, role, password_hash: passwordHash, created_at: createdAt }).returning('id').executeTakeFirstOrThrow();
  return { id, name: options.name, role, disabled: false, hasPassword: passwordHash !== null, createdAt };
}

export async function listUsers(db: Kysely<Database>): Promise<UserSummary[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('name').execute();
  return rows.map(toSummary);
}

export async function findUser(db: Kysely<Database>, name: string): Promise<(UserSummary & { readonly passwordHash: string | null }) | undefined> {
  const row = await db.selectFrom('app_user').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? undefined : { ...toSummary(row), passwordHash: row.password_hash };
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const { count } = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const { count } = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<string | number>().as('count')).where('role', '=', 'admin').where('disabled', '=', 0).executeTakeFirstOrThrow();
  return Number(count);
}

export interface UpdateUserOptions {
  readonly db: Kysely<Database>;
  readonly name: string;
  readonly role?: string;
  readonly disabled?: boolean;
  readonly password?: string;
  readonly policy: PasswordPolicy;
}

/** Changes role, disabled flag or password. Refuses to leave the archive without an active admin. */
export async function updateUser(options: UpdateUserOptions): Promise<UserSummary> {
  const user = await findUser(options.db, options.name);
  if (user === undefined) throw new KeyholeError('NOT_FOUND', { path: 'name', message: `no user named "${options.name}"` });
  const role = options.role !== undefined ? checkRole(options.role) : user.role;
  if (options.password !== undefined) checkPasswordPolicy(options.password, options.policy);
  const losesAdmin = user.role === 'admin' && !user.disabled && (role !== 'admin' || options.disabled === true);
  if (losesAdmin && (await countActiveAdmins(options.db)) <= 1) {
    throw new KeyholeError('VALIDATION_FAILED', { path: options.role !== undefined ? 'role' : 'disabled', message: `"${user.name}" is the last active admin; make another admin first` });
  }
  await options.db
    .updateTable('app_user')
    .set({
      role,
      ...(options.disabled !== undefined ? { disabled: options.disabled ? 1 : 0 } : {}),
      ...(options.password !== undefined ? { password_hash: await hashPassword(options.password) } : {}),
    })
    .where('id', '=', user.id)
    .execute();
  // A new password or a disabled account ends every open browser session of that user.
  if (options.password !== undefined || options.disabled === true) {
    await options.db.deleteFrom('token').where('user_ref', '=', user.id).where('kind', '=', 'session').execute();
  }
  const updated = await findUser(options.db, options.name);
  if (updated === undefined) throw new KeyholeError('INTERNAL', { message: `user "${options.name}" vanished while being updated` });
  const { passwordHash: _omit, ...summary } = updated;
  return summary;
}

function toSummary(row: { id: number; name: string; role: string; disabled: number; password_hash: string | null; created_at: string }): UserSummary {
  return { id: row.id, name: row.name, role: checkRole(row.role), disabled: row.disabled !== 0, hasPassword: row.password_hash !== null, createdAt: row.created_at };
}
