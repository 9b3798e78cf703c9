/**
 * The event-store port. Both adapters (PostgreSQL in `postgres/`, EventStoreDB in `eventstoredb/`)
 * honour it, and `test/event-store/event-store.contract.ts` holds them to the same behaviour.
 *
 * Revisions are per stream and start at 0 (the first event of a stream has revision 0n).
 * Positions are global, strictly increasing in commit order for every reader, and exchanged
 * with the outside world as decimal strings (`formatPosition` / `parsePosition`).
 */

export type JsonObject = Record<string, unknown>;

/** What the writer wants the stream's last revision to be when the append happens. */
export type ExpectedRevision =
  | 'no_stream' // the stream must not exist yet
  | 'any' // no check (never used by command handlers)
  | 'stream_exists' // the stream must exist, any revision
  | bigint; // the stream's last event must have exactly this revision

export interface NewEvent {
  /** UUID; unique across the whole log (appending the same id twice is rejected or ignored, never duplicated). */
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface RecordedEvent {
  streamId: string;
  id: string;
  type: string;
  /** Revision in its stream, 0-based. */
  revision: bigint;
  /** Global position in the whole log. */
  position: bigint;
  data: JsonObject;
  metadata: JsonObject;
  /** When the store committed it (server time). */
  created: Date;
}

export interface AppendResult {
  /** Revision of the last appended event. */
  nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

/** How an append may be carried out. */
export interface AppendOptions {
  /**
   * true (the default): all the events are written or none is. false: the caller accepts that events too
   * large for one append of the store (EventStoreDB: 1 MiB by default) are written as several consecutive
   * appends, each all-or-nothing, in order, chained by revision (bulk imports, never a command's decision).
   * Readers may then see a prefix before the rest; a failure part-way throws AppendIncompleteError.
   */
  atomic?: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; default the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events with a position strictly greater than this. Default: from the beginning. */
  after?: bigint;
  maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive start position (a checkpoint); default from the beginning of the log. */
  after?: bigint;
}

/** A catch-up subscription: delivers history in order, then live events, never skipping one. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  /** Resolves once the subscription has delivered everything that existed when it started. */
  readonly caughtUp: Promise<void>;
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends `events` after checking `expectedRevision`. Adapters with a size limit refuse an atomic
   * append over it with AppendTooLargeError, having written nothing.
   */
  appendToStream(
    streamId: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * Offered only by adapters that can append to several streams atomically (PostgreSQL: one transaction).
   * Every expected revision is checked; either every append happens or none does (a failed check throws
   * WrongExpectedRevisionError naming the stream). Results are in the order of `appends`. Adapters without
   * it (EventStoreDB: one stream per append) leave it undefined, and callers append stream by stream.
   */
  appendToStreams?(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The whole log in position order, system events excluded. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Position of the last event in the log (0n when empty): what a reader is at least going to see. */
  headPosition(): Promise<bigint>;
  /** Cheap round trip used by /health/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Append to ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

/** An append bigger than the store accepts in one piece; nothing was written. */
export class AppendTooLargeError extends Error {
  constructor(
    readonly streamId: string,
    /** Size of the refused append (or of its single event too big on its own), as the store counts it. */
    readonly bytes: number,
    /** The store's limit in bytes. */
    readonly limit: number,
  ) {
    super(`Append to ${streamId} refused: ${bytes} bytes over the store's limit of ${limit} bytes; nothing was written`);
    this.name = 'AppendTooLargeError';
  }
}

/**
 * The store did not confirm an append and could not be asked whether it happened: the events may or may
 * not be in the stream. Sending the same events again (same ids, same expected revision) is safe.
 */
export class AppendOutcomeUnknownError extends EventStoreUnavailableError {
  constructor(
    readonly streamId: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
    this.name = 'AppendOutcomeUnknownError';
  }
}

/** A non-atomic append stopped part-way: the first `written` events are in the stream, the rest are not. */
export class AppendIncompleteError extends Error {
  constructor(
    readonly streamId: string,
    readonly written: number,
    readonly total: number,
    /** Result of the last part that was written. */
    readonly lastWritten: AppendResult,
    override readonly cause: unknown,
  ) {
    super(`Append to ${streamId} stopped after ${written} of ${total} events: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'AppendIncompleteError';
  }
}

export const formatPosition = (position: bigint): string => position.toString(10);

export function parsePosition(value: string): bigint {
  if (!/^\d{1,20}$/.test(value)) throw new RangeError(`Not a log position: ${value}`);
  return BigInt(value);
}
