/**
 * The emulator's storage: one in-memory transaction log with EventStoreDB's append semantics.
 * No gRPC here; `esdb-emulator.ts` translates between this and the wire messages.
 *
 * Positions imitate EventStoreDB's: byte offsets into the log, so they grow by the size of each
 * record (not by one) and every event gets its own commit position (== prepare position), as
 * single appends over gRPC do on a real server.
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
  /** Commit position; the prepare position is the same number. */
  position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB reports `created`. */
  createdTicks: bigint;
}

export type Expected =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  | { ok: true; currentRevision: bigint; position: bigint }
  | { ok: false; currentRevision: bigint | 'no_stream' };

const FIRST_POSITION = 1024n; // the start of a real log holds the epoch records
const RECORD_OVERHEAD = 96n;

export class InMemoryLog {
  /** Every event in commit order; positions strictly increase along it. */
  readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private nextPosition = FIRST_POSITION;
  private readonly listeners = new Set<() => void>();

  lastRevision(streamId: string): bigint | 'no_stream' {
    const events = this.streams.get(streamId);
    return events && events.length > 0 ? events[events.length - 1].revision : 'no_stream';
  }

  stream(streamId: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /** Called after every successful append (subscriptions use it to wake up). */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * EventStoreDB's optimistic concurrency check, including its idempotency rule: re-sending the
   * exact events that already follow the expected revision succeeds without writing them again.
   */
  append(streamId: string, expected: Expected, proposed: ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(streamId) ?? [];
    const current: bigint | 'no_stream' = existing.length > 0 ? existing[existing.length - 1].revision : 'no_stream';
    const currentNumber = current === 'no_stream' ? -1n : current;

    const idempotentFrom = (firstRevision: number): AppendOutcome | undefined => {
      if (proposed.length === 0 || firstRevision < 0 || firstRevision + proposed.length > existing.length) return undefined;
      const same = proposed.every((event, i) => existing[firstRevision + i].id === event.id);
      if (!same) return undefined;
      const last = existing[firstRevision + proposed.length - 1];
      return { ok: true, currentRevision: last.revision, position: last.position };
    };

    switch (expected.kind) {
      case 'any': {
        const at = proposed.length > 0 ? existing.findIndex((event) => event.id === proposed[0].id) : -1;
        const replay = at >= 0 ? idempotentFrom(at) : undefined;
        if (replay) return replay;
        break;
      }
      case 'no_stream':
        if (current !== 'no_stream') return idempotentFrom(0) ?? { ok: false, currentRevision: current };
        break;
      case 'stream_exists':
        if (current === 'no_stream') return { ok: false, currentRevision: current };
        break;
      case 'revision':
        if (currentNumber !== expected.revision) {
          const replay = currentNumber > expected.revision ? idempotentFrom(Number(expected.revision + 1n)) : undefined;
          return replay ?? { ok: false, currentRevision: current };
        }
        break;
    }

    if (proposed.length === 0) {
      // Nothing to write: EventStoreDB answers with the stream as it is.
      return current === 'no_stream'
        ? { ok: true, currentRevision: -1n, position: this.lastPosition() }
        : { ok: true, currentRevision: current, position: existing[existing.length - 1].position };
    }

    const createdTicks = BigInt(Date.now()) * 10_000n;
    let revision = currentNumber;
    let last: StoredEvent | undefined;
    for (const event of proposed) {
      revision += 1n;
      last = { ...event, streamId, revision, position: this.nextPosition, createdTicks };
      this.nextPosition += RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + event.type.length);
      existing.push(last);
      this.all.push(last);
    }
    this.streams.set(streamId, existing);
    for (const listener of [...this.listeners]) listener();
    return { ok: true, currentRevision: last!.revision, position: last!.position };
  }

  /** Index in `all` of the first event whose position is >= `position`. */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.all[middle].position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private lastPosition(): bigint {
    return this.all.length > 0 ? this.all[this.all.length - 1].position : 0n;
  }
}
