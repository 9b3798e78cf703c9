export const ROLES = ['admin', 'operator', 'auditor', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, resolved from its API key. `name` becomes `recordedBy` of every event it causes. */
export interface Principal {
  name: string;
  role: Role;
}
