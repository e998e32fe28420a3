import fp from 'fastify-plugin';
import { SignInLimiter } from '../auth/sign-in-limiter.ts';
import { DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from './settings.ts';
import { sessionRoutes } from './session-routes.ts';
import { firstAdminRoutes } from './first-admin.ts';
import { userRoutes } from './user-routes.ts';

export interface AccountsPluginOptions {
  readonly settings?: Partial<AccountSettings>;
}

/**
 * Accounts: sign-in with session cookies, the first admin, users and bearer tokens. Registered
 * after the access plugin (it relies on `request.principal`); not encapsulated, so that the
 * session's sliding expiry applies to every route.
 */
export const accountsPlugin = fp<AccountsPluginOptions>(async (app, options) => {
  const settings: AccountSettings = { ...DEFAULT_ACCOUNT_SETTINGS, ...options.settings };
  app.decorate('accounts', {
    settings,
    limiter: new SignInLimiter({ maxFailures: settings.maxFailedSignIns, windowMs: settings.failedSignInWindowMs }),
    setupTokenHash: undefined,
  });
  await sessionRoutes(app);
  await firstAdminRoutes(app);
  await userRoutes(app);
}, { name: 'keyhole-accounts' });
