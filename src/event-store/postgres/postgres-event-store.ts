import { EventEmitter } from 'node:events';
import { Client, DatabaseError, Pool, PoolConfig } from 'pg';
import {
  AllSubscription,
  AppendResult,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { EVENTS_PER_APPEND_LIMIT, eventStoreSchemaSql } from './postgres-event-store.schema';
import { isPostgresUnavailable } from './pg-errors';

export interface PostgresEventStoreOptions {
  /** Connections in the pool (default 20). */
  poolSize?: number;
  /** Events fetched per read of the whole log (default 1000). */
  readBatchSize?: number;
  /** Fallback polling interval of subscriptions when no notification arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /**
   * Bound of every call (ASUH_DB_TIMEOUT_MS): getting a connection, each statement, a transaction left
   * idle, and a server that does not answer at all. Unset: unbounded (benchmarks, maintenance tools).
   */
  timeoutMs?: number;
}

/**
 * node-postgres settings bounding every call by `timeoutMs` (the read models' pools use the same, see
 * projections/data-source.ts boundedPoolOptions): the server cancels a statement after it (57014), ends a
 * session idle in a transaction (25P03); the client gives up connecting (or waiting for a pooled
 * connection) after it, and waits for an answer a moment longer than the statement may run, for a
 * server that does not answer at all (frozen, or behind a dead link): "Query read timeout".
 */
function timeoutSettings(timeoutMs: number | undefined): Partial<PoolConfig> {
  if (!timeoutMs) return {};
  return {
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs,
    query_timeout: timeoutMs + Math.min(1000, Math.ceil(timeoutMs / 4)),
  };
}

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created: Date;
}

const NOTIFY_CHANNEL = 'event_store_appended';
const SCHEMA_LOCK_KEY = 7_202_611_230;

const toRecorded = (row: EventRow): RecordedEvent => ({
  streamId: row.stream_id,
  id: row.event_id,
  type: row.type,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
  data: row.data,
  metadata: row.metadata,
  created: row.created,
});

const SELECT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created';

/**
 * Readers only see events of finished transactions: anything at or above this bound may still be
 * joined by an in-flight transaction's events (see postgres-event-store.schema.ts).
 */
const VISIBLE_BOUND_SQL = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${EVENTS_PER_APPEND_LIMIT})`;

/** The embedded default event store: an append-only table in PostgreSQL. */
export class PostgresEventStore implements EventStore {
  private readonly wakeUps = new EventEmitter();
  private listener?: Client;
  private listenerStarting?: Promise<void>;
  private closed = false;
  private notifying = false;
  private notifyAgain = false;
  private readonly readBatchSize: number;
  private readonly pollIntervalMs: number;
  private readonly timeoutMs?: number;

  private constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
    options: PostgresEventStoreOptions,
  ) {
    this.readBatchSize = options.readBatchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.timeoutMs = options.timeoutMs;
    this.wakeUps.setMaxListeners(0);
  }

  /** Connects and creates the schema if it is not there yet. */
  static async connect(connectionString: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const config: PoolConfig = {
      connectionString,
      max: options.poolSize ?? 20,
      application_name: 'asuh-event-store',
      ...timeoutSettings(options.timeoutMs),
    };
    const pool = new Pool(config);
    pool.on('error', () => undefined);
    const store = new PostgresEventStore(pool, connectionString, options);
    await store.ensureSchema();
    return store;
  }

  private async ensureSchema(): Promise<void> {
    const client = await this.connectClient();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
      await client.query(eventStoreSchemaSql);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async connectClient() {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw new EventStoreUnavailableError('PostgreSQL event store unreachable', error);
    }
  }

  private async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      const result = await this.pool.query(sql, params);
      return result.rows as T[];
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): unknown {
    if (isPostgresUnavailable(error)) return new EventStoreUnavailableError('PostgreSQL event store unavailable', error);
    return error;
  }

  async appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const expected = typeof expectedRevision === 'bigint' ? expectedRevision.toString() : expectedRevision;
    const payload = JSON.stringify(events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })));
    try {
      const { rows } = await this.pool.query<{ next_revision: string; last_position: string }>(
        'SELECT next_revision, last_position FROM event_store.append_events($1, $2, $3::jsonb)',
        [streamId, expected, payload],
      );
      this.announceAppend();
      return { nextExpectedRevision: BigInt(rows[0].next_revision), position: BigInt(rows[0].last_position) };
    } catch (error) {
      throw this.translateAppendError(error, () => expectedRevision);
    }
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    for (const append of appends) {
      if (append.events.length === 0) throw new RangeError(`appendToStreams needs at least one event for ${append.streamId}`);
    }
    const payload = JSON.stringify(
      appends.map(({ streamId, events, expectedRevision }) => ({
        stream: streamId,
        expected: typeof expectedRevision === 'bigint' ? expectedRevision.toString() : expectedRevision,
        events: events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
      })),
    );
    try {
      const { rows } = await this.pool.query<{ ordinal: string; next_revision: string; last_position: string }>(
        'SELECT ordinal, next_revision, last_position FROM event_store.append_to_streams($1::jsonb) ORDER BY ordinal',
        [payload],
      );
      this.announceAppend();
      return rows.map((row) => ({ nextExpectedRevision: BigInt(row.next_revision), position: BigInt(row.last_position) }));
    } catch (error) {
      throw this.translateAppendError(error, (streamId) => appends.find((a) => a.streamId === streamId)?.expectedRevision ?? 'any');
    }
  }

  /** The function's AS409 names the stream (HINT) and its actual revision (DETAIL). */
  private translateAppendError(error: unknown, expectedOf: (streamId: string) => ExpectedRevision): unknown {
    if (error instanceof DatabaseError && error.code === 'AS409') {
      const streamId = error.hint ?? '';
      const actual = error.detail === 'no_stream' || !error.detail ? 'no_stream' : BigInt(error.detail);
      return new WrongExpectedRevisionError(streamId, expectedOf(streamId), actual);
    }
    return this.translate(error);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [streamId];
    let where = 'stream_id = $1';
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision.toString());
      where += backwards ? ` AND revision <= $${params.length}` : ` AND revision >= $${params.length}`;
    }
    let limit = '';
    if (options.maxCount !== undefined) {
      params.push(options.maxCount);
      limit = ` LIMIT $${params.length}`;
    }
    const rows = await this.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM event_store.events WHERE ${where} ORDER BY revision ${backwards ? 'DESC' : 'ASC'}${limit}`,
      params,
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const rows = await this.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM event_store.events
        WHERE position > $1 AND position < ${VISIBLE_BOUND_SQL}
        ORDER BY position LIMIT $2`,
      [(options.after ?? 0n).toString(), options.maxCount ?? this.readBatchSize],
    );
    return rows.map(toRecorded);
  }

  async headPosition(): Promise<bigint> {
    const rows = await this.query<{ head: string | null }>('SELECT max(position)::text AS head FROM event_store.events');
    return rows[0].head ? BigInt(rows[0].head) : 0n;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    return new PostgresAllSubscription(this, options.after ?? 0n, this.readBatchSize, this.pollIntervalMs);
  }

  /**
   * After an append committed: wakes this process's subscriptions at once, and other processes' through a
   * NOTIFY sent in a transaction of its own that commits asynchronously (it carries no data; a lost one
   * only delays a subscriber to its next poll). Appends that finish while a NOTIFY is in flight share the
   * next one, so a burst of appends costs a handful of notifications instead of one global lock per commit.
   */
  private announceAppend(): void {
    this.wakeUps.emit('appended');
    this.sendNotify();
  }

  private sendNotify(): void {
    if (this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    this.pool
      .query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify('${NOTIFY_CHANNEL}', '')`)
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.sendNotify();
        }
      });
  }

  /** @internal Registers for append notifications; returns the unregister function. */
  onAppended(listener: () => void): () => void {
    this.wakeUps.on('appended', listener);
    void this.ensureListener();
    return () => this.wakeUps.off('appended', listener);
  }

  private ensureListener(): Promise<void> {
    if (this.closed || this.listener) return Promise.resolve();
    if (!this.listenerStarting) {
      this.listenerStarting = (async () => {
        const client = new Client({
          connectionString: this.connectionString,
          application_name: 'asuh-event-store-listener',
          ...(this.timeoutMs ? { connectionTimeoutMillis: this.timeoutMs } : {}),
        });
        client.on('notification', () => this.wakeUps.emit('appended'));
        client.on('error', () => {
          // Polling keeps subscribers going; the next subscriber interest reconnects.
          this.listener = undefined;
          client.end().catch(() => undefined);
        });
        try {
          await client.connect();
          await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
          if (this.closed) {
            await client.end();
            return;
          }
          this.listener = client;
        } catch {
          await client.end().catch(() => undefined);
        } finally {
          this.listenerStarting = undefined;
        }
      })();
    }
    return this.listenerStarting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeUps.emit('closed');
    await this.listenerStarting;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}

/** Catch-up subscription: reads pages after its position; notifications (or the poll timer) wake it. */
class PostgresAllSubscription implements AllSubscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly store: PostgresEventStore,
    private position: bigint,
    private readonly batchSize: number,
    private readonly pollIntervalMs: number,
  ) {
    this.caughtUp = new Promise((resolve) => (this.resolveCaughtUp = resolve));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let signalled = false;
    const unregister = this.store.onAppended(() => {
      signalled = true;
      this.wake?.();
    });
    try {
      while (!this.stopped) {
        signalled = false;
        const page = await this.store.readAll({ after: this.position, maxCount: this.batchSize });
        for (const event of page) {
          if (this.stopped) return;
          this.position = event.position;
          yield event;
        }
        if (page.length === this.batchSize) continue;
        this.resolveCaughtUp();
        if (!signalled) await this.sleep();
      }
    } finally {
      unregister();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  async unsubscribe(): Promise<void> {
    this.stopped = true;
    this.wake?.();
  }
}
