import { Client, Pool, type PoolClient } from 'pg';
import { canonicalJson } from '../shared/canonical-json';
import { ACCESS_LOG_SCHEMA_SQL, PersonalDataAccessLog } from './access-log';
import {
  deriveKey,
  isSealed,
  keyedHash,
  newDataKey,
  seal,
  type Sealed,
  unseal,
  unwrapKey,
  wrapKey,
} from './sealing';

export type JsonObject = Record<string, unknown>;

/** Nest token of the process's vault. */
export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');

/** Whose data a key protects: `worker:<workerId>` or `sponsor:<sponsorId>`. */
export type Subject = string;

export class MasterKeyMismatchError extends Error {
  constructor() {
    super(
      'ASUH_MASTER_KEY does not open this deployment’s key store: it is not the master key the data keys were wrapped with. ' +
        'Use the key the store was created (or last rotated) with; a new key is only taken through npm run keys:rotate-master.',
    );
    this.name = 'MasterKeyMismatchError';
  }
}

export class SubjectErasedError extends Error {
  constructor(readonly subject: Subject) {
    super(`The personal data of ${subject} has been erased: nothing can be sealed for it any more`);
    this.name = 'SubjectErasedError';
  }
}

const NOTIFY_CHANNEL = 'asuh_data_key_destroyed';

/**
 * The key store lives in a PostgreSQL schema of its own, apart from the event log and the read models, so a
 * copy of the log (or of the read models) without it holds no readable personal data.
 */
export const KEY_STORE_SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS key_store;
CREATE TABLE IF NOT EXISTS key_store.keyring (
  name       text PRIMARY KEY,
  wrapped    bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS key_store.data_keys (
  subject    text PRIMARY KEY,
  wrapped    bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS key_store.erased_subjects (
  subject    text PRIMARY KEY,
  erased_at  timestamptz NOT NULL DEFAULT now()
);
`;

export interface VaultOptions {
  /** Data keys kept unwrapped in memory (default 20,000), so folding and projecting rarely query a key. */
  cacheSize?: number;
  /** Pool size (default 12: enrolments under load each make a key, one commit each, and share WAL flushes only when they can run side by side). */
  poolSize?: number;
  /** Bound of every key-store call, milliseconds (default 5000). */
  timeoutMs?: number;
}

/** A subject's key, its erasure, or that it has no key yet (plain-text events only, or none sealed yet). */
type CacheEntry = { key: Buffer } | { erased: true } | { absent: true };

/**
 * Envelope encryption of personal data: one data key per person, kept wrapped by the master key in the key
 * store, unwrapped on demand into a bounded in-memory cache. Erasure deletes the person's key row (and marks
 * the subject erased, so no key is ever made for it again): whatever was sealed with it is unreadable
 * everywhere from then on, in the log, in the read models and in their backups.
 */
export class PersonalDataVault {
  private readonly cache = new Map<Subject, CacheEntry>();
  private listener?: Client;
  private closed = false;

  /** Who read whose personal data (its own schema next to the key store). */
  readonly accessLog: PersonalDataAccessLog;

  private constructor(
    private readonly pool: Pool,
    private readonly masterKey: Buffer,
    private readonly hashSecret: Buffer,
    private readonly databaseUrl: string,
    private readonly cacheSize: number,
  ) {
    this.accessLog = new PersonalDataAccessLog(pool);
  }

  /**
   * Connects, creates the key store on first use, and checks that the master key is the store's: a wrong key
   * stops the start here, before anything is written.
   */
  static async open(databaseUrl: string, masterKeyHex: string, options: VaultOptions = {}): Promise<PersonalDataVault> {
    const timeout = options.timeoutMs ?? 5000;
    const pool = new Pool({
      connectionString: databaseUrl,
      max: options.poolSize ?? 12,
      application_name: 'asuh-key-store',
      connectionTimeoutMillis: timeout,
      statement_timeout: timeout,
      idle_in_transaction_session_timeout: timeout,
    });
    pool.on('error', () => undefined);
    const masterKey = Buffer.from(masterKeyHex, 'hex');
    try {
      const hashSecret = await withTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(7202611231)');
        await client.query(KEY_STORE_SCHEMA_SQL);
        await client.query(ACCESS_LOG_SCHEMA_SQL);
        const { rows } = await client.query<{ wrapped: Buffer }>(`SELECT wrapped FROM key_store.keyring WHERE name = 'keyed-hash'`);
        if (rows[0]) {
          try {
            return unwrapKey(masterKey, 'keyring:keyed-hash', rows[0].wrapped);
          } catch {
            throw new MasterKeyMismatchError();
          }
        }
        // Derived from the master key once, then kept wrapped: a later rotation keeps the same hashes.
        const secret = deriveKey(masterKey, 'asuh:keyed-hash:v1');
        await client.query(`INSERT INTO key_store.keyring (name, wrapped) VALUES ('keyed-hash', $1)`, [wrapKey(masterKey, 'keyring:keyed-hash', secret)]);
        return secret;
      });
      const vault = new PersonalDataVault(pool, masterKey, hashSecret, databaseUrl, options.cacheSize ?? 20_000);
      await vault.listen();
      return vault;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  /** A keyed hash (HMAC-SHA-256) of an identifier: equal identifiers give equal hashes, and only with the secret. */
  keyedHash(kind: string, value: string): string {
    return keyedHash(this.hashSecret, kind, value);
  }

  /** The keyed hash that names a unique key's reservation stream (and serves look-ups): 160 bits of the HMAC. */
  digest(kind: string, value: string): string {
    return this.keyedHash(kind, value).slice(0, 40);
  }

  /**
   * Keyed hashes of the trigrams of a name (lower case, letters and digits), for searching names without storing
   * them: a stored name is padded at its ends; a searched part is not (it may sit inside a word).
   */
  nameTrigrams(name: string, options: { part?: boolean } = {}): string[] {
    const words = name.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    const normalized = options.part ? words : ` ${words} `;
    const trigrams = new Set<string>();
    for (let i = 0; i + 3 <= normalized.length; i++) trigrams.add(normalized.slice(i, i + 3));
    return [...trigrams].map((t) => this.keyedHash('trigram', t).slice(0, 16));
  }

  /** Seals `fields` with the subject's data key, making the key on first use. */
  async seal(subject: Subject, fields: JsonObject, options: { deterministic?: boolean } = {}): Promise<Sealed> {
    const key = await this.keyFor(subject, true);
    if (!key) throw new SubjectErasedError(subject);
    return seal(key, subject, canonicalJson(fields), options.deterministic ?? false, Object.keys(fields));
  }

  /** The fields of each envelope, or null where the subject's key has been destroyed (erased). */
  async openAll(envelopes: readonly Sealed[]): Promise<(JsonObject | null)[]> {
    const subjects = envelopes.map((e) => e.s);
    // A key made by another process after this one noted its absence is looked up again.
    await this.load(subjects, (entry) => 'absent' in entry);
    return envelopes.map((envelope) => {
      const entry = this.cache.get(envelope.s);
      if (!entry || !('key' in entry)) return null;
      return JSON.parse(unseal(entry.key, envelope)) as JsonObject;
    });
  }

  async open(envelope: unknown): Promise<JsonObject | null> {
    if (!isSealed(envelope)) return null;
    return (await this.openAll([envelope]))[0];
  }

  /** Which of the subjects have been erased. */
  async erased(subjects: readonly Subject[]): Promise<Set<Subject>> {
    await this.load(subjects);
    return new Set(subjects.filter((s) => {
      const entry = this.cache.get(s);
      return entry !== undefined && 'erased' in entry;
    }));
  }

  /** Erasure: the subject's key row is deleted, never to be made again; every process forgets it. */
  async destroy(subject: Subject): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await client.query(`INSERT INTO key_store.erased_subjects (subject) VALUES ($1) ON CONFLICT DO NOTHING`, [subject]);
      await client.query(`DELETE FROM key_store.data_keys WHERE subject = $1`, [subject]);
      await client.query(`SELECT pg_notify($1, $2)`, [NOTIFY_CHANNEL, subject]);
    });
    this.remember(subject, { erased: true });
  }

  /** Subjects marked erased that still have a key row (should be none; verify reports them). */
  async keysOfErasedSubjects(): Promise<Subject[]> {
    const { rows } = await this.pool.query<{ subject: string }>(
      `SELECT d.subject FROM key_store.data_keys d JOIN key_store.erased_subjects e USING (subject) ORDER BY d.subject`,
    );
    return rows.map((r) => r.subject);
  }

  /**
   * Re-wraps every data key and the keyring under `newMasterKeyHex`, in one transaction, `pageSize` keys at a
   * time; the log and the read models are untouched. Afterwards only the new master key opens the store.
   */
  async rotateMasterKey(newMasterKeyHex: string, onProgress?: (done: number, total: number) => void, pageSize = 1000): Promise<number> {
    const next = Buffer.from(newMasterKeyHex, 'hex');
    return withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(7202611231)');
      const keyring = await client.query<{ name: string; wrapped: Buffer }>(`SELECT name, wrapped FROM key_store.keyring FOR UPDATE`);
      for (const row of keyring.rows) {
        const key = unwrapKey(this.masterKey, `keyring:${row.name}`, row.wrapped);
        await client.query(`UPDATE key_store.keyring SET wrapped = $2 WHERE name = $1`, [row.name, wrapKey(next, `keyring:${row.name}`, key)]);
      }
      const [{ total }] = (await client.query<{ total: number }>(`SELECT count(*)::int AS total FROM key_store.data_keys`)).rows;
      let done = 0;
      let after = '';
      for (;;) {
        const { rows } = await client.query<{ subject: string; wrapped: Buffer }>(
          `SELECT subject, wrapped FROM key_store.data_keys WHERE subject > $1 ORDER BY subject LIMIT $2 FOR UPDATE`,
          [after, pageSize],
        );
        if (rows.length === 0) break;
        const rewrapped = rows.map((r) => wrapKey(next, `data:${r.subject}`, unwrapKey(this.masterKey, `data:${r.subject}`, r.wrapped)));
        await client.query(
          `UPDATE key_store.data_keys d SET wrapped = u.wrapped FROM unnest($1::text[], $2::bytea[]) AS u(subject, wrapped) WHERE d.subject = u.subject`,
          [rows.map((r) => r.subject), rewrapped],
        );
        done += rows.length;
        after = rows[rows.length - 1].subject;
        onProgress?.(done, total);
      }
      return done;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  // -------------------------------------------------------------------------------------------------------

  private async keyFor(subject: Subject, create: boolean): Promise<Buffer | null> {
    // Making a key looks the subject up in the same statement (an existing key is returned, an erased subject
    // gets none), so a subject not in the cache costs one round trip, not a look-up and then an insert.
    if (!create) await this.load([subject]);
    const entry = this.cache.get(subject);
    if (entry && 'key' in entry) return entry.key;
    if ((entry && 'erased' in entry) || !create) return null;
    const fresh = newDataKey();
    const { rows } = await this.pool.query<{ wrapped: Buffer }>(
      `INSERT INTO key_store.data_keys (subject, wrapped)
       SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM key_store.erased_subjects WHERE subject = $1)
       ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject
       RETURNING wrapped`,
      [subject, wrapKey(this.masterKey, `data:${subject}`, fresh)],
    );
    if (!rows[0]) {
      this.remember(subject, { erased: true });
      return null;
    }
    let key: Buffer;
    try {
      key = unwrapKey(this.masterKey, `data:${subject}`, rows[0].wrapped);
    } catch {
      throw new MasterKeyMismatchError();
    }
    this.remember(subject, { key });
    return key;
  }

  /** Brings the given subjects' keys (or their erasure) into the cache, in one query for all that are missing. */
  private async load(subjects: readonly Subject[], stale: (entry: CacheEntry) => boolean = () => false): Promise<void> {
    const missing = [...new Set(subjects)].filter((s) => {
      const entry = this.cache.get(s);
      return !entry || stale(entry);
    });
    if (missing.length === 0) return;
    const { rows } = await this.pool.query<{ subject: string; wrapped: Buffer | null; erased: boolean }>(
      `SELECT s.subject, d.wrapped, e.subject IS NOT NULL AS erased
         FROM unnest($1::text[]) AS s(subject)
         LEFT JOIN key_store.data_keys d USING (subject)
         LEFT JOIN key_store.erased_subjects e USING (subject)`,
      [missing],
    );
    for (const row of rows) {
      if (row.erased) this.remember(row.subject, { erased: true });
      else if (row.wrapped) {
        let key: Buffer;
        try {
          key = unwrapKey(this.masterKey, `data:${row.subject}`, row.wrapped);
        } catch {
          throw new MasterKeyMismatchError();
        }
        this.remember(row.subject, { key });
      } else this.remember(row.subject, { absent: true });
    }
  }

  private remember(subject: Subject, entry: CacheEntry): void {
    this.cache.delete(subject);
    this.cache.set(subject, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as Subject);
  }

  /** Another process erased someone: forget the key here too. */
  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'asuh-key-store-listener' });
    client.on('error', () => {
      // Without the listener, a key destroyed elsewhere stays cached here until evicted; reconnect lazily.
      this.listener = undefined;
      this.cache.clear();
    });
    client.on('notification', (message) => {
      if (message.payload) this.remember(message.payload, { erased: true });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      this.listener = client;
    } catch {
      await client.end().catch(() => undefined);
    }
  }
}

async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
