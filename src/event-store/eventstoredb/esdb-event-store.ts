/**
 * EventStoreDB adapter of the event-store port, over `@eventstore/db-client` (gRPC).
 * This folder is the only code in the repository that imports that package.
 *
 * Mapping to the port:
 * - positions are the events' commit positions (each event appended over gRPC has its own);
 * - reads and subscriptions of the whole log skip system events: event types starting with `$`
 *   (the server-side `excludeSystemEvents()` filter for subscriptions) and, to be safe, anything
 *   stored in a `$`-prefixed stream (link events, projection output);
 * - `after` is exclusive everywhere, even where the server is inclusive (forward `$all` reads).
 */
import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
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
  ReadRevision,
  ResolvedEvent,
} from '@eventstore/db-client';
import {
  AllSubscription,
  AppendResult,
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

/** Page size for `$all` reads; system events are dropped client-side, so a page may yield fewer. */
const ALL_PAGE_SIZE = 500;
/** Page size when looking backwards for the last non-system event. */
const HEAD_PAGE_SIZE = 32;
/** `Position.FromInt64(-1, …)` on the server: "no commit position" sent as uint64 max. */
const NO_POSITION = 0xffff_ffff_ffff_ffffn;
/** Stream that never exists, read by `ping()`. */
const PING_STREAM = 'asuh-ping-never-written';

export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private closed = false;

  /** @param connectionString e.g. `esdb://localhost:2113?tls=false` */
  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  /**
   * Same as the constructor (the client connects lazily, on first use); async for symmetry with the
   * PostgreSQL adapter. An unreachable server surfaces as `EventStoreUnavailableError` on first use.
   */
  static async connect(connectionString: string): Promise<EsdbEventStore> {
    return new EsdbEventStore(connectionString);
  }

  async appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const proposed = events.map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata }),
    );
    try {
      const result = await this.client.appendToStream(streamId, proposed, {
        expectedRevision: toClientExpectedRevision(expectedRevision),
      });
      if (!result.position) throw new Error(`EventStoreDB returned no position for the append to ${streamId}`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expectedRevision, error.actualVersion);
      }
      throw translate(error, `append to ${streamId}`);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    const read = (fromRevision: ReadRevision) =>
      this.collect(
        this.client.readStream(streamId, {
          direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
          fromRevision,
          maxCount,
        }),
        `read ${streamId}`,
      );
    try {
      const from = options.fromRevision ?? (direction === 'forwards' ? START : END);
      const events = await read(from);
      // Backwards from a revision past the end of the stream, the server reads only the window
      // [from - maxCount + 1, from]; the port means "start at the last event at or before `from`".
      if (direction === 'backwards' && typeof from === 'bigint' && events[0]?.event?.revision !== from) {
        return (await read(END)).map(toRecordedEvent).filter((event) => event.revision <= from);
      }
      return events.map(toRecordedEvent);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const result: RecordedEvent[] = [];
    let cursor = options.after ?? -1n; // position of the last event looked at (exclusive bound)
    let from: ReadPosition = options.after === undefined ? START : at(options.after);
    while (result.length < limit) {
      const page = await this.collect(
        this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: ALL_PAGE_SIZE }),
        'read $all',
      );
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position <= cursor) continue; // the server's forward read includes its start position
        cursor = position;
        if (!isSystemEvent(resolved)) result.push(toRecordedEvent(resolved));
        if (result.length >= limit) break;
      }
      if (page.length < ALL_PAGE_SIZE) break;
      from = at(cursor);
    }
    return result;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const after = options.after;
    const subscription = this.client.subscribeToAll({
      fromPosition: after === undefined ? START : at(after),
      filter: excludeSystemEvents(),
    });
    const wrapper = new EsdbAllSubscription(subscription, after ?? -1n, this.headPosition(), () =>
      this.subscriptions.delete(wrapper),
    );
    this.subscriptions.add(wrapper);
    return wrapper;
  }

  async headPosition(): Promise<bigint> {
    let from: ReadPosition = END;
    let cursor: bigint | undefined;
    for (;;) {
      const page = await this.collect(
        this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: HEAD_PAGE_SIZE }),
        'read $all backwards',
      );
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (cursor !== undefined && position >= cursor) continue;
        cursor = position;
        if (!isSystemEvent(resolved)) return position;
      }
      if (page.length < HEAD_PAGE_SIZE || cursor === undefined) return 0n;
      from = at(cursor);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
    // The client has no close(): dispose() cancels its calls but keeps the gRPC channel open.
    const channelOwner = this.client as unknown as { getChannel?: () => Promise<{ close(): void }> };
    const channel = await channelOwner.getChannel?.().catch(() => undefined);
    channel?.close();
  }

  /** Drains a client read into an array, translating transport errors (StreamNotFoundError passes through). */
  private async collect<E>(stream: AsyncIterable<E>, what: string): Promise<E[]> {
    this.assertOpen();
    const events: E[] = [];
    try {
      for await (const event of stream) events.push(event);
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw error;
      throw translate(error, what);
    }
    return events;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('EventStoreDB event store is closed');
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
    private readonly after: bigint,
    headAtStart: Promise<bigint>,
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
        const position = positionOf(resolved);
        if (position <= this.lastReceived) continue; // `after` is exclusive; never deliver twice
        this.lastReceived = position;
        if (this.headAtStart !== undefined && position >= this.headAtStart) this.markCaughtUp();
        if (isSystemEvent(resolved)) continue;
        yield toRecordedEvent(resolved);
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

const at = (position: bigint) => ({ commit: position, prepare: position });

function positionOf(resolved: ResolvedEvent): bigint {
  if (resolved.commitPosition !== undefined) return resolved.commitPosition;
  const position = resolved.event?.position;
  if (!position) throw new Error('EventStoreDB returned an event without a position');
  return position.commit === NO_POSITION ? position.prepare : position.commit;
}

function isSystemEvent(resolved: ResolvedEvent): boolean {
  const event = resolved.event;
  return !event || event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a link to a deleted event');
  return {
    streamId: event.streamId,
    id: event.id,
    type: event.type,
    revision: event.revision,
    position: positionOf(resolved),
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata),
    created: event.created,
  };
}

function asJsonObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !(value instanceof Uint8Array) ? (value as JsonObject) : {};
}

/** Transport-level failures become EventStoreUnavailableError; everything else passes through. */
function translate(error: unknown, what: string): unknown {
  if (error instanceof EventStoreUnavailableError || error instanceof WrongExpectedRevisionError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const unavailable =
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError ||
    code === 14 /* UNAVAILABLE */ ||
    code === 4 /* DEADLINE_EXCEEDED */;
  if (!unavailable) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`EventStoreDB unavailable (${what}): ${message}`, error);
}
