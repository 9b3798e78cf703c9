/**
 * EventStoreDB adapter of the event-store port, over `@eventstore/db-client` (gRPC).
 * This folder is the only code in the repository that imports that package.
 *
 * Mapping to the port:
 * - positions: see `esdb-positions.ts`. Self-committed events (every gRPC append) map to
 *   commit × 2^16 + 65535; events sharing a commit position (legacy transactions, migrated data) get
 *   distinct, increasing positions below it. Readers resume from the commit group's start and skip what
 *   is <= their cursor, so no event is skipped or delivered twice. Stream reads carry no position for
 *   transaction events (the server does not know it there); they report the head position at the time of
 *   the read instead, an upper bound that is safe for read-your-writes waits;
 * - reads and subscriptions of the whole log skip system events: event types starting with `$` (the
 *   server-side `excludeSystemEvents()` filter for subscriptions) and anything stored in a `$`-prefixed
 *   stream (link events, projection output, stream metadata);
 * - `after` is exclusive everywhere, even where the server is inclusive (forward `$all` reads);
 * - appends: the server refuses one over `MaxAppendSize` (1 MiB by default) as a whole; that becomes
 *   AppendTooLargeError. With `{ atomic: false }` the adapter writes such an append in parts under the
 *   limit instead (each part atomic, chained by revision). An append whose answer is lost (deadline, server
 *   timeout, dropped connection) may or may not have been written: it is resolved by sending the same
 *   events again (same ids, same expected revision), which the server recognises through its index for an
 *   exact revision or `no_stream`; for `any`/`stream_exists` the server only remembers recent event ids (a
 *   bounded cache), so the stream is read back for the events first, and they are re-sent only if absent.
 *   When the server answers an idempotent append without a position, the position is read back.
 * - credentials come from the connection string (`esdb://user:password@host:2113?tls=true&tlsCAFile=…`);
 *   refused credentials or a missing `$all` permission surface as EventStoreUnavailableError saying so.
 */
import {
  ANY,
  AccessDeniedError,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  ReadPosition,
  ResolvedEvent,
} from '@eventstore/db-client';
import {
  AllSubscription,
  AppendIncompleteError,
  AppendOptions,
  AppendOutcomeUnknownError,
  AppendResult,
  AppendTooLargeError,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { compareLogPositions, LogPosition, MAX_GROUP_SIZE, PositionOutOfRangeError, resumePoint, toPortPosition } from './esdb-positions';

/** Page size for `$all` reads; system events are dropped client-side, so a page may yield fewer. */
const ALL_PAGE_SIZE = 500;
/** Page size when looking backwards for the last non-system event. */
const HEAD_PAGE_SIZE = 32;
/** Page size when reading the rest of a commit group. */
const GROUP_PAGE_SIZE = 256;
/** `Position.FromInt64(-1, …)` on the server: "no commit position" sent as uint64 max. */
const NO_POSITION = 0xffff_ffff_ffff_ffffn;
/** Stream that never exists, read by `ping()`. */
const PING_STREAM = 'asuh-ping-never-written';
/** The server's default `MaxAppendSize`; lowered when a server reports a smaller one. */
const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;
/** Attempts to resolve an append whose outcome is unknown, after the first. */
const OUTCOME_RETRIES = 3;
/** How far back in the stream a lost `any`/`stream_exists` append is looked for. */
const READ_BACK_LIMIT = 4096;

export interface EsdbEventStoreOptions {
  /** Bytes per append when splitting a non-atomic append (default 1 MiB, the server's default limit). */
  maxAppendSize?: number;
  /**
   * Bound of every call (ASUH_DB_TIMEOUT_MS): the client's deadline of appends and other unary calls, and a
   * bound of our own on each read (the client reads streams without a deadline). Subscriptions stay open.
   * Beyond it, EventStoreUnavailableError. Unset: the client's defaults, reads unbounded.
   */
  timeoutMs?: number;
}

/** The connection string with the client's default deadline set, unless it names one itself. */
function withDefaultDeadline(connectionString: string, timeoutMs: number | undefined): string {
  if (!timeoutMs || /[?&]defaultDeadline=/i.test(connectionString)) return connectionString;
  return `${connectionString}${connectionString.includes('?') ? '&' : '?'}defaultDeadline=${timeoutMs}`;
}

export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private readonly groups = new CommitGroups((from) => this.readGroupFrom(from));
  private maxAppendSize: number;
  private readonly timeoutMs?: number;
  private closed = false;

  /** @param connectionString e.g. `esdb://localhost:2113?tls=false`, or with credentials and TLS. */
  constructor(connectionString: string, options: EsdbEventStoreOptions = {}) {
    this.client = EventStoreDBClient.connectionString(withDefaultDeadline(connectionString, options.timeoutMs));
    this.maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
    this.timeoutMs = options.timeoutMs;
  }

  /**
   * Same as the constructor (the client connects lazily, on first use); async for symmetry with the
   * PostgreSQL adapter. An unreachable server surfaces as `EventStoreUnavailableError` on first use.
   */
  static async connect(connectionString: string, options?: EsdbEventStoreOptions): Promise<EsdbEventStore> {
    return new EsdbEventStore(connectionString, options);
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    if (options.atomic === false) return this.appendInParts(streamId, events, expectedRevision);
    return this.appendResolvingOutcome(streamId, events, expectedRevision);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    try {
      const events = await this.collect(
        this.client.readStream(streamId, {
          direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
          fromRevision: options.fromRevision ?? (direction === 'forwards' ? START : END),
          maxCount,
        }),
        `read ${streamId}`,
      );
      let head: Promise<bigint> | undefined;
      const result: RecordedEvent[] = [];
      for (const resolved of events) {
        const position = rawPositionOf(resolved);
        // Events of legacy transactions: the server gives no position in stream reads.
        const portPosition = position ? await this.groups.portPosition(position) : await (head ??= this.headPosition());
        result.push(toRecordedEvent(resolved, portPosition));
      }
      return result;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    const after = options.after;
    const result: RecordedEvent[] = [];
    let from: ReadPosition = after === undefined ? START : resumePoint(after);
    let last: LogPosition | undefined; // the last event looked at, to continue the next page after it
    while (result.length < limit) {
      const page = await this.collect(
        this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: ALL_PAGE_SIZE }),
        'read $all',
      );
      for (const resolved of page) {
        const raw = requirePosition(resolved);
        if (last && compareLogPositions(raw, last) <= 0) continue; // forward reads include their start
        last = raw;
        if (isSystemEvent(resolved)) continue;
        const position = await this.groups.portPosition(raw);
        if (after !== undefined && position <= after) continue;
        result.push(toRecordedEvent(resolved, position));
        if (result.length >= limit) break;
      }
      if (page.length < ALL_PAGE_SIZE || !last) break;
      from = last;
    }
    return result;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const after = options.after;
    const subscription = this.client.subscribeToAll({
      fromPosition: after === undefined ? START : resumePoint(after),
      filter: excludeSystemEvents(),
    });
    const wrapper = new EsdbAllSubscription(
      subscription,
      after ?? -1n,
      this.headPosition(),
      (position) => this.groups.portPosition(position),
      () => this.subscriptions.delete(wrapper),
    );
    this.subscriptions.add(wrapper);
    return wrapper;
  }

  async headPosition(): Promise<bigint> {
    let from: ReadPosition = END;
    let last: LogPosition | undefined;
    for (;;) {
      const page = await this.collect(
        this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: HEAD_PAGE_SIZE }),
        'read $all backwards',
      );
      for (const resolved of page) {
        const raw = requirePosition(resolved);
        if (last && compareLogPositions(raw, last) >= 0) continue;
        last = raw;
        if (!isSystemEvent(resolved)) return this.groups.portPosition(raw);
      }
      if (page.length < HEAD_PAGE_SIZE || !last) return 0n;
      from = last;
    }
  }

  async ping(): Promise<void> {
    try {
      await this.collect(this.client.readStream(PING_STREAM, { maxCount: 1 }), 'ping');
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  /** Ends the subscriptions and the client's calls through its public API (`dispose`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
  }

  // ---------------------------------------------------------------- appends

  /** One atomic append; an unknown outcome is resolved by re-sending the same events or reading them back. */
  private async appendResolvingOutcome(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    let lastError: unknown;
    const started = Date.now();
    for (let attempt = 0; attempt <= OUTCOME_RETRIES; attempt++) {
      if (attempt > 0) {
        // Within the call bound, as a whole: a server that does not answer is not asked again and again.
        if (this.timeoutMs && Date.now() - started >= this.timeoutMs) break;
        await pause(attempt);
        if (expected === 'any' || expected === 'stream_exists') {
          // The server would recognise a repeat only while the ids are in its bounded cache: look first.
          const found = await this.findAppended(streamId, events).catch(() => undefined);
          if (found) return found;
        }
      }
      try {
        return await this.appendOnce(streamId, events, expected);
      } catch (error) {
        if (!isUnknownOutcome(error)) throw this.translateAppendError(error, streamId, events);
        lastError = error;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new AppendOutcomeUnknownError(
      streamId,
      `EventStoreDB did not confirm the append to ${streamId} (${reason}); ` +
        'it may or may not have been written, and sending the same events again is safe',
      lastError,
    );
  }

  private async appendOnce(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const proposed = events.map((event) => jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata }));
    let result;
    try {
      result = await this.withinBound(
        this.client.appendToStream(streamId, proposed, { expectedRevision: toClientExpectedRevision(expected) }),
        `append to ${streamId}`,
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw new WrongExpectedRevisionError(streamId, expected, error.actualVersion);
      throw error;
    }
    const position = result.position && result.position.commit !== NO_POSITION ? result.position : undefined;
    if (position) return { nextExpectedRevision: result.nextExpectedRevision, position: await this.groups.portPosition(position) };
    // An idempotent append may come back without a position: read the last event back.
    const [last] = await this.readStream(streamId, { fromRevision: result.nextExpectedRevision, maxCount: 1 });
    if (!last || last.id !== events[events.length - 1].id) {
      throw new EventStoreUnavailableError(`EventStoreDB confirmed the append to ${streamId} but its last event is not at revision ${result.nextExpectedRevision}`);
    }
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** The result of an earlier append of `events` if its last event is among the stream's recent events. */
  private async findAppended(streamId: string, events: NewEvent[]): Promise<AppendResult | undefined> {
    const lastId = events[events.length - 1].id;
    let from: bigint | undefined;
    let looked = 0;
    while (looked < READ_BACK_LIMIT) {
      const page = await this.readStream(streamId, { direction: 'backwards', fromRevision: from, maxCount: 256 });
      const found = page.find((event) => event.id === lastId);
      if (found) return { nextExpectedRevision: found.revision, position: found.position };
      looked += page.length;
      const oldest = page[page.length - 1];
      if (page.length < 256 || !oldest || oldest.revision === 0n) return undefined;
      from = oldest.revision - 1n;
    }
    return undefined;
  }

  /** A non-atomic append: parts under the size limit, each atomic, chained by revision. */
  private async appendInParts(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const sizes = events.map(sizeOnDisk);
    let written = 0;
    let nextExpected = expected;
    let last: AppendResult | undefined;
    while (written < events.length) {
      const limit = this.maxAppendSize;
      const tooBig = sizes.findIndex((size, i) => i >= written && size > limit);
      if (tooBig >= 0) {
        const error = new AppendTooLargeError(streamId, sizes[tooBig], limit);
        throw last ? new AppendIncompleteError(streamId, written, events.length, last, error) : error;
      }
      let end = written;
      for (let bytes = 0; end < events.length && bytes + sizes[end] <= limit; end++) bytes += sizes[end];
      try {
        last = await this.appendResolvingOutcome(streamId, events.slice(written, end), nextExpected);
      } catch (error) {
        if (error instanceof AppendTooLargeError && error.limit < limit) continue; // the server's limit is lower: split again
        if (!last) throw error;
        throw new AppendIncompleteError(streamId, written, events.length, last, error);
      }
      written = end;
      nextExpected = last.nextExpectedRevision;
    }
    return last!;
  }

  private translateAppendError(error: unknown, streamId: string, events: NewEvent[]): unknown {
    if (error instanceof MaxAppendSizeExceededError) {
      const limit = Number.isFinite(error.maxAppendSize) && error.maxAppendSize > 0 ? error.maxAppendSize : this.maxAppendSize;
      this.maxAppendSize = Math.min(this.maxAppendSize, limit);
      return new AppendTooLargeError(streamId, events.map(sizeOnDisk).reduce((a, b) => a + b, 0), limit);
    }
    return translate(error, `append to ${streamId}`);
  }

  // ---------------------------------------------------------------- reads

  /** The prepare positions of `from` and of the events after it that share its commit position. */
  private async readGroupFrom(from: LogPosition): Promise<bigint[]> {
    const prepares: bigint[] = [];
    let cursor: LogPosition = from;
    for (;;) {
      const page = await this.collect(
        this.client.readAll({ direction: FORWARDS, fromPosition: cursor, maxCount: GROUP_PAGE_SIZE }),
        'read $all',
      );
      for (const resolved of page) {
        const raw = requirePosition(resolved);
        if (raw.commit !== from.commit) return prepares;
        if (prepares.length === 0 || raw.prepare > prepares[prepares.length - 1]) prepares.push(raw.prepare);
      }
      if (page.length < GROUP_PAGE_SIZE) return prepares;
      if (prepares.length > MAX_GROUP_SIZE) {
        throw new PositionOutOfRangeError(`More than ${MAX_GROUP_SIZE} events share EventStoreDB commit position ${from.commit}`);
      }
      cursor = { commit: from.commit, prepare: prepares[prepares.length - 1] };
    }
  }

  /** Drains a client read into an array, translating transport errors (StreamNotFoundError passes through). */
  /**
   * A call within the bound of our own, for what the client may wait on before its deadline starts (the
   * connection, the server's features): past it, the answer is unknown, as after the server's deadline.
   */
  private async withinBound<T>(call: Promise<T>, what: string): Promise<T> {
    if (!this.timeoutMs) return call;
    const bound = this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new NoAnswerWithinBound(`EventStoreDB did not answer within ${bound} ms (${what})`)), bound);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      call.catch(() => undefined);
    }
  }

  /** Every item of a read, within the call bound: a server that stops answering ends the read, never hangs it. */
  private async collect<E>(stream: AsyncIterable<E>, what: string): Promise<E[]> {
    this.assertOpen();
    const events: E[] = [];
    const reading = (async () => {
      for await (const event of stream) events.push(event);
    })();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!this.timeoutMs) {
        await reading;
      } else {
        const bound = this.timeoutMs;
        await Promise.race([
          reading,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              (stream as { destroy?: () => void }).destroy?.();
              reject(new EventStoreUnavailableError(`EventStoreDB did not answer within ${bound} ms (${what})`));
            }, bound);
          }),
        ]);
      }
    } catch (error) {
      reading.catch(() => undefined);
      if (error instanceof StreamNotFoundError) throw error;
      throw translate(error, what);
    } finally {
      clearTimeout(timer);
    }
    return events;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('EventStoreDB event store is closed');
  }
}

/**
 * Port positions of raw log positions. Self-committed events need nothing else; for an event of a legacy
 * transaction the rest of its commit group is read once (from that event on) and kept for its neighbours.
 */
class CommitGroups {
  /** commit position → prepare positions of the group from some member on, ascending. */
  private readonly known = new Map<bigint, bigint[]>();

  constructor(private readonly readFrom: (from: LogPosition) => Promise<bigint[]>) {}

  async portPosition(position: LogPosition): Promise<bigint> {
    if (position.commit === position.prepare) return toPortPosition(position.commit, 0);
    let prepares = this.known.get(position.commit);
    if (!prepares || !prepares.includes(position.prepare)) {
      prepares = await this.readFrom(position);
      if (!prepares.includes(position.prepare)) throw new EventStoreUnavailableError(`EventStoreDB returned no event at ${position.commit}/${position.prepare}`);
      this.known.set(position.commit, prepares);
      if (this.known.size > 16) this.known.delete(this.known.keys().next().value!);
    }
    const later = prepares.length - 1 - prepares.indexOf(position.prepare);
    return toPortPosition(position.commit, later);
  }
}

/**
 * Catch-up subscription over the client's `subscribeToAll`. `caughtUp` resolves on the server's
 * CaughtUp message (EventStoreDB 23.10+), or, for servers that never send it, once an event at or
 * past the head position read when the subscription started has been received (or immediately if
 * nothing lay past the start). Either way every earlier event has been received, in order, ahead
 * of anything newer. Like the other adapter, it needs to be iterated to make progress.
 */
class EsdbAllSubscription implements AllSubscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: unknown) => void;
  private settled = false;
  private stopped = false;
  private iterating = false;
  private lastReceived: bigint;
  private headAtStart: bigint | undefined;

  constructor(
    private readonly subscription: AllStreamSubscription,
    after: bigint,
    headAtStart: Promise<bigint>,
    private readonly portPosition: (position: LogPosition) => Promise<bigint>,
    private readonly onStopped: () => void,
  ) {
    this.lastReceived = after;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    this.caughtUp.catch(() => undefined); // a subscription nobody waits on must not crash the process
    subscription.on('caughtUp', () => this.markCaughtUp());
    headAtStart.then(
      (head) => {
        this.headAtStart = head;
        if (this.lastReceived >= head) this.markCaughtUp();
      },
      () => undefined, // only the fallback is lost; errors surface through the iteration
    );
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('An AllSubscription can be iterated only once');
    this.iterating = true;
    try {
      for await (const resolved of this.subscription as AsyncIterable<AllStreamResolvedEvent>) {
        if (this.stopped) return;
        const position = await this.portPosition(requirePosition(resolved));
        if (position <= this.lastReceived) continue; // `after` is exclusive; never deliver twice
        this.lastReceived = position;
        if (this.headAtStart !== undefined && position >= this.headAtStart) this.markCaughtUp();
        if (isSystemEvent(resolved)) continue;
        yield toRecordedEvent(resolved, position);
      }
      if (!this.stopped) throw new EventStoreUnavailableError('EventStoreDB ended the $all subscription');
    } catch (error) {
      if (this.stopped) return;
      const translated = translate(error, 'subscribe to $all');
      this.fail(translated);
      throw translated;
    } finally {
      await this.unsubscribe();
    }
  }

  async unsubscribe(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStopped();
    this.fail(new Error('Subscription stopped before it caught up'));
    await this.subscription.unsubscribe().catch(() => undefined);
    this.subscription.destroy();
  }

  private markCaughtUp(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveCaughtUp();
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectCaughtUp(error);
  }
}

function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/** The event's (commit, prepare) position, or undefined where the server gives none (stream reads of transaction events). */
function rawPositionOf(resolved: ResolvedEvent): LogPosition | undefined {
  const position = resolved.event?.position ?? resolved.link?.position;
  if (!position || position.commit === NO_POSITION) return undefined;
  return { commit: position.commit, prepare: position.prepare };
}

function requirePosition(resolved: ResolvedEvent): LogPosition {
  const position = rawPositionOf(resolved);
  if (!position) throw new EventStoreUnavailableError('EventStoreDB returned a $all event without a position');
  return position;
}

function isSystemEvent(resolved: ResolvedEvent): boolean {
  const event = resolved.event;
  return !event || event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecordedEvent(resolved: ResolvedEvent, position: bigint): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a link to a deleted event');
  return {
    streamId: event.streamId,
    id: event.id,
    type: event.type,
    revision: event.revision,
    position,
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata),
    created: event.created,
  };
}

function asJsonObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !(value instanceof Uint8Array) ? (value as JsonObject) : {};
}

/** The server's measure of an append (`Event.SizeOnDisk`): data and metadata bytes plus 2 bytes per type character. */
function sizeOnDisk(event: NewEvent): number {
  return (
    Buffer.byteLength(JSON.stringify(event.data), 'utf8') + Buffer.byteLength(JSON.stringify(event.metadata), 'utf8') + event.type.length * 2
  );
}

/** Our own bound ran out before the client's deadline could: nothing is known of the call's outcome. */
class NoAnswerWithinBound extends Error {
  override name = 'NoAnswerWithinBound';
}

/**
 * Errors after which an append may or may not be in the log: the server's deadline or commit timeout
 * (the writer goes on), a connection lost mid-call, a leader change. Re-sending the same events is safe.
 */
function isUnknownOutcome(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof DeadlineExceededError ||
    error instanceof NoAnswerWithinBound ||
    error instanceof TimeoutError ||
    error instanceof UnavailableError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError ||
    code === 4 /* DEADLINE_EXCEEDED */ ||
    code === 10 /* ABORTED */ ||
    code === 14 /* UNAVAILABLE */
  );
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));

/** Transport-level and permission failures become EventStoreUnavailableError; everything else passes through. */
function translate(error: unknown, what: string): unknown {
  if (error instanceof EventStoreUnavailableError || error instanceof WrongExpectedRevisionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof AccessDeniedError || code === 7 /* PERMISSION_DENIED */ || code === 16 /* UNAUTHENTICATED */) {
    return new EventStoreUnavailableError(
      `EventStoreDB refused access (${what}) to the credentials of EVENTSTORE_URL: ${message}. ` +
        'Reading $all needs a member of $admins, or a user granted read on $all in the $$$all metadata',
      error,
    );
  }
  if (!isUnknownOutcome(error)) return error;
  return new EventStoreUnavailableError(`EventStoreDB unavailable (${what}): ${message}`, error);
}
