import { KeyholeError } from '@keyhole/core';
import { buildApp, firstAdminLink, serverOptions, startDimseServer, type DimseServer } from '@keyhole/server';
import { EXIT, makeContext } from '../run-command.ts';
import { seedServeDemo, type ServeDemoMode } from './serve-demo.ts';

export interface ServeOptions {
  /** Data folder: the embedded database and the file store (default ./keyhole-data). */
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  /** DIMSE port; 0 picks a free one; a negative number disables DIMSE. */
  readonly dicomPort: number;
  readonly aeTitle: string;
  /** `postgres://…` (from DATABASE_URL); undefined = embedded SQLite in the data folder. */
  readonly databaseUrl?: string;
  /**
   * The synthetic demo case (serve-demo.ts): `if-empty` (default) adds it to an archive without
   * patients, `always` adds it anyway (`--demo`), `never` leaves it out (`--no-demo`).
   */
  readonly demo?: ServeDemoMode;
  /** Resolves when the server should stop (tests); default: SIGINT or SIGTERM. */
  readonly until?: Promise<void>;
  /** Called once the server listens (tests read the ports from it). */
  readonly onListening?: (where: { httpUrl: string; dicomPort: number | undefined; setupLink: string | undefined }) => void;
}

function parsePort(value: number, name: string): number {
  if (!Number.isInteger(value) || value < -1 || value > 65535) throw new KeyholeError('INVALID_ARGUMENT', { path: name, message: `${String(value)} is not a port number (0–65535)` });
  return value;
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * `keyhole serve`: the archive over HTTP (DICOMweb, the API, the viewer) and DIMSE, on the
 * embedded SQLite database in the data folder or on PostgreSQL when DATABASE_URL is set. On the
 * first start (no user yet) it prints a one-time link for creating the first admin — there is
 * no default password. An archive without patients gets the synthetic demo case (serve-demo.ts)
 * unless `demo` is `never`; this is what `npm start` runs.
 */
export async function runServe(options: ServeOptions): Promise<number> {
  const context = makeContext(false);
  const port = parsePort(options.port, '--port');
  const dicomPort = parsePort(options.dicomPort, '--dicom-port');
  const app = await buildApp({
    options: serverOptions({
      dataDir: options.dataDir,
      port,
      host: options.host,
      aeTitle: options.aeTitle,
      ...(dicomPort >= 0 ? { dicomPort } : {}),
      ...(options.databaseUrl !== undefined && options.databaseUrl !== '' ? { databaseUrl: options.databaseUrl } : {}),
    }),
  });
  let dimse: DimseServer | undefined;
  try {
    // Before listening: nobody sees the archive before the demo is complete (storeInstances is atomic anyway).
    await seedServeDemo({ app, mode: options.demo ?? 'if-empty', context });
    await app.listen({ port, host: options.host });
    const address = app.server.address();
    const boundPort = address !== null && typeof address === 'object' ? address.port : port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const httpUrl = `http://${host}:${boundPort}`;
    if (dicomPort >= 0) dimse = await startDimseServer({ app, port: dicomPort, aeTitle: options.aeTitle });
    const setupLink = await firstAdminLink(app, { baseUrl: httpUrl });
    context.out(`Keyhole archive listening on ${httpUrl} (API docs: ${httpUrl}/docs)`);
    context.out(dimse !== undefined ? `DIMSE: AE title ${options.aeTitle} on port ${dimse.port} (callers must be configured: /api/dicom-nodes)` : 'DIMSE: disabled');
    context.out(`Database: ${options.databaseUrl !== undefined && options.databaseUrl !== '' ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${app.keyhole.options.dataDir}`}`);
    if (setupLink !== undefined) context.out(`\nFirst start: no account exists yet. Create the first admin (one-time link, valid until restart):\n  ${setupLink}\n`);
    context.out('Stop with Ctrl+C.');
    options.onListening?.({ httpUrl, dicomPort: dimse?.port, setupLink });
    await (options.until ?? signalled());
    return EXIT.ok;
  } finally {
    await dimse?.close();
    await app.close();
  }
}
