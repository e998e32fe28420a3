import { KeyholeError } from '@keyhole/core';
import { createUser, listUsers, DEFAULT_ACCOUNT_SETTINGS } from '@keyhole/server';
import { EXIT, makeContext } from '../run-command.ts';
import { openAccountDatabase } from './account-database.ts';

export interface UserAddOptions {
  readonly name: string;
  readonly role: string;
  readonly dataDir: string;
  /** Read the password from standard input (scripts); without it the user can only use bearer tokens. */
  readonly passwordStdin: boolean;
  readonly json: boolean;
}

/** `keyhole user add NAME --role ROLE [--password-stdin] --data DIR`. */
export async function runUserAdd(options: UserAddOptions): Promise<number> {
  const context = makeContext(options.json);
  const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
  const database = await openAccountDatabase({ dataDir: options.dataDir, create: true });
  try {
    const user = await createUser({ db: database.db, name: options.name, role: options.role, ...(password !== undefined ? { password } : {}), policy: { minLength: DEFAULT_ACCOUNT_SETTINGS.passwordMinLength } });
    if (options.json) context.out(JSON.stringify({ ok: true, user }, null, 2));
    else context.out(`created user ${user.name} (${user.role})${user.hasPassword ? '' : '; no password: use `keyhole token create` for a bearer token'}`);
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

export interface UserListOptions {
  readonly dataDir: string;
  readonly json: boolean;
}

/** `keyhole user list --data DIR`. */
export async function runUserList(options: UserListOptions): Promise<number> {
  const context = makeContext(options.json);
  const database = await openAccountDatabase({ dataDir: options.dataDir, create: false });
  try {
    const users = await listUsers(database.db);
    if (options.json) context.out(JSON.stringify({ ok: true, users }, null, 2));
    else if (users.length === 0) context.out('no users yet (the server prints a one-time setup link at first start)');
    else for (const user of users) context.out(`${user.name}\t${user.role}${user.disabled ? '\tdisabled' : ''}${user.hasPassword ? '' : '\tno password'}`);
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

/**
 * The whole of standard input, less one final line break (as `docker login --password-stdin`).
 * Refuses a terminal (the password would echo; use a pipe) and an empty input.
 */
export async function readPasswordFromStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY === true) {
    throw new KeyholeError('INVALID_ARGUMENT', { path: '--password-stdin', message: 'standard input is a terminal; pipe the password in, e.g. `printf %s "$PASSWORD" | keyhole user add …`' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new KeyholeError('INVALID_ARGUMENT', { path: '--password-stdin', message: 'standard input is empty; pipe the password in' });
  return password;
}
