import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { openDatabase } from './db/connect.ts';
import type { ServerOptions } from './config.ts';
import { accessPlugin } from './plugins/access.ts';
import { studyAccessPlugin } from './study-access/plugin.ts';
import { auditPlugin } from './plugins/audit.ts';
import { docsPlugin } from './plugins/docs.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { healthPlugin } from './plugins/health.ts';
import { recoverStore } from './store/index.ts';
import { checkWorkersBundled, defaultCheckWorkers, startInstanceCheckWorkers } from './store/check/check-worker-pool.ts';
import { dicomwebPlugin } from './dicomweb/plugin.ts';
import { accountsPlugin } from './accounts/plugin.ts';
import { auditRoutes } from './audit/routes.ts';
import { caseRoutes } from './cases/routes.ts';
import { deidentifyRoutes } from './deidentify/routes.ts';
import { routeCataloguePlugin } from './audit/route-catalogue.ts';
import { dicomNodesRoutes } from './dimse/dicom-nodes-routes.ts';
import { remoteRoutes } from './remote/remote-routes.ts';
import { webAppPlugin } from './plugins/web-app.ts';
import { annotationRoutes } from './annotations/routes.ts';
import { volumeRoutes } from './volumes/routes.ts';
import { anatomyRoutes } from './anatomy/routes.ts';
import './types.ts';

export interface BuildAppOptions {
  readonly options: ServerOptions;
}

/**
 * The Keyhole server as a Fastify instance, one plugin per concern, in dependency order:
 * database → errors → audit → access (authentication, default-deny authorisation) → docs → routes.
 * Tests drive it with `app.inject()`; `keyhole serve` listens on a port.
 */
export async function buildApp({ options }: BuildAppOptions): Promise<FastifyInstance> {
  const database = await openDatabase({ dataDir: options.dataDir, ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) });
  const app = Fastify({ logger: options.log, bodyLimit: Math.min(options.limits.maxRequestBytes, 2 ** 31 - 1), trustProxy: false });
  const instanceChecks = startInstanceCheckWorkers({ workers: options.checkWorkers ?? defaultServerCheckWorkers() });
  app.decorate('keyhole', { options, database, db: database.db, instanceChecks });
  app.addHook('onClose', async () => {
    await instanceChecks.close();
    await database.close();
  });
  // A crash mid-store leaves only unreferenced files; remove them before serving (store/recover-store.ts).
  await recoverStore({ db: database.db, dataDir: options.dataDir });
  await app.register(cookie);
  await app.register(errorsPlugin);
  await app.register(auditPlugin);
  await app.register(accessPlugin);
  await app.register(studyAccessPlugin);
  await app.register(routeCataloguePlugin);
  await app.register(docsPlugin);
  await app.register(healthPlugin);
  await app.register(accountsPlugin);
  await app.register(auditRoutes);
  await app.register(caseRoutes);
  await app.register(annotationRoutes);
  await app.register(volumeRoutes);
  await app.register(anatomyRoutes);
  await app.register(deidentifyRoutes);
  await app.register(dicomNodesRoutes);
  await app.register(remoteRoutes);
  await app.register(dicomwebPlugin);
  await app.register(webAppPlugin);
  return app;
}

/** ServerOptions.checkWorkers when not given: see its comment. */
function defaultServerCheckWorkers(): number {
  const threads = Number(process.env['KEYHOLE_THREADS']);
  if (Number.isFinite(threads) && threads >= 1) return Math.floor(threads) - 1;
  return checkWorkersBundled() ? defaultCheckWorkers() : 0;
}
