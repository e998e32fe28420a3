/**
 * A Keyhole server in its own process, for the crash test (crash.test.ts): listens on a free port
 * on the data folder and database given in the environment, and prints one JSON line with its
 * address and a bearer token. The test kills it with SIGKILL in the middle of a STOW.
 */
import { buildApp } from '../app.ts';
import { serverOptions } from '../config.ts';
import { issueToken } from '../auth/tokens.ts';
import { nowIso } from '../db/connect.ts';

const dataDir = process.env['KEYHOLE_CRASH_DATA_DIR'] ?? '';
const databaseUrl = process.env['KEYHOLE_CRASH_DATABASE_URL'];
const app = await buildApp({ options: serverOptions({ dataDir, ...(databaseUrl ? { databaseUrl } : {}), port: 0 }) });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const user = await app.keyhole.db.insertInto('app_user').values({ name: `crash-${Date.now()}`, role: 'resident', password_hash: null, created_at: nowIso() }).returning('id').executeTakeFirstOrThrow();
const token = await issueToken({ db: app.keyhole.db, userId: user.id, kind: 'bearer', label: 'crash test' });
process.stdout.write(`${JSON.stringify({ address, token })}\n`);
