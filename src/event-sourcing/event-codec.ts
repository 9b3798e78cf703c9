import { randomUUID } from 'node:crypto';
import type { JsonObject, NewEvent, RecordedEvent } from '../event-store/event-store.port';
import { startOfDayIn } from '../shared/clock';
import type { DomainEvent } from '../shared/domain-event';
import { isCalendarDate } from '../shared/identity';
import type { EventCatalog, UpcastEnvironment } from './event-catalog';
import { eventHash } from './event-hash';
import type { CommandContext, EventMetadata } from './event-metadata';

/** A recorded event in the current shape of its type: what every reader of the log works with. */
export type DecodedEvent<E extends DomainEvent = DomainEvent> = Omit<RecordedEvent, 'type' | 'data'> & E;

/**
 * The one way between decided events and the log. Writing: metadata (who, when, correlation, the type's
 * schema version, the business time from the event's own `occurredOn`) and the hash chain over the stored
 * form. Reading: every older shape upcast to the current one. Command handling, the projector, rebuilds,
 * the audit history, point-in-time coverage and verify all read through `decode`.
 */
export class EventCodec {
  constructor(
    readonly catalog: EventCatalog,
    private readonly env: UpcastEnvironment,
  ) {}

  async decode<E extends DomainEvent = DomainEvent>(events: readonly RecordedEvent[]): Promise<DecodedEvent<E>[]> {
    return events.map((event) => this.decodeOne<E>(event));
  }

  private decodeOne<E extends DomainEvent>(event: RecordedEvent): DecodedEvent<E> {
    const data = this.catalog.upcast(event.type, event.data, event.metadata, this.env);
    return { ...event, data } as unknown as DecodedEvent<E>;
  }

  /** Decided events as the store keeps them, each chained to the previous one's hash (`prevHash`: the stream's last). */
  async encode(events: readonly DomainEvent[], context: CommandContext, prevHash: string | null): Promise<NewEvent[]> {
    let previous = prevHash;
    return events.map((event) => {
      const id = randomUUID();
      const data = JSON.parse(JSON.stringify(event.data)) as JsonObject;
      const occurredOn = data.occurredOn;
      const base: Omit<EventMetadata, 'hash'> = {
        eventId: id,
        occurredAt: isCalendarDate(occurredOn) ? startOfDayIn(occurredOn, this.env.timeZone) : context.now.toISOString(),
        recordedAt: context.now.toISOString(),
        recordedBy: context.principal,
        correlationId: context.correlationId,
        causationId: context.causationId,
        schemaVersion: this.catalog.versionOf(event.type),
        prevHash: previous,
      };
      const hash = eventHash(previous, event.type, data, base as unknown as JsonObject);
      previous = hash;
      return { id, type: event.type, data, metadata: { ...base, hash } };
    });
  }
}

/** The hash a stream's next event chains to: its last event's. */
export const lastHashOf = (events: readonly { metadata: JsonObject }[]): string | null => {
  const hash = events.length ? (events[events.length - 1].metadata as Partial<EventMetadata>).hash : null;
  return typeof hash === 'string' ? hash : null;
};

/** Nest token of the process's one EventCodec. */
export const EVENT_CODEC = Symbol('EVENT_CODEC');
