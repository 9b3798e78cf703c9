import type { EventSchemas } from '../event-sourcing/event-catalog';
import type { Role } from '../shared/roles';

/**
 * Events of a managed API key's stream `api-key-{keyId}`. Names are part of the public contract. The secret
 * itself is never recorded: only its keyed hash (HMAC-SHA-256 under the key store's hashing secret), which is
 * what a presented secret is looked up by.
 */
export type ApiKeyIssued = {
  type: 'ApiKeyIssued';
  data: {
    keyId: string;
    /** Unique among keys (managed and configured): the `recordedBy` of every event the key's requests cause. */
    name: string;
    role: Role;
    /** An operator key bound to one OPD acts only within it (domain.md, "Scope"); null: city-wide. */
    opdCode: string | null;
    /** The last day the key works (in the programme's time zone); null: no expiry. */
    expiresOn: string | null;
    /** HMAC-SHA-256 (hex) of the secret. */
    secretHash: string;
    /** Business date: the day it was issued. */
    occurredOn: string;
  };
};

export type ApiKeyRevoked = {
  type: 'ApiKeyRevoked';
  data: { keyId: string; reason: string; occurredOn: string };
};

export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

/** Reservation of a key name for one key (stream named by a hash of the name). */
export type ApiKeyNameReserved = { type: 'ApiKeyNameReserved'; data: { keyId: string } };

/** Schema versions (see event-sourcing/event-catalog.ts). */
export const API_KEY_EVENT_SCHEMAS: EventSchemas = {
  ApiKeyIssued: { version: 1 },
  ApiKeyRevoked: { version: 1 },
  ApiKeyNameReserved: { version: 1 },
};

export const apiKeyStream = (keyId: string): string => `api-key-${keyId}`;
