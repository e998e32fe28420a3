export { buildApp, type BuildAppOptions } from './app.ts';
export { serverOptions, DEFAULT_LIMITS, type ServerOptions, type ArchiveLimits } from './config.ts';
export { openDatabase, type ArchiveDatabase } from './db/connect.ts';
export { ROLES, isRole, roleAllows, type Role, type Permission } from './auth/roles.ts';
export { issueToken, principalForToken, type Principal } from './auth/tokens.ts';
export { appendAudit, type AuditEntry } from './audit/audit-log.ts';
