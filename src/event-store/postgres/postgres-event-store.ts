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
import {
  APPEND_ONE_SQL,
  APPEND_SQL,
  EVENTS_PER_APPEND_LIMIT,
  EXPECTED_ANY,
  EXPECTED_NO_STREAM,
  EXPECTED_STREAM_EXISTS,
  eventStoreSchemaSql,
} from './postgres-event-store.schema';

export interface PostgresEventStoreOptions {
  /** Connections in the pool (default 20). */
  poolSize?: number;
  /** Events fetched per read of the whole log (default 1000). */
  readBatchSize?: number;
  /** Fallback polling interval of subscriptions when no notification arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /**
   * Least time between two NOTIFYs to other processes (default 10 ms): appends within it share the next
   * one. This process's own subscriptions are woken at once regardless.
   */
  notifyIntervalMs?: number;
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
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P03', '08006', '08001']);

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

/** The expected revision as the append statements take it (see EXPECTED_* in the schema). */
function expectedCode(expected: ExpectedRevision): string {
  if (typeof expected === 'bigint') return expected.toString();
  if (expected === 'no_stream') return EXPECTED_NO_STREAM.toString();
  if (expected === 'any') return EXPECTED_ANY.toString();
  return EXPECTED_STREAM_EXISTS.toString();
}

function meetsExpectation(actual: bigint | null, expected: ExpectedRevision): boolean {
  if (typeof expected === 'bigint') return actual === expected;
  if (expected === 'no_stream') return actual === null;
  if (expected === 'stream_exists') return actual !== null;
  return true;
}

/** A concurrent append took the revision this one was about to write (it waited for it to commit). */
const lostRevisionRace = (error: unknown): boolean =>
  error instanceof DatabaseError && error.code === '23505' && error.constraint === 'events_stream_revision_key';

/** How often an append whose expectation still holds goes again after losing a race (see translateAppendError). */
const RACE_RETRIES = 50;
const RETRY = Symbol('retry');

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
  private readonly notifyIntervalMs: number;

  private constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
    options: PostgresEventStoreOptions,
  ) {
    this.readBatchSize = options.readBatchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.notifyIntervalMs = options.notifyIntervalMs ?? 10;
    this.wakeUps.setMaxListeners(0);
  }

  /** Connects and creates the schema if it is not there yet. */
  static async connect(connectionString: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const config: PoolConfig = { connectionString, max: options.poolSize ?? 20, application_name: 'asuh-event-store' };
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
    const code = (error as { code?: string }).code;
    if (code && CONNECTION_ERROR_CODES.has(code)) {
      return new EventStoreUnavailableError('PostgreSQL event store unreachable', error);
    }
    return error;
  }

  async appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    if (events.length === 1) return this.appendOne(streamId, events[0], expectedRevision);
    const [result] = await this.appendToStreams([{ streamId, events, expectedRevision }]);
    return result;
  }

  /** The common case, one event: one prepared statement with the event's fields as its parameters. */
  private async appendOne(streamId: string, event: NewEvent, expectedRevision: ExpectedRevision): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      let row: { actual: string | null; position: string | null };
      try {
        const { rows } = await this.pool.query<{ actual: string | null; position: string | null }>({
          name: 'asuh_event_store_append_one',
          text: APPEND_ONE_SQL,
          values: [streamId, expectedCode(expectedRevision), event.id, event.type, event.data, event.metadata],
        });
        row = rows[0];
      } catch (error) {
        const refusal = await this.translateAppendError(error, [{ streamId, expectedRevision }], attempt);
        if (refusal === RETRY) continue;
        throw refusal;
      }
      const actual = row.actual === null ? null : BigInt(row.actual);
      if (row.position === null) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual ?? 'no_stream');
      this.announceAppend();
      return { nextExpectedRevision: (actual ?? -1n) + 1n, position: BigInt(row.position) };
    }
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    let total = 0;
    for (const append of appends) {
      if (append.events.length === 0) throw new RangeError(`appendToStreams needs at least one event for ${append.streamId}`);
      total += append.events.length;
    }
    if (total >= EVENTS_PER_APPEND_LIMIT) throw new RangeError(`An append of ${total} events is more than ${EVENTS_PER_APPEND_LIMIT - 1}`);
    const distinct = new Set(appends.map((a) => a.streamId)).size === appends.length;
    for (let attempt = 1; ; attempt++) {
      try {
        const results = distinct ? await this.appendDistinct(appends) : await this.appendInSequence(appends);
        this.announceAppend();
        return results;
      } catch (error) {
        const refusal = await this.translateAppendError(error, appends, attempt);
        if (refusal === RETRY) continue;
        throw refusal;
      }
    }
  }

  /** Distinct streams: one statement checks every expected revision against the log as it was, then writes all or nothing. */
  private async appendDistinct(appends: StreamAppend[]): Promise<AppendResult[]> {
    const { rows } = await this.pool.query<{ ok: boolean | null; actual: string | null; next_revision: string | null; last_position: string | null }>({
      name: 'asuh_event_store_append',
      text: APPEND_SQL,
      values: [
        JSON.stringify(appends.map((a) => ({ stream: a.streamId, expected: expectedCode(a.expectedRevision), count: a.events.length }))),
        JSON.stringify(appends.flatMap((a) => a.events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })))),
      ],
    });
    const refused = rows.findIndex((row) => row.ok !== true);
    if (refused >= 0) {
      const actual = rows[refused].actual;
      throw new WrongExpectedRevisionError(appends[refused].streamId, appends[refused].expectedRevision, actual === null ? 'no_stream' : BigInt(actual));
    }
    return rows.map((row) => ({ nextExpectedRevision: BigInt(row.next_revision!), position: BigInt(row.last_position!) }));
  }

  /** A stream named more than once: its later appends must see its earlier ones, so they run one after another in one statement. */
  private async appendInSequence(appends: StreamAppend[]): Promise<AppendResult[]> {
    const payload = JSON.stringify(
      appends.map(({ streamId, events, expectedRevision }) => ({
        stream: streamId,
        expected: typeof expectedRevision === 'bigint' ? expectedRevision.toString() : expectedRevision,
        events: events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
      })),
    );
    const { rows } = await this.pool.query<{ ordinal: string; next_revision: string; last_position: string }>(
      'SELECT ordinal, next_revision, last_position FROM event_store.append_to_streams($1::jsonb) ORDER BY ordinal',
      [payload],
    );
    return rows.map((row) => ({ nextExpectedRevision: BigInt(row.next_revision), position: BigInt(row.last_position) }));
  }

  /**
   * Refused appends become WrongExpectedRevisionError naming the stream and its actual revision: AS409
   * from `append_events` says both. A lost race (23505 on the revision key, raised once the winner has
   * committed) is judged by the log as it is now: the first append whose expectation no longer holds is
   * refused; when every one still holds, the race was over a stream appended with 'any' or
   * 'stream_exists', and the append goes again (RETRY).
   */
  private async translateAppendError(
    error: unknown,
    appends: Array<Pick<StreamAppend, 'streamId' | 'expectedRevision'>>,
    attempt: number,
  ): Promise<unknown> {
    if (error instanceof DatabaseError && error.code === 'AS409') {
      const streamId = error.hint ?? '';
      const actual = error.detail === 'no_stream' || !error.detail ? 'no_stream' : BigInt(error.detail);
      return new WrongExpectedRevisionError(streamId, appends.find((a) => a.streamId === streamId)?.expectedRevision ?? 'any', actual);
    }
    if (!lostRevisionRace(error)) return this.translate(error);
    let actualOf: Map<string, bigint>;
    try {
      const { rows } = await this.pool.query<{ stream_id: string; revision: string }>(
        'SELECT stream_id, max(revision) AS revision FROM event_store.events WHERE stream_id = ANY($1) GROUP BY stream_id',
        [appends.map((a) => a.streamId)],
      );
      actualOf = new Map(rows.map((row) => [row.stream_id, BigInt(row.revision)]));
    } catch (lookupError) {
      return this.translate(lookupError);
    }
    const refused = appends.find((a) => !meetsExpectation(actualOf.get(a.streamId) ?? null, a.expectedRevision));
    if (refused) return new WrongExpectedRevisionError(refused.streamId, refused.expectedRevision, actualOf.get(refused.streamId) ?? 'no_stream');
    return attempt < RACE_RETRIES ? RETRY : error;
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
   * only delays a subscriber to its next poll). After a quiet spell the first append notifies at once;
   * appends that finish while a NOTIFY is in flight or within `notifyIntervalMs` after it share the next
   * one. One NOTIFY per append cost a fifth of single-writer append throughput (a second transaction per
   * append, and a wake-up and a read for every listening process); spaced out, a steady stream of appends
   * costs at most 100 notifications a second, and a subscriber elsewhere hears of an append at most that
   * interval later.
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
        const next = setTimeout(() => {
          this.notifying = false;
          if (this.notifyAgain) {
            this.notifyAgain = false;
            this.sendNotify();
          }
        }, this.notifyIntervalMs);
        next.unref();
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
        const client = new Client({ connectionString: this.connectionString, application_name: 'asuh-event-store-listener' });
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
