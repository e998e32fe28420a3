import fp from 'fastify-plugin';
import type { Permission } from '../auth/roles.ts';

export interface CataloguedRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Permission | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after this plugin, with its access rule: the security tests walk it. */
    readonly routeCatalogue: readonly CataloguedRoute[];
  }
}

/** Collects routes as they are registered (Fastify has no public route list besides printRoutes' text). */
export const routeCataloguePlugin = fp(async (app) => {
  const routes: CataloguedRoute[] = [];
  app.decorate('routeCatalogue', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = (route.config as { access?: Permission } | undefined)?.access;
    for (const method of methods) routes.push({ method: String(method), url: route.url, access });
  });
}, { name: 'keyhole-route-catalogue' });
