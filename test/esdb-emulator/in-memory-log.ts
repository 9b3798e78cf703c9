/**
 * The emulator's storage: one in-memory transaction log with EventStoreDB's append semantics.
 * No gRPC here; `esdb-emulator.ts` translates between this and the wire messages, and its header
 * names the server source each rule below was taken from.
 *
 * Positions imitate EventStoreDB's transaction file: byte offsets, growing by the size of each record.
 * An event has a commit and a prepare position (`TFPos`), and `$all` is ordered by (commit, prepare):
 * - an event appended over gRPC is "self-committed": commit == prepare == its own record's offset;
 * - an event written by a legacy explicit transaction (TCP API) has the prepare position of its own
 *   record and the commit position of the transaction's commit record, which comes after all of the
 *   transaction's prepares and is shared by every event of that transaction.
 */

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  streamId: string;
  revision: bigint;
  commit: bigint;
  prepare: bigint;
  /** True for gRPC appends; false for events of a legacy transaction (stream reads then carry no position). */
  selfCommitted: boolean;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB reports `created`. */
  createdTicks: bigint;
}

export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

export type Expected =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  | { ok: true; currentRevision: bigint; position: LogPosition; idempotent: boolean }
  | { ok: false; currentRevision: bigint | 'no_stream' };

export interface LogOptions {
  /**
   * Byte budget of the committed-event-id cache that makes `any`/`stream_exists` appends idempotent
   * (the server's `ESConsts.CommitedEventsMemCacheLimit`, 8 MiB).
   */
  idempotencyCacheBytes: number;
}

/** The log starts with the chunk header and the first epoch record (`TFConsts`/`EpochRecord`). */
const FIRST_POSITION = 0n;
const RECORD_OVERHEAD = 96n;
const COMMIT_RECORD_SIZE = 45n;

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit === b.commit ? (a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1) : a.commit < b.commit ? -1 : 1;

export class InMemoryLog {
  /** Every committed event in `$all` order: (commit, prepare) strictly increasing along it. */
  readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /** Offsets at which a record starts: the only commit positions a read may start from. */
  private readonly recordStarts = new Set<bigint>();
  private nextPosition = FIRST_POSITION;
  private readonly listeners = new Set<() => void>();
  private readonly idempotency: IdempotencyCache;

  constructor(options: LogOptions) {
    this.idempotency = new IdempotencyCache(options.idempotencyCacheBytes);
  }

  /** Position a read from "the end" starts at: the end of the last record. */
  get end(): bigint {
    return this.nextPosition;
  }

  lastRevision(streamId: string): bigint | 'no_stream' {
    const events = this.streams.get(streamId);
    return events && events.length > 0 ? events[events.length - 1].revision : 'no_stream';
  }

  stream(streamId: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /** A read may start at the start of a record or at the end of the log, nowhere else. */
  isReadablePosition(commit: bigint): boolean {
    return commit === 0n || commit === this.nextPosition || this.recordStarts.has(commit);
  }

  /** Called after every commit (subscriptions use it to wake up). */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * EventStoreDB's optimistic concurrency check with its two idempotency rules (IndexWriter.CheckCommit):
   * - exact revision / no_stream: the events following the expected revision are compared with the
   *   proposed ones through the index, however old they are: all equal means "already written";
   * - any / stream_exists: only the bounded cache of recently committed event ids is consulted; an id
   *   that fell out of it is not recognised, and the events are written again (a duplicate).
   */
  append(streamId: string, expected: Expected, proposed: ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(streamId) ?? [];
    const current: bigint | 'no_stream' = existing.length > 0 ? existing[existing.length - 1].revision : 'no_stream';
    const currentNumber = current === 'no_stream' ? -1n : current;

    if (expected.kind === 'stream_exists' && current === 'no_stream' && !this.streams.get(`$$${streamId}`)?.length) {
      return { ok: false, currentRevision: current };
    }
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      const cached = proposed.map((event) => this.idempotency.get(event.id));
      if (cached.length > 0 && cached[0]?.streamId === streamId) {
        const complete = cached.every((entry) => entry?.streamId === streamId);
        if (!complete) return { ok: false, currentRevision: current }; // CorruptedIdempotency
        const last = existing[Number(cached[cached.length - 1]!.revision)];
        return { ok: true, currentRevision: last.revision, position: positionOf(last), idempotent: true };
      }
    } else {
      const expectedNumber = expected.kind === 'no_stream' ? -1n : expected.revision;
      if (expectedNumber < currentNumber) {
        const first = Number(expectedNumber + 1n);
        const same =
          proposed.length > 0 &&
          first + proposed.length <= existing.length &&
          proposed.every((event, i) => existing[first + i].id === event.id);
        if (!same) return { ok: false, currentRevision: current };
        const last = existing[first + proposed.length - 1];
        return { ok: true, currentRevision: last.revision, position: positionOf(last), idempotent: true };
      }
      if (expectedNumber > currentNumber) return { ok: false, currentRevision: current };
    }

    if (proposed.length === 0) {
      return { ok: true, currentRevision: currentNumber, position: { commit: this.nextPosition, prepare: this.nextPosition }, idempotent: false };
    }
    const createdTicks = nowTicks();
    const records = proposed.map((event) => ({ event, prepare: this.allocate(recordSize(event, streamId)) }));
    const last = this.commit(streamId, records, createdTicks, undefined);
    return { ok: true, currentRevision: last.revision, position: positionOf(last), idempotent: false };
  }

  /**
   * A legacy explicit transaction (TCP API: TransactionStart, TransactionWrite…, TransactionCommit):
   * its prepares take log space when written, other writes may land in between, and its events appear
   * in `$all` only at the commit record, all with that record's commit position.
   */
  beginTransaction(streamId: string): LegacyTransaction {
    const prepares: { event: ProposedEvent; prepare: bigint }[] = [];
    return {
      write: (events) => {
        for (const event of events) prepares.push({ event, prepare: this.allocate(recordSize(event, streamId)) });
      },
      commit: () => {
        if (prepares.length === 0) throw new Error('An empty legacy transaction has nothing to commit');
        const commitPosition = this.allocate(COMMIT_RECORD_SIZE);
        const last = this.commit(streamId, prepares, nowTicks(), commitPosition);
        return positionOf(last);
      },
    };
  }

  /** Index in `all` of the first event at or after `position`. */
  indexAtOrAfter(position: LogPosition): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (comparePositions(this.all[middle], position) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Index in `all` of the first event strictly after `position`. */
  indexAfter(position: LogPosition): number {
    const index = this.indexAtOrAfter(position);
    return index < this.all.length && comparePositions(this.all[index], position) === 0 ? index + 1 : index;
  }

  private allocate(size: bigint): bigint {
    const position = this.nextPosition;
    this.recordStarts.add(position);
    this.nextPosition += size;
    return position;
  }

  private commit(
    streamId: string,
    records: { event: ProposedEvent; prepare: bigint }[],
    createdTicks: bigint,
    commitPosition: bigint | undefined,
  ): StoredEvent {
    const existing = this.streams.get(streamId) ?? [];
    let revision = existing.length > 0 ? existing[existing.length - 1].revision : -1n;
    let last: StoredEvent | undefined;
    for (const { event, prepare } of records) {
      revision += 1n;
      last = {
        ...event,
        streamId,
        revision,
        prepare,
        commit: commitPosition ?? prepare,
        selfCommitted: commitPosition === undefined,
        createdTicks,
      };
      existing.push(last);
      this.all.push(last);
      this.idempotency.put(event.id, { streamId, revision });
    }
    this.streams.set(streamId, existing);
    for (const listener of [...this.listeners]) listener();
    return last!;
  }
}

export interface LegacyTransaction {
  write(events: ProposedEvent[]): void;
  /** Commits; returns the position of the last event (commit position shared by all of them). */
  commit(): LogPosition;
}

export const positionOf = (event: StoredEvent): LogPosition => ({ commit: event.commit, prepare: event.prepare });

const nowTicks = () => BigInt(Date.now()) * 10_000n;

function recordSize(event: ProposedEvent, streamId: string): bigint {
  return RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + event.type.length + streamId.length);
}

/**
 * The server's `BoundedCache<Guid, EventInfo>` of committed events: first in, first out, bounded by an
 * estimate of its memory (16 + 4 + pointer + the stream id's in-memory size per entry).
 */
class IdempotencyCache {
  private readonly entries = new Map<string, { streamId: string; revision: bigint; size: number }>();
  private readonly order: string[] = [];
  private head = 0;
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): { streamId: string; revision: bigint } | undefined {
    return this.entries.get(id);
  }

  put(id: string, entry: { streamId: string; revision: bigint }): void {
    const size = 16 + 4 + 8 + 24 + 2 * entry.streamId.length;
    while (this.size + size > this.maxBytes && this.head < this.order.length) {
      const oldest = this.order[this.head++];
      const removed = this.entries.get(oldest);
      if (removed) {
        this.size -= removed.size;
        this.entries.delete(oldest);
      }
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
    if (size > this.maxBytes) return;
    this.entries.set(id, { ...entry, size });
    this.order.push(id);
    this.size += size;
  }
}
