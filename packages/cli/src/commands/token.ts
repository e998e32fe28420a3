import { KeyholeError } from '@keyhole/core';
import { createBearerToken, findUser } from '@keyhole/server';
import { EXIT, makeContext } from '../run-command.ts';
import { openAccountDatabase } from './account-database.ts';

export interface TokenCreateOptions {
  readonly name: string;
  readonly dataDir: string;
  readonly label?: string;
  readonly json: boolean;
}

/** `keyhole token create NAME --data DIR [--label L]`: prints a new bearer token for the user (shown once). */
export async function runTokenCreate(options: TokenCreateOptions): Promise<number> {
  const context = makeContext(options.json);
  const database = await openAccountDatabase({ dataDir: options.dataDir, create: false });
  try {
    const user = await findUser(database.db, options.name);
    if (user === undefined) throw new KeyholeError('INVALID_ARGUMENT', { path: 'NAME', message: `no user named "${options.name}" in ${options.dataDir}; add one with \`keyhole user add\`` });
    if (user.disabled) throw new KeyholeError('INVALID_ARGUMENT', { path: 'NAME', message: `user "${options.name}" is disabled` });
    const created = await createBearerToken({ db: database.db, userId: user.id, label: options.label ?? 'cli' });
    if (options.json) context.out(JSON.stringify({ ok: true, id: created.id, user: user.name, token: created.token }, null, 2));
    else {
      context.out(created.token);
      context.note(`bearer token ${created.id} for ${user.name} (${user.role}); it is shown once. Send it as "Authorization: Bearer <token>".`);
    }
    return EXIT.ok;
  } finally {
    await database.close();
  }
}
