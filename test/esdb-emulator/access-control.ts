/**
 * The emulator's secure mode (TEST CODE ONLY): users, authentication and the legacy stream ACLs of
 * EventStoreDB, as `LegacyPolicySelectorFactory`, `LegacyStreamPermissionAssertion`,
 * `SystemSettings.Default` and `IndexReader.GetEffectiveAcl` define them:
 * - a bad user name or password is rejected before any operation (`AuthenticationMiddleware`: gRPC
 *   UNAUTHENTICATED); with no credentials the caller is anonymous, and anonymous stream access is off
 *   (`AllowAnonymousStreamAccess` defaults to false since 23.10);
 * - members of `$admins` may do anything; everyone else is checked against the stream's ACL from its
 *   `$$stream` metadata (`$acl`), else the default: `$all` (every user) for user streams, `$admins`
 *   for system streams, `$all` included. So `$ops` reads `$all` only when `$$$all` grants it;
 * - nobody writes or deletes `$all` itself; a `$$stream` is checked with the `$mr`/`$mw` entries of
 *   the stream it describes.
 */
import type { InMemoryLog } from './in-memory-log';

export interface EmulatorUser {
  password: string;
  /** Groups (roles), e.g. `$admins`, `$ops`. */
  groups: string[];
}

export interface Principal {
  name: string;
  groups: string[];
}

/** The server's default users (`DefaultAdminPassword`/`DefaultOpsPassword` are "changeit"). */
export const DEFAULT_USERS: Record<string, EmulatorUser> = {
  admin: { password: 'changeit', groups: ['$admins'] },
  ops: { password: 'changeit', groups: ['$ops'] },
};

export type Authentication = { ok: true; principal: Principal | undefined } | { ok: false };

export function authenticate(users: Record<string, EmulatorUser>, authorization: string | undefined): Authentication {
  if (!authorization) return { ok: true, principal: undefined };
  const match = /^Basic\s+(.+)$/i.exec(authorization);
  if (!match) return { ok: false };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = decoded.slice(0, colon);
  const user = colon > 0 ? users[name] : undefined;
  if (!user || user.password !== decoded.slice(colon + 1)) return { ok: false };
  return { ok: true, principal: { name, groups: user.groups } };
}

type Action = 'read' | 'write';

export function mayAccess(log: InMemoryLog, principal: Principal | undefined, streamId: string, action: Action): boolean {
  if (!principal) return false;
  if (principal.groups.includes('$admins')) return true;
  if (streamId === '$all' && action === 'write') return false;
  const isMeta = streamId.startsWith('$$');
  const original = isMeta ? streamId.slice(2) : streamId;
  const key = isMeta ? (action === 'read' ? '$mr' : '$mw') : action === 'read' ? '$r' : '$w';
  const roles = aclRoles(log, original, key) ?? (original.startsWith('$') ? ['$admins'] : ['$all']);
  return roles.some((role) => role === '$all' || role === principal.name || principal.groups.includes(role));
}

/** The roles the stream's latest `$metadata` grants for `key`, if it says anything about it. */
function aclRoles(log: InMemoryLog, streamId: string, key: string): string[] | undefined {
  const metadata = log.stream(`$$${streamId}`);
  const latest = metadata?.[metadata.length - 1];
  if (!latest) return undefined;
  try {
    const acl = (JSON.parse(Buffer.from(latest.data).toString('utf8')) as { $acl?: Record<string, unknown> }).$acl;
    const roles = acl?.[key];
    if (typeof roles === 'string') return [roles];
    if (Array.isArray(roles)) return roles.filter((role): role is string => typeof role === 'string');
  } catch {
    return undefined;
  }
  return undefined;
}
