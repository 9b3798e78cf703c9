import { randomUUID } from 'node:crypto';
import type { JsonObject, NewEvent, RecordedEvent } from '../event-store/event-store.port';
import type { PersonalDataVault } from '../personal-data/vault';
import { isSealed, type Sealed } from '../personal-data/sealing';
import { startOfDayIn } from '../shared/clock';
import type { DomainEvent } from '../shared/domain-event';
import { isCalendarDate } from '../shared/identity';
import type { EventCatalog, PersonalFields, UpcastEnvironment } from './event-catalog';
import { eventHash } from './event-hash';
import type { CommandContext, EventMetadata } from './event-metadata';

/** A recorded event in the current shape of its type: what every reader of the log works with. */
export type DecodedEvent<E extends DomainEvent = DomainEvent> = Omit<RecordedEvent, 'type' | 'data'> & E;

/** The member of a stored event's data that holds its sealed personal fields. */
export const SEALED_MEMBER = 'personal';

export class PersonalDataWithoutKeyStoreError extends Error {
  constructor(type: string) {
    super(`A ${type} holds personal data, and this process has no key store to seal it with: nothing is written in clear text`);
    this.name = 'PersonalDataWithoutKeyStoreError';
  }
}

/**
 * The one way between decided events and the log.
 *
 * Writing: metadata (who, when, correlation, the type's schema version, the business time from the event's own
 * `occurredOn`), personal fields sealed with their person's data key, and the hash chain over the stored form.
 *
 * Reading: personal fields unsealed (null once the person's data has been erased: the key is gone, and
 * events written in clear text before sealing existed are hidden the same way), then every older shape upcast
 * to the current one. The command shell, the projector, rebuilds, the audit history, point-in-time coverage
 * and verify all read through `decode`: no consumer sees ciphertext or handles a key.
 */
export class EventCodec {
  constructor(
    readonly catalog: EventCatalog,
    private readonly env: UpcastEnvironment,
    /** Without one (pure specs), events with personal fields can be read in clear but never written. */
    readonly vault?: PersonalDataVault,
  ) {}

  async decode<E extends DomainEvent = DomainEvent>(events: readonly RecordedEvent[]): Promise<DecodedEvent<E>[]> {
    const personal = await this.openPersonalFields(events);
    return events.map((event, i) => {
      const data = this.catalog.upcast(event.type, personal[i] ?? event.data, event.metadata, this.env);
      return { ...event, data } as unknown as DecodedEvent<E>;
    });
  }

  /** Each event's data with its personal fields in clear (or null when erased); undefined for events without any. */
  private async openPersonalFields(events: readonly RecordedEvent[]): Promise<(JsonObject | undefined)[]> {
    const specs = events.map((event) => this.catalog.schemaOf(event.type)?.personal);
    if (!specs.some(Boolean)) return events.map(() => undefined);
    const sealed: Sealed[] = [];
    const sealedAt: number[] = [];
    const clearSubjects: string[] = [];
    events.forEach((event, i) => {
      const spec = specs[i];
      if (!spec) return;
      const envelope = event.data[SEALED_MEMBER];
      if (isSealed(envelope)) {
        sealed.push(envelope);
        sealedAt.push(i);
      } else clearSubjects.push(spec.subject(event.data));
    });
    const opened = sealed.length && this.vault ? await this.vault.openAll(sealed) : sealed.map(() => null);
    const erased = clearSubjects.length && this.vault ? await this.vault.erased(clearSubjects) : new Set<string>();
    const openedAt = new Map(sealedAt.map((index, n) => [index, opened[n]]));
    return events.map((event, i) => {
      const spec = specs[i];
      if (!spec) return undefined;
      if (openedAt.has(i)) {
        const { [SEALED_MEMBER]: envelope, ...rest } = event.data;
        return { ...rest, ...(openedAt.get(i) ?? erasedFields((envelope as Sealed).f ?? spec.fields)) };
      }
      if (!erased.has(spec.subject(event.data))) return event.data;
      return { ...event.data, ...erasedFields(spec.fields.filter((field) => event.data[field] !== undefined)) };
    });
  }

  /** Decided events as the store keeps them, each chained to the previous one's hash (`prevHash`: the stream's last). */
  async encode(events: readonly DomainEvent[], context: CommandContext, prevHash: string | null): Promise<NewEvent[]> {
    const stored = await Promise.all(events.map((event) => this.storedData(event)));
    let previous = prevHash;
    return events.map((event, i) => {
      const id = randomUUID();
      const data = stored[i];
      const occurredOn = (event.data as { occurredOn?: unknown }).occurredOn;
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

  private async storedData(event: DomainEvent): Promise<JsonObject> {
    const data = JSON.parse(JSON.stringify(event.data)) as JsonObject;
    const spec = this.catalog.schemaOf(event.type)?.personal;
    if (!spec || this.catalog.versionOf(event.type) < spec.sealedFrom) return data;
    if (!this.vault) throw new PersonalDataWithoutKeyStoreError(event.type);
    const fields = Object.fromEntries(spec.fields.filter((f) => data[f] !== undefined).map((f) => [f, data[f]]));
    if (Object.keys(fields).length === 0) return data;
    const rest = Object.fromEntries(Object.entries(data).filter(([key]) => !spec.fields.includes(key)));
    return { ...rest, [SEALED_MEMBER]: await this.vault.seal(spec.subject(data), fields) };
  }

  /** The personal fields a stored event holds in clear text although its version says they are sealed (verify). */
  clearTextPersonalFields(event: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): string[] {
    const spec = this.catalog.schemaOf(event.type)?.personal;
    if (!spec || this.catalog.storedVersionOf(event.metadata) < spec.sealedFrom) return [];
    return spec.fields.filter((field) => event.data[field] !== undefined && event.data[field] !== null);
  }
}

const erasedFields = (fields: readonly string[]): JsonObject => Object.fromEntries(fields.map((field) => [field, null]));

/** The hash a stream's next event chains to: its last event's. */
export const lastHashOf = (events: readonly { metadata: JsonObject }[]): string | null => {
  const hash = events.length ? (events[events.length - 1].metadata as Partial<EventMetadata>).hash : null;
  return typeof hash === 'string' ? hash : null;
};

/** Nest token of the process's one EventCodec. */
export const EVENT_CODEC = Symbol('EVENT_CODEC');
