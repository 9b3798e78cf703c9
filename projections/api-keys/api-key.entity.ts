import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../../src/shared/roles';

/**
 * One row per managed API key (ApiKeyIssued, ApiKeyRevoked). The guard finds a presented secret by its keyed
 * hash here; the secret itself is nowhere. When a key was last used is not a fact of the log and lives apart
 * (`api_key_last_use`, written by the API), so rebuilding or verifying this read model never touches it.
 */
@Entity({ name: 'api_keys' })
@Index('api_keys_secret_hash_key', ['secretHash'], { unique: true })
export class ApiKeyRow {
  @PrimaryColumn({ name: 'key_id', type: 'uuid', primaryKeyConstraintName: 'api_keys_pkey' })
  keyId: string;

  /** Unique in the write model (a reservation per name); the `recordedBy` of the key's events. */
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  /** The OPD an operator key is bound to; null: city-wide. */
  @Column({ name: 'opd_code', type: 'text', nullable: true })
  opdCode: string | null;

  /** The last day the key works; null: no expiry. */
  @Column({ name: 'expires_on', type: 'date', nullable: true })
  expiresOn: string | null;

  /** HMAC-SHA-256 (hex) of the secret, under the key store's hashing secret. Never answered by the API. */
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ type: 'boolean' })
  revoked: boolean;

  /** When the revocation was recorded. */
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** When ApiKeyIssued was recorded, and by whom. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  /** Log position of the row's last event (decimal string): an event at or before it is a replay. */
  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
