import { join } from 'node:path';
import type { AppConfig } from '../src/config/config';
import { createEventStore } from '../src/event-store/event-store.factory';
import type { EventStore } from '../src/event-store/event-store.port';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/infra/embedded-postgres';
import { createEventCodec } from '../src/event-catalog';
import type { EventCodec } from '../src/event-sourcing/event-codec';
import { openVault } from '../src/personal-data/open-vault';
import type { PersonalDataVault } from '../src/personal-data/vault';

/**
 * What the read side's own processes (projections/main.ts, rebuild-cli.ts) need from the environment,
 * resolved the way the API resolves it, so all of them meet in the same database and event store.
 */

/**
 * The event store the environment names: EventStoreDB with EVENTSTORE_URL, else PostgreSQL at `databaseUrl`,
 * every call bounded by ASUH_DB_TIMEOUT_MS (reads go in batches, so a rebuild's reads are bounded too).
 */
export function createEventStoreFromEnv(config: Pick<AppConfig, 'eventStoreUrl' | 'dbTimeoutMs'>, databaseUrl: string): Promise<EventStore> {
  return createEventStore({ databaseUrl, eventStoreUrl: config.eventStoreUrl, timeoutMs: config.dbTimeoutMs });
}

/** The read path of the log for a read-side process: the codec with the vault (which must be closed after use). */
export async function readPathFromEnv(config: AppConfig, databaseUrl: string, log: (line: string) => void): Promise<{ codec: EventCodec; vault: PersonalDataVault }> {
  const vault = await openVault(config, databaseUrl, log);
  return { codec: createEventCodec(config, vault), vault };
}

/** DATABASE_URL, or the embedded PostgreSQL under ASUH_DATA_DIR (reused when the API already runs it). */
export async function readModelDatabaseFromEnv(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'embeddedPostgresPort'>,
  log: (line: string) => void,
): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), config.embeddedPostgresPort, log);
  return { url: embedded.url, embedded };
}
