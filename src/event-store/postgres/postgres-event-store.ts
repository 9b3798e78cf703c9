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
import { isPostgresUnavailable } from './pg-errors';

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
  /**
   * Append statements in flight at once (default 4). Appends arriving meanwhile wait, and the next
   * statement writes all of them in one transaction, each checked and written or refused on its own.
   */
  maxConcurrentAppends?: number;
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

interface QueuedAppend {
  appends: StreamAppend[];
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}

const eventCount = (queued: QueuedAppend): number => queued.appends.reduce((n, a) => n + a.events.length, 0);

/**
 * Appends of up to this many events wait for a statement of their own and share it with others; larger
 * ones are written at once, alone. A statement carries at most GROUP_EVENTS_LIMIT events of waiting appends.
 */
const GROUPED_APPEND_EVENTS = 10;
const GROUP_EVENTS_LIMIT = 500;

/** How often an append whose expectation still holds goes again after losing a race (see translateAppendError). */
const RACE_RETRIES = 50;
const RETRY = Symbol('retry');

const SELECT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created';

/**
 * Sessions of the service that never write events (their `application_name`): the projector, rebuilds and
 * verify, the API's read-model pool, the key store. Their transactions do not hold readers back.
 */
export const SESSIONS_THAT_NEVER_APPEND = [
  'asuh-projector',
  'asuh-projector-lock',
  'asuh-rebuild',
  'asuh-replay',
  'asuh-verify',
  'asuh-api',
  'asuh-key-store',
  'asuh-key-store-listener',
  'asuh-event-store-listener',
] as const;

/**
 * Readers only see events of finished transactions: anything at or above this bound may still be
 * joined by an in-flight transaction's events (see postgres-event-store.schema.ts). The bound is the
 * oldest transaction still in flight that may append here. Transaction ids are shared by the whole server,
 * so a transaction is set aside when pg_stat_activity shows it in another database (another deployment, a
 * test run, a long import elsewhere on the same server can never write these events), or in one of this
 * service's sessions that never append (a projector batch or a blue-green rebuild writing read models in
 * the same database must not stop the log from being read). When that cannot be seen (a race with its
 * start, or a role without the right to read other sessions' xids) it counts, which only delays readers,
 * never makes them skip an event. No transaction in flight: the snapshot's xmax, beyond every id handed out.
 */
const VISIBLE_BOUND_SQL = `((
  SELECT coalesce(min(x.xid::text::bigint), max(s.xmax))
    FROM (SELECT snap, pg_snapshot_xmax(snap)::text::bigint AS xmax FROM pg_current_snapshot() AS snap) s
    LEFT JOIN LATERAL pg_snapshot_xip(s.snap) AS x(xid)
      ON NOT EXISTS (
           SELECT 1 FROM pg_stat_activity a
            WHERE a.backend_xid IS NOT NULL
              AND a.backend_xid::text::bigint = x.xid::text::bigint % 4294967296
              AND (a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database())
                   OR a.application_name IN (${SESSIONS_THAT_NEVER_APPEND.map((name) => `'${name}'`).join(', ')})))
) * ${EVENTS_PER_APPEND_LIMIT})`;

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
  private readonly maxConcurrentAppends: number;
  private readonly waiting: QueuedAppend[] = [];
  private appendsInFlight = 0;
  private readonly timeoutMs?: number;

  private constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
    options: PostgresEventStoreOptions,
  ) {
    this.readBatchSize = options.readBatchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.notifyIntervalMs = options.notifyIntervalMs ?? 10;
    this.maxConcurrentAppends = Math.max(1, options.maxConcurrentAppends ?? 4);
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
    if (events.length >= EVENTS_PER_APPEND_LIMIT) throw new RangeError(`An append of ${events.length} events is more than ${EVENTS_PER_APPEND_LIMIT - 1}`);
    const [result] = await this.enqueue([{ streamId, events, expectedRevision }]);
    return result;
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    let total = 0;
    for (const append of appends) {
      if (append.events.length === 0) throw new RangeError(`appendToStreams needs at least one event for ${append.streamId}`);
      total += append.events.length;
    }
    if (total >= EVENTS_PER_APPEND_LIMIT) throw new RangeError(`An append of ${total} events is more than ${EVENTS_PER_APPEND_LIMIT - 1}`);
    if (new Set(appends.map((a) => a.streamId)).size < appends.length) {
      const results = await this.retryingRaces(appends, () => this.appendInSequence(appends));
      this.announceAppend();
      return results;
    }
    return this.enqueue(appends);
  }

  /**
   * Appends wait here while `maxConcurrentAppends` statements are in flight; each statement that finishes
   * takes every waiting append it can (up to GROUP_EVENTS_LIMIT events, no stream twice) into the next
   * one. One transaction then carries many appends, each still checked and written or refused on its own.
   */
  private enqueue(appends: StreamAppend[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      const queued = { appends, resolve, reject };
      if (eventCount(queued) > GROUPED_APPEND_EVENTS) {
        // Large appends already spread a transaction's cost over many events: they go at once, alone.
        this.appendsInFlight++;
        void this.writeAlone(queued).finally(() => {
          this.appendsInFlight--;
          this.startWrites();
        });
        return;
      }
      this.waiting.push(queued);
      this.startWrites();
    });
  }

  private startWrites(): void {
    while (this.appendsInFlight < this.maxConcurrentAppends && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.appendsInFlight++;
      void this.write(group).finally(() => {
        this.appendsInFlight--;
        this.startWrites();
      });
    }
  }

  /** The first waiting append, and after it, in order, those that fit (another stream, within the size). */
  private takeGroup(): QueuedAppend[] {
    const group = [this.waiting.shift()!];
    const streams = new Set(group[0].appends.map((a) => a.streamId));
    let events = eventCount(group[0]);
    for (let i = 0; i < this.waiting.length && events < GROUP_EVENTS_LIMIT; ) {
      const next = this.waiting[i];
      const size = eventCount(next);
      if (events + size <= GROUP_EVENTS_LIMIT && next.appends.every((a) => !streams.has(a.streamId))) {
        group.push(next);
        this.waiting.splice(i, 1);
        next.appends.forEach((a) => streams.add(a.streamId));
        events += size;
      } else {
        i++;
      }
    }
    return group;
  }

  private async write(group: QueuedAppend[]): Promise<void> {
    if (group.length === 1) return this.writeAlone(group[0]);
    let outcomes: Array<AppendResult[] | WrongExpectedRevisionError>;
    try {
      outcomes = await this.appendUnits(group.map((queued) => queued.appends));
    } catch (error) {
      // A statement carrying several callers' appends failed as a whole (a race lost to another writer,
      // an event id used twice, ...): each goes again on its own, so that each caller gets its own outcome.
      const translated = this.translate(error);
      if (translated instanceof EventStoreUnavailableError) {
        group.forEach((queued) => queued.reject(translated));
        return;
      }
      await Promise.all(group.map((queued) => this.writeAlone(queued)));
      return;
    }
    if (outcomes.some((outcome) => !(outcome instanceof WrongExpectedRevisionError))) this.announceAppend();
    outcomes.forEach((outcome, i) => (outcome instanceof WrongExpectedRevisionError ? group[i].reject(outcome) : group[i].resolve(outcome)));
  }

  private async writeAlone(queued: QueuedAppend): Promise<void> {
    const { appends } = queued;
    try {
      const results = await this.retryingRaces(appends, async () => {
        if (appends.length === 1 && appends[0].events.length === 1) return [await this.appendOne(appends[0])];
        const [outcome] = await this.appendUnits([appends]);
        if (outcome instanceof WrongExpectedRevisionError) throw outcome;
        return outcome;
      });
      this.announceAppend();
      queued.resolve(results);
    } catch (error) {
      queued.reject(error);
    }
  }

  /** Runs `append` again after it lost a race while its expectations still hold (see translateAppendError). */
  private async retryingRaces(appends: StreamAppend[], append: () => Promise<AppendResult[]>): Promise<AppendResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await append();
      } catch (error) {
        const refusal = await this.translateAppendError(error, appends, attempt);
        if (refusal !== RETRY) throw refusal;
      }
    }
  }

  /** One event to one stream: the common case, one prepared statement with the event's fields as its parameters. */
  private async appendOne({ streamId, events: [event], expectedRevision }: StreamAppend): Promise<AppendResult> {
    const { rows } = await this.pool.query<{ actual: string | null; position: string | null }>({
      name: 'asuh_event_store_append_one',
      text: APPEND_ONE_SQL,
      values: [streamId, expectedCode(expectedRevision), event.id, event.type, event.data, event.metadata],
    });
    const actual = rows[0].actual === null ? null : BigInt(rows[0].actual);
    if (rows[0].position === null) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual ?? 'no_stream');
    return { nextExpectedRevision: (actual ?? -1n) + 1n, position: BigInt(rows[0].position) };
  }

  /**
   * Units of appends to distinct streams in one statement (APPEND_SQL): per unit, its results, or the
   * refusal of its first append whose expected revision did not hold (the unit then wrote nothing).
   */
  private async appendUnits(units: StreamAppend[][]): Promise<Array<AppendResult[] | WrongExpectedRevisionError>> {
    const { rows } = await this.pool.query<{ unit: number; ok: boolean | null; actual: string | null; next_revision: string | null; last_position: string | null }>({
      name: 'asuh_event_store_append',
      text: APPEND_SQL,
      values: [
        JSON.stringify(units.flatMap((appends, unit) => appends.map((a) => ({ unit, stream: a.streamId, expected: expectedCode(a.expectedRevision), count: a.events.length })))),
        JSON.stringify(units.flatMap((appends) => appends.flatMap((a) => a.events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))))),
      ],
    });
    let row = 0;
    return units.map((appends) => {
      const own = rows.slice(row, (row += appends.length));
      const refused = own.findIndex((r) => r.ok !== true);
      if (refused >= 0) {
        const actual = own[refused].actual;
        return new WrongExpectedRevisionError(appends[refused].streamId, appends[refused].expectedRevision, actual === null ? 'no_stream' : BigInt(actual));
      }
      return own.map((r) => ({ nextExpectedRevision: BigInt(r.next_revision!), position: BigInt(r.last_position!) }));
    });
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

/**
 * Catch-up subscription: reads pages after its position, the next one while the current one is consumed
 * (while catching up); notifications (or the poll timer) wake it.
 */
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
    /** The next page, read while the consumer works through the current one when that one was full. */
    let ahead: Promise<RecordedEvent[]> | null = null;
    try {
      while (!this.stopped) {
        signalled = false;
        const page = await (ahead ?? this.store.readAll({ after: this.position, maxCount: this.batchSize }));
        ahead = null;
        const full = page.length === this.batchSize;
        if (full) {
          ahead = this.store.readAll({ after: page[page.length - 1].position, maxCount: this.batchSize });
          ahead.catch(() => undefined); // awaited on the next round, unless the subscription ends first
        }
        for (const event of page) {
          if (this.stopped) return;
          this.position = event.position;
          yield event;
        }
        if (full) continue;
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
