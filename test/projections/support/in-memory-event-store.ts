import {
  WrongExpectedRevisionError,
  type AllSubscription,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../../../src/event-store/event-store.port';

/**
 * An EventStore in memory, to feed the projector in tests. `publish` adds ready-made RecordedEvents (from
 * EventLog) with their own positions. Subscriptions deliver history, then live events, as the port says.
 */
export class InMemoryEventStore implements EventStore {
  private readonly events: RecordedEvent[] = [];
  private readonly wakeUps = new Set<() => void>();
  /** Every subscribeToAll call, to check where a projector resumed. */
  readonly subscriptions: SubscribeToAllOptions[] = [];
  /** Deliver the whole log to every subscriber whatever its `after` (a store that re-delivers). */
  redeliverFromStart = false;

  publish(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      const last = this.events[this.events.length - 1];
      if (last && event.position <= last.position) throw new Error(`Position ${event.position} is not after ${last.position}`);
      this.events.push(event);
    }
    for (const wake of [...this.wakeUps]) wake();
  }

  async appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const stream = this.events.filter((e) => e.streamId === streamId);
    const actual = stream.length === 0 ? 'no_stream' : stream[stream.length - 1].revision;
    const ok =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && actual === 'no_stream') ||
      (expectedRevision === 'stream_exists' && actual !== 'no_stream') ||
      (typeof expectedRevision === 'bigint' && actual === expectedRevision);
    if (!ok) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    let revision = actual === 'no_stream' ? -1n : actual;
    let position = this.events.length ? this.events[this.events.length - 1].position : 0n;
    const recorded = events.map((e) => ({ ...e, streamId, revision: ++revision, position: ++position, created: new Date() }));
    this.publish(recorded);
    return { nextExpectedRevision: revision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    let stream = this.events.filter((e) => e.streamId === streamId);
    if (options.direction === 'backwards') stream = stream.reverse();
    if (options.fromRevision !== undefined) {
      const from = options.fromRevision;
      stream = stream.filter((e) => (options.direction === 'backwards' ? e.revision <= from : e.revision >= from));
    }
    return stream.slice(0, options.maxCount ?? stream.length);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0n;
    const page = this.events.filter((e) => e.position > after);
    return page.slice(0, options.maxCount ?? page.length);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.subscriptions.push(options);
    const store = this;
    let stopped = false;
    let wake: (() => void) | null = null;
    let resolveCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
    async function* deliver(): AsyncGenerator<RecordedEvent> {
      let after = store.redeliverFromStart ? 0n : (options.after ?? 0n);
      while (!stopped) {
        const page = store.events.filter((e) => e.position > after);
        for (const event of page) {
          if (stopped) return;
          after = event.position;
          yield event;
        }
        resolveCaughtUp();
        // Events published while the consumer held a yielded event are picked up without sleeping.
        if (store.events.some((e) => e.position > after)) continue;
        await new Promise<void>((resolve) => {
          wake = () => {
            store.wakeUps.delete(wake!);
            resolve();
          };
          store.wakeUps.add(wake);
        });
      }
    }
    return {
      caughtUp,
      [Symbol.asyncIterator]: () => deliver(),
      async unsubscribe() {
        stopped = true;
        wake?.();
      },
    };
  }

  async headPosition(): Promise<bigint> {
    return this.events.length ? this.events[this.events.length - 1].position : 0n;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
