import type { Kysely } from 'kysely';
import type { ArchiveDatabase } from './db/connect.ts';
import type { Database } from './db/schema.ts';
import type { ServerOptions } from './config.ts';
import type { Permission } from './auth/roles.ts';
import type { Principal } from './auth/tokens.ts';
import type { InstanceChecks } from './store/check/check-worker-pool.ts';

/** What the audit hook records for a request; routes add the patient and study they touched. */
export interface RequestAudit {
  action?: string;
  patientId?: string;
  studyUid?: string;
  detail?: string;
  outcome?: 'success' | 'denied' | 'failed' | 'partial';
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Server settings, the archive database, the instance-check workers. Registered by app.ts before any plugin. */
    readonly keyhole: { readonly options: ServerOptions; readonly database: ArchiveDatabase; readonly db: Kysely<Database>; readonly instanceChecks: InstanceChecks };
  }
  interface FastifyRequest {
    /** The signed-in user, set by the access plugin (undefined on public routes without credentials). */
    principal: Principal | undefined;
    /** Filled by routes; written to the audit log when the response is sent. */
    audit: RequestAudit;
  }
  interface FastifyContextConfig {
    /** The permission the route needs (default deny: a route without one fails start-up). */
    access?: Permission;
  }
}

export {};
