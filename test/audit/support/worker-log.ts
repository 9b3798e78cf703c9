import type { RecordedEvent } from '../../../src/event-store/event-store.port';
import { toNewEvents, type CommandContext, type DomainEvent } from '../../../src/shared/command-handling';
import type { EventMetadata } from '../../../src/shared/event-metadata';

/**
 * Builds recorded events the way the command handlers write them (`toNewEvents`: full metadata, hash
 * chain per stream), each recorded at the instant given, with increasing log positions.
 */
export class RecordedLog {
  readonly events: RecordedEvent[] = [];
  private position = 100n;

  record(streamId: string, event: DomainEvent, recordedAt: string, principal = 'operator-key'): RecordedEvent {
    const stream = this.events.filter((e) => e.streamId === streamId);
    const previous = stream[stream.length - 1];
    const context: CommandContext = {
      principal,
      correlationId: `corr-${this.events.length}`,
      causationId: `cause-${this.events.length}`,
      now: new Date(recordedAt),
      today: recordedAt.slice(0, 10),
    };
    const [written] = toNewEvents([event], context, previous ? ((previous.metadata as unknown as EventMetadata).hash ?? null) : null);
    this.position += 10n;
    const recorded: RecordedEvent = {
      streamId,
      id: written.id,
      type: written.type,
      revision: previous ? previous.revision + 1n : 0n,
      position: this.position,
      data: written.data,
      metadata: written.metadata,
      created: new Date(recordedAt),
    };
    this.events.push(recorded);
    return recorded;
  }

  stream(streamId: string): RecordedEvent[] {
    return this.events.filter((e) => e.streamId === streamId);
  }
}
