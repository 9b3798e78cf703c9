import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { CLOCK, type Clock } from '../shared/clock';
import type { Principal, Role } from '../shared/roles';

/** What a managed secret looks like: `asuh_` and 32 random bytes in base64url (256 bits). */
export const MANAGED_SECRET = /^asuh_[A-Za-z0-9_-]{43}$/;

export const newManagedSecret = (): string => `asuh_${randomBytes(32).toString('base64url')}`;

/**
 * The one hash a managed secret is stored and looked up by: HMAC-SHA-256 under the key store's hashing secret
 * (the one NIK and NIP look-ups use, kept wrapped by the master key). A fast hash suffices for 256 random bits
 * (nothing to brute-force); the key makes a copy of the log or the read models useless even to test a guess.
 */
export const secretHashOf = (vault: Pick<PersonalDataVault, 'keyedHash'>, secret: string): string => vault.keyedHash('api-key-secret', secret);

/**
 * How long this process trusts what it read about a managed key. A revocation is answered only once the read
 * model has it, and the answering process forgets the key at once; every other process reads it again within
 * this time, well inside the 5 s of the contract.
 */
export const MANAGED_KEY_CACHE_MS = 2000;

/** `lastUsedAt` is written at most this often per key (and never in the way of the request). */
export const LAST_USE_EVERY_MS = 60_000;

interface KnownKey {
  keyId: string;
  name: string;
  role: Role;
  opdCode: string | null;
  expiresOn: string | null;
  revoked: boolean;
  readAt: number;
}

export type ManagedAuthentication =
  | { kind: 'ok'; principal: Principal }
  | { kind: 'unknown' }
  | { kind: 'revoked'; name: string }
  | { kind: 'expired'; name: string; expiresOn: string };

/**
 * Managed keys (issued through POST /v1/api-keys) as the guard sees them: found by the keyed hash of the
 * presented secret in the `api_keys` read model, refused once revoked or past their last day (in the
 * programme's time zone), kept in memory for at most MANAGED_KEY_CACHE_MS.
 */
@Injectable()
export class ManagedApiKeys {
  private readonly logger = new Logger('ApiKeys');
  private readonly known = new Map<string, KnownKey>();
  /** Bumped by every `forget`: a look-up that started before it does not put what it read into the cache. */
  private generation = 0;
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(secret: string): Promise<ManagedAuthentication> {
    if (!MANAGED_SECRET.test(secret)) return { kind: 'unknown' };
    const hash = secretHashOf(this.vault, secret);
    const key = await this.lookUp(hash);
    if (!key) return { kind: 'unknown' };
    if (key.revoked) return { kind: 'revoked', name: key.name };
    if (key.expiresOn !== null && key.expiresOn < this.clock.today()) return { kind: 'expired', name: key.name, expiresOn: key.expiresOn };
    this.noteUse(key);
    return { kind: 'ok', principal: { name: key.name, role: key.role, ...(key.opdCode ? { opdCode: key.opdCode } : {}) } };
  }

  /** Drops what this process knows of a key (its revocation was just answered here). */
  forget(keyId: string): void {
    this.generation++;
    for (const [hash, key] of this.known) if (key.keyId === keyId) this.known.delete(hash);
  }

  private async lookUp(hash: string): Promise<KnownKey | null> {
    const cached = this.known.get(hash);
    if (cached && Date.now() - cached.readAt < MANAGED_KEY_CACHE_MS) return cached;
    const generation = this.generation;
    const rows: Omit<KnownKey, 'readAt'>[] = await this.db.query(
      `SELECT key_id AS "keyId", name, role, opd_code AS "opdCode", to_char(expires_on, 'YYYY-MM-DD') AS "expiresOn", revoked
         FROM api_keys WHERE secret_hash = $1`,
      [hash],
    );
    if (!rows[0]) {
      this.known.delete(hash);
      return null;
    }
    const key = { ...rows[0], readAt: Date.now() };
    if (generation === this.generation) this.known.set(hash, key);
    return key;
  }

  /** Records the use out of the request's way: at most once a minute per key; a failure is logged, never answered. */
  private noteUse(key: KnownKey): void {
    const last = this.lastUseWritten.get(key.keyId);
    if (last !== undefined && Date.now() - last < LAST_USE_EVERY_MS) return;
    this.lastUseWritten.set(key.keyId, Date.now());
    const at = this.clock.now();
    this.db
      .query(
        `INSERT INTO api_key_last_use AS u (key_id, last_used_at) VALUES ($1, $2)
         ON CONFLICT (key_id) DO UPDATE SET last_used_at = greatest(u.last_used_at, EXCLUDED.last_used_at)`,
        [key.keyId, at],
      )
      .catch((error: Error) => {
        // Not retried before the minute is up: a database in trouble gets no extra writes from here.
        this.logger.warn(`Could not record the last use of API key ${key.name}: ${error.message}`);
      });
  }
}
