import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

export { canonicalJson };

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
