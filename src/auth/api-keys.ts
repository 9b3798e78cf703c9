import { randomBytes } from 'node:crypto';
import type { ApiKey, AppConfig } from '../config/config';

export const API_KEYS = Symbol('API_KEYS');

/**
 * The configured keys; outside production with none configured, one admin key made for this run
 * (announced once through `announce`, never logged afterwards).
 */
export function resolveApiKeys(config: AppConfig, announce: (message: string) => void): ApiKey[] {
  if (config.apiKeys.length > 0) return config.apiKeys;
  if (config.production) throw new Error('ASUH_API_KEYS is required in production');
  const key: ApiKey = { name: 'local-admin', role: 'admin', secret: randomBytes(24).toString('base64url') };
  const example = (role: string) => `${role === 'operator' ? 'dinkes-coordinator' : `${role}-1`}:${role}:${randomBytes(18).toString('base64url')}`;
  announce(
    `No ASUH_API_KEYS configured: generated an admin key for this run.\n` +
      `    Authorization: Bearer ${key.secret}\n` +
      `  To keep keys across restarts, set ASUH_API_KEYS to name:role:secret entries (secrets of 16+ characters), one\n` +
      `  per person or system, for example (fresh secrets, generated just now; an operator may be bound to one OPD):\n` +
      `    ASUH_API_KEYS=${example('admin')},${example('operator')}:DINKES,${example('auditor')},${example('analyst')}`,
  );
  return [key];
}
