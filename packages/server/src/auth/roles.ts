/**
 * Roles and what each may do. Every route declares the one permission it needs (`config.access`);
 * a route without a declaration is refused at start-up (default deny), see plugins/access.ts.
 */
export const ROLES = ['admin', 'surgeon', 'radiologist', 'resident', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  /** No sign-in needed (health, docs, sign-in itself). */
  | 'public'
  /** Any signed-in user (own profile, sign-out). */
  | 'signed-in'
  /** Read images and patient data (QIDO, WADO, metadata, cases). */
  | 'patient-data:read'
  /** Store images and edit patient data (STOW, upload, cases, pulls from a PACS). */
  | 'patient-data:write'
  /** Export de-identified data. */
  | 'patient-data:export'
  /**
   * Confirm a clinical result that later steps rely on — the level numbering of a spine, before
   * planning may use it: surgeons and radiologists (and admins), not residents or viewers.
   */
  | 'patient-data:confirm'
  /** Accounts, tokens, audit log, remote nodes. */
  | 'admin';

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['signed-in', 'patient-data:read', 'patient-data:write', 'patient-data:export', 'patient-data:confirm', 'admin'],
  surgeon: ['signed-in', 'patient-data:read', 'patient-data:write', 'patient-data:export', 'patient-data:confirm'],
  radiologist: ['signed-in', 'patient-data:read', 'patient-data:write', 'patient-data:export', 'patient-data:confirm'],
  resident: ['signed-in', 'patient-data:read', 'patient-data:write'],
  viewer: ['signed-in', 'patient-data:read'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return permission === 'public' || GRANTS[role].includes(permission);
}

/** Permissions that touch patient data: every request to such a route is audited. */
export function touchesPatientData(permission: Permission): boolean {
  return permission.startsWith('patient-data:');
}
