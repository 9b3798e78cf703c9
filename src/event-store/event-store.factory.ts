import { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreConfig {
  databaseUrl: string;
  eventStoreUrl?: string;
  /** Bound of every PostgreSQL or EventStoreDB call (ASUH_DB_TIMEOUT_MS); unset: unbounded. */
  timeoutMs?: number;
}

/** `EVENTSTORE_URL` selects EventStoreDB; otherwise events live in PostgreSQL next to the read models. */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.eventStoreUrl) {
    // Loaded lazily so the PostgreSQL default never pulls in the gRPC client.
    const { EsdbEventStore } = await import('./eventstoredb/esdb-event-store');
    return EsdbEventStore.connect(config.eventStoreUrl, { timeoutMs: config.timeoutMs });
  }
  return PostgresEventStore.connect(config.databaseUrl, { timeoutMs: config.timeoutMs });
}
