import { randomUUID } from 'node:crypto';
import type { DecodedEvent, EventCodec } from '../../../src/event-sourcing/event-codec';
import { eventHash } from '../../../src/event-sourcing/event-hash';
import type { CommandContext, EventMetadata } from '../../../src/event-sourcing/event-metadata';
import type { RecordedEvent } from '../../../src/event-store/event-store.port';
import type { DomainEvent } from '../../../src/shared/domain-event';
import { testCodec } from '../../support/codec';

/**
 * Builds recorded events the way the command handlers write them (the codec: full metadata, hash chain per
 * stream), each recorded at the instant given, with increasing log positions.
 */
export class RecordedLog {
  readonly events: RecordedEvent[] = [];
  private position = 100n;

  /** A codec with a vault writes events with personal data sealed, as the service does. */
  constructor(private readonly codec: EventCodec = testCodec()) {}

  async record(streamId: string, event: DomainEvent, recordedAt: string, principal = 'operator-key'): Promise<RecordedEvent> {
    const stream = this.events.filter((e) => e.streamId === streamId);
    const previous = stream[stream.length - 1];
    const context: CommandContext = {
      principal,
      correlationId: `corr-${this.events.length}`,
      causationId: `cause-${this.events.length}`,
      now: new Date(recordedAt),
      today: recordedAt.slice(0, 10),
    };
    const [written] = await this.codec.encode([event], context, previous ? ((previous.metadata as unknown as EventMetadata).hash ?? null) : null);
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

  /**
   * Records an event as the first release stored it: schema version 1 of every type, no `occurredOn`, and
   * `occurredAt` guessed by that release (the business date at 00:00 +07:00, else the command time). With
   * `schemaVersion`, an event of a later release's shape, stored as that release stored it.
   */
  recordFirstReleaseShape(
    streamId: string,
    event: { type: string; data: Record<string, unknown> },
    recordedAt: string,
    principal = 'operator-key',
    schemaVersion = 1,
  ): RecordedEvent {
    const stream = this.stream(streamId);
    const previous = stream[stream.length - 1];
    const prevHash = previous ? ((previous.metadata as unknown as EventMetadata).hash ?? null) : null;
    const dateField = ['paidOn', 'enrolledOn', 'asOf', 'effectiveOn', 'withdrawnOn', 'registeredOn'].find((f) => typeof event.data[f] === 'string');
    const id = randomUUID();
    const base = {
      eventId: id,
      occurredAt: dateField ? `${event.data[dateField] as string}T00:00:00+07:00` : new Date(recordedAt).toISOString(),
      recordedAt: new Date(recordedAt).toISOString(),
      recordedBy: principal,
      correlationId: `corr-${this.events.length}`,
      causationId: `cause-${this.events.length}`,
      schemaVersion,
      prevHash,
    };
    this.position += 10n;
    const recorded: RecordedEvent = {
      streamId,
      id,
      type: event.type,
      revision: previous ? previous.revision + 1n : 0n,
      position: this.position,
      data: event.data,
      metadata: { ...base, hash: eventHash(prevHash, event.type, event.data, base) },
      created: new Date(recordedAt),
    };
    this.events.push(recorded);
    return recorded;
  }

  stream(streamId: string): RecordedEvent[] {
    return this.events.filter((e) => e.streamId === streamId);
  }

  /** A stream as every reader of the log gets it: decoded through the codec. */
  decoded<E extends DomainEvent>(streamId: string): Promise<DecodedEvent<E>[]> {
    return this.codec.decode<E>(this.stream(streamId));
  }
}
