import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same bytes whatever order jsonb stored them in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Tamper evidence: SHA-256 over the previous event's hash (of the same stream) and this event's type,
 * data and metadata (without the `hash` field itself). Changing any stored event breaks its link and
 * every later one.
 */
export function eventHash(prevHash: string | null, type: string, data: unknown, metadata: Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = metadata;
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(type)
    .update('\n')
    .update(canonicalJson(data))
    .update('\n')
    .update(canonicalJson(rest))
    .digest('hex');
}
