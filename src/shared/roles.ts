export const ROLES = ['admin', 'operator', 'auditor', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, resolved from its API key. `name` becomes `recordedBy` of every event it causes. */
export interface Principal {
  name: string;
  role: Role;
  /**
   * An operator key bound to one OPD (`name:operator:secret:OPDCODE`, or a managed key issued with an `opdCode`):
   * it acts only within that OPD (domain.md, "Scope"). Absent: city-wide. Never set on other roles.
   */
  opdCode?: string;
}

/** The OPD a principal is bound to, or null when it acts city-wide (admins, auditors, analysts are never bound). */
export const opdScopeOf = (principal: Principal | undefined): string | null =>
  principal?.role === 'operator' && principal.opdCode ? principal.opdCode : null;
