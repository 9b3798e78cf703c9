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
  appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
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

export const formatPosition = (position: bigint): string => position.toString(10);

export function parsePosition(value: string): bigint {
  if (!/^\d{1,20}$/.test(value)) throw new RangeError(`Not a log position: ${value}`);
  return BigInt(value);
}
