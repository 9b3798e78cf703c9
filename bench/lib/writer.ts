import { Pool } from 'pg';
import { createEventCodec, EVENT_CATALOG } from '../../src/event-catalog';
import { EventCatalog, type EventSchemas } from '../../src/event-sourcing/event-catalog';
import { EventCodec } from '../../src/event-sourcing/event-codec';
import type { CommandContext } from '../../src/event-sourcing/event-metadata';
import { reservationStream, type UniqueKeyKind } from '../../src/event-sourcing/unique-keys';
import type { NewEvent } from '../../src/event-store/event-store.port';
import { newDataKey, newMasterKey, wrapKey } from '../../src/personal-data/sealing';
import { PersonalDataVault } from '../../src/personal-data/vault';
import type { DomainEvent } from '../../src/shared/domain-event';
import { DEFAULT_POLICY } from '../../src/shared/policy';

/** The deployment settings the bench's service runs with (the app's defaults). */
export const BENCH_TIMEZONE = 'Asia/Jakarta';

/**
 * How the bench writes events: exactly as the service does, through the real EventCodec (current schema
 * versions, business dates, hash chain, personal fields sealed with each person's data key) and the vault of
 * the bench database under a real master key, which every process of the run (app, projector, rebuild) opens.
 * Reservation streams are named by the vault's keyed hash, as the service names them.
 *
 * `sealed: false` gives the comparison side of the encryption-overhead section only: the same codec and
 * catalog except that no type's personal fields are sealed (written in clear text, as before sealing existed).
 */
export class EventWriter {
  private constructor(
    readonly vault: PersonalDataVault,
    readonly codec: EventCodec,
    readonly masterKey: string,
    readonly sealed: boolean,
    private readonly url: string,
  ) {}

  static async open(url: string, options: { masterKey?: string; sealed?: boolean } = {}): Promise<EventWriter> {
    const masterKey = options.masterKey ?? newMasterKey();
    // A cache as large as the city, so that sealing a city never looks a key up twice.
    const vault = await PersonalDataVault.open(url, masterKey, { cacheSize: 1_000_000 });
    const sealed = options.sealed ?? true;
    const codec = sealed ? createEventCodec({ timezone: BENCH_TIMEZONE, policy: DEFAULT_POLICY }, vault) : clearTextCodec(vault);
    return new EventWriter(vault, codec, masterKey, sealed, url);
  }

  encode(events: DomainEvent[], context: CommandContext, prevHash: string | null): Promise<NewEvent[]> {
    return this.codec.encode(events, context, prevHash);
  }

  reservationStream(kind: UniqueKeyKind, value: string): string {
    return reservationStream(this.vault, kind, value);
  }

  /**
   * Data keys for people about to be written, made and wrapped as the vault makes them (one key per subject,
   * wrapped by the master key, bound to the subject), in bulk rather than one INSERT per person, then loaded
   * into the vault's cache. Only a loading shortcut: the codec seals with them exactly as with keys it made.
   */
  async prepareSubjects(subjects: readonly string[]): Promise<void> {
    if (!this.sealed || subjects.length === 0) return;
    const pool = new Pool({ connectionString: this.url, max: 1, application_name: 'asuh-bench-keys' });
    try {
      for (let i = 0; i < subjects.length; i += 5000) {
        const chunk = subjects.slice(i, i + 5000);
        await pool.query(
          `INSERT INTO key_store.data_keys (subject, wrapped) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (subject) DO NOTHING`,
          [chunk, chunk.map((subject) => wrapKey(Buffer.from(this.masterKey, 'hex'), `data:${subject}`, newDataKey()))],
        );
        await this.vault.erased(chunk);
      }
    } finally {
      await pool.end();
    }
  }

  close(): Promise<void> {
    return this.vault.close();
  }
}

/** The product's catalog with sealing switched off for every type (comparison side only, see EventWriter). */
export function clearTextCodec(vault: PersonalDataVault): EventCodec {
  const schemas: Record<string, EventSchemas[string]> = {};
  for (const type of EVENT_CATALOG.types()) {
    const schema = EVENT_CATALOG.schemaOf(type)!;
    schemas[type] = schema.personal ? { ...schema, personal: { ...schema.personal, sealedFrom: Number.MAX_SAFE_INTEGER } } : schema;
  }
  return new EventCodec(new EventCatalog(schemas), { timeZone: BENCH_TIMEZONE, policy: DEFAULT_POLICY }, vault);
}
