import fp from 'fastify-plugin';
import { KeyholeError } from '@keyhole/core';
import { roleAllows } from '../auth/roles.ts';
import { principalForToken } from '../auth/tokens.ts';

export const SESSION_COOKIE = 'keyhole_session';

/**
 * Authentication and authorisation for every route (default deny):
 * - credentials: `Authorization: Bearer <token>` (scripts, DICOMweb clients) or the httpOnly
 *   session cookie (the browser);
 * - each route declares `config: { access: <permission> }`; a route without one makes start-up fail;
 * - no credentials on a protected route → 401 AUTH_REQUIRED; a role without the permission → 403 FORBIDDEN.
 */
export const accessPlugin = fp(async (app) => {
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: string } | undefined)?.access;
    if (access === undefined && !route.url.startsWith('/docs')) {
      throw new Error(`route ${route.method.toString()} ${route.url} declares no config.access (default deny)`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access ?? (request.url.startsWith('/docs') ? 'public' : undefined);
    const header = request.headers.authorization;
    const bearer = header !== undefined && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
    const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    if (bearer !== undefined) request.principal = await principalForToken(app.keyhole.db, bearer, ['bearer', 'session']);
    else if (cookie !== undefined) request.principal = await principalForToken(app.keyhole.db, cookie, ['session']);
    if (access === 'public') return;
    if (access === undefined) throw new KeyholeError('FORBIDDEN', { message: 'this route declares no access rule' });
    if (request.principal === undefined) {
      throw new KeyholeError('AUTH_REQUIRED', { message: bearer !== undefined || cookie !== undefined ? 'the token or session is invalid or has expired; sign in again' : 'sign in, or send a bearer token (keyhole token create)' });
    }
    if (!roleAllows(request.principal.role, access)) {
      throw new KeyholeError('FORBIDDEN', { message: `role ${request.principal.role} may not ${access.replace(':', ' ')}` });
    }
  });
});
