import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../../src/event-sourcing/event-metadata';
import { eventHash } from '../../src/event-sourcing/event-hash';
import type { NewEvent } from '../../src/event-store/event-store.port';
import type { DomainEvent } from '../../src/shared/domain-event';

/**
 * Events in the shape the first release stored them (schema version 1 of every type, no `occurredOn`, the
 * business time guessed from the date field), hash-chained. The bench city is written this way, straight to
 * the store, so catch-up and rebuild measure the read path with its upcasters, as on a migrated log.
 */
export function toNewEvents(events: DomainEvent[], context: CommandContext, prevHash: string | null): NewEvent[] {
  let previous = prevHash;
  return events.map((event) => {
    const id = randomUUID();
    const data = event.data as Record<string, unknown>;
    const dateField = ['paidOn', 'enrolledOn', 'asOf', 'effectiveOn', 'withdrawnOn', 'registeredOn'].find((f) => typeof data[f] === 'string');
    const base = {
      eventId: id,
      occurredAt: dateField ? `${data[dateField] as string}T00:00:00+07:00` : context.now.toISOString(),
      recordedAt: context.now.toISOString(),
      recordedBy: context.principal,
      correlationId: context.correlationId,
      causationId: context.causationId,
      schemaVersion: 1,
      prevHash: previous,
    };
    const hash = eventHash(previous, event.type, data, base);
    previous = hash;
    return { id, type: event.type, data, metadata: { ...base, hash } };
  });
}
