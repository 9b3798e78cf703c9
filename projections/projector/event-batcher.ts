import type { RecordedEvent } from '../../src/event-store/event-store.port';

const NOT_READY = Symbol('not ready');

/**
 * Cuts a subscription into batches: waits for one event, then takes whatever else the subscription can hand
 * over at once (events it has already read), up to `max`. A batch never waits for an event that is not there.
 */
export class EventBatcher {
  private pending: Promise<IteratorResult<RecordedEvent>> | null = null;
  private ended = false;

  constructor(private readonly iterator: AsyncIterator<RecordedEvent>) {}

  /** The next batch, or null once the subscription has ended. */
  async next(max: number): Promise<RecordedEvent[] | null> {
    if (this.ended) return null;
    const first = await this.take();
    if (first.done) {
      this.ended = true;
      return null;
    }
    const batch = [first.value];
    while (batch.length < max) {
      const pending = this.peek();
      const ready = await Promise.race([pending, new Promise<typeof NOT_READY>((resolve) => setImmediate(() => resolve(NOT_READY)))]);
      if (ready === NOT_READY) break;
      this.pending = null;
      if (ready.done) {
        this.ended = true;
        break;
      }
      batch.push(ready.value);
    }
    return batch;
  }

  private peek(): Promise<IteratorResult<RecordedEvent>> {
    if (!this.pending) {
      this.pending = this.iterator.next();
      // A read that fails after the batcher was abandoned must not become an unhandled rejection.
      this.pending.catch(() => undefined);
    }
    return this.pending;
  }

  private async take(): Promise<IteratorResult<RecordedEvent>> {
    const result = await this.peek();
    this.pending = null;
    return result;
  }
}
