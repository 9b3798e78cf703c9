import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent, RecordedEvent, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { DomainError } from './domain-error';
import { canonicalJson, eventHash } from './event-hash';
import { CURRENT_SCHEMA_VERSION, EventMetadata } from './event-metadata';
import { startOfDayJakarta } from './clock';

/** Who and what caused a command: becomes the metadata of every event it appends. */
export interface CommandContext {
  /** API key name, or `system:…` for scheduled work. */
  principal: string;
  correlationId: string;
  causationId: string;
  now: Date;
  /** Today's date in the programme's time zone. */
  today: string;
}

export interface DomainEvent {
  type: string;
  data: object;
}

export interface Aggregate<S, E extends DomainEvent> {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
}

export interface Decision<E extends DomainEvent, R> {
  events: E[];
  result: R;
}

export interface Handled<R> {
  result: R;
  /** Position of the last event appended, or of the stream's last event when the command changed nothing. */
  position: bigint;
  appended: number;
}

/** Older event shapes are upcast here, in one place, before any fold sees them. */
export function upcast<E extends DomainEvent>(recorded: RecordedEvent): E {
  return { type: recorded.type, data: recorded.data } as unknown as E;
}

export function fold<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, events: RecordedEvent[]): S {
  return events.reduce((state, recorded) => aggregate.evolve(state, upcast<E>(recorded)), aggregate.initialState());
}

const BUSINESS_DATE_FIELDS = ['paidOn', 'enrolledOn', 'asOf', 'effectiveOn', 'withdrawnOn', 'registeredOn'] as const;

/** Business time of an event: its business date at 00:00 Asia/Jakarta, else the command time. */
function occurredAt(data: object, now: Date): string {
  const record = data as Record<string, unknown>;
  for (const field of BUSINESS_DATE_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return startOfDayJakarta(value);
  }
  return now.toISOString();
}

/** Turns decided events into store events with full metadata, each chained to the previous one's hash. */
export function toNewEvents(events: DomainEvent[], context: CommandContext, prevHash: string | null): NewEvent[] {
  let previous = prevHash;
  return events.map((event) => {
    const id = randomUUID();
    const base: Omit<EventMetadata, 'hash'> = {
      eventId: id,
      occurredAt: occurredAt(event.data, context.now),
      recordedAt: context.now.toISOString(),
      recordedBy: context.principal,
      correlationId: context.correlationId,
      causationId: context.causationId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      prevHash: previous,
    };
    const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
    const hash = eventHash(previous, event.type, data, base as unknown as Record<string, unknown>);
    previous = hash;
    return { id, type: event.type, data, metadata: { ...base, hash } };
  });
}

const lastHash = (events: RecordedEvent[]): string | null =>
  events.length ? ((events[events.length - 1].metadata as Partial<EventMetadata>).hash ?? null) : null;

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(attempt, 5)));

/**
 * The command-handling shell: read the stream, fold it, decide, append with the expected revision
 * the decision was based on. On a concurrent write it starts over with the new history, a bounded
 * number of times, then gives up with CONCURRENCY_CONFLICT.
 */
export async function handleCommand<S, E extends DomainEvent, R>(
  store: EventStore,
  streamId: string,
  aggregate: Aggregate<S, E>,
  decide: (state: S, history: RecordedEvent[]) => Decision<E, R> | Promise<Decision<E, R>>,
  context: CommandContext,
  retries: number,
  /** The stream as the caller just read it, to spare the first attempt a second read. */
  knownHistory?: RecordedEvent[],
): Promise<Handled<R>> {
  for (let attempt = 0; ; attempt++) {
    const history = attempt === 0 && knownHistory ? knownHistory : await store.readStream(streamId);
    const state = fold(aggregate, history);
    const { events, result } = await decide(state, history);
    if (events.length === 0) {
      const position = history.length ? history[history.length - 1].position : await store.headPosition();
      return { result, position, appended: 0 };
    }
    const expected = history.length ? history[history.length - 1].revision : 'no_stream';
    try {
      const appended = await store.appendToStream(streamId, toNewEvents(events, context, lastHash(history)), expected);
      return { result, position: appended.position, appended: events.length };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (attempt >= retries) {
        throw new DomainError('CONCURRENCY_CONFLICT', `${streamId} kept changing during ${retries + 1} attempts; retry the request`);
      }
      await pause(attempt);
    }
  }
}

export interface Reservation<T> {
  /** True when this call created the reservation. */
  created: boolean;
  /** The reservation's content: ours when created, else the existing holder's. */
  holder: T;
  position: bigint;
  /** When the holder's command recorded the reservation (its clock, ISO 8601); ours when created. */
  recordedAt: string;
}

/**
 * How long a reservation must exist before a claim may take it over from a holder that has not recorded
 * its fact. Shorter would race the holder itself, which is still between its reservation and its own
 * append; a request that died in between keeps its key blocked for this long at most.
 */
export const RESERVATION_TAKEOVER_AFTER_MS = 60_000;

/**
 * Uniqueness in the write model (one NIK, one NIP, one payment reference): a reservation stream per
 * key, appended with expected revision `no_stream`, so of two parallel requests exactly one wins.
 */
export async function reserve<T extends object>(
  store: EventStore,
  streamId: string,
  type: string,
  content: T,
  context: CommandContext,
): Promise<Reservation<T>> {
  try {
    const appended = await store.appendToStream(streamId, toNewEvents([{ type, data: content }], context, null), 'no_stream');
    return { created: true, holder: content, position: appended.position, recordedAt: context.now.toISOString() };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const existing = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    const recordedAt = (existing[0].metadata as Partial<EventMetadata>).recordedAt ?? existing[0].created.toISOString();
    return { created: false, holder: existing[0].data as T, position: existing[0].position, recordedAt };
  }
}

/**
 * Claims a unique key (one NIK, one NIP, one payment reference) for `content`. An existing reservation
 * with the same content is ours already; one whose holder `stillHolds` no longer (a request that died
 * between the reservation and its own append) is taken over. Returns false when someone else holds it.
 */
export async function claimUnique<T extends object>(
  store: EventStore,
  streamId: string,
  type: string,
  content: T,
  stillHolds: (holder: T) => Promise<boolean>,
  context: CommandContext,
): Promise<boolean> {
  const reservation = await reserve<T>(store, streamId, type, content, context);
  if (reservation.created || canonicalJson(reservation.holder) === canonicalJson(content)) return true;
  if (await stillHolds(reservation.holder)) return false;
  // A young reservation's holder may simply not have appended yet: taking it over then lets both through.
  if (context.now.getTime() - Date.parse(reservation.recordedAt) < RESERVATION_TAKEOVER_AFTER_MS) return false;
  return takeOverReservation(store, streamId, type, content, context);
}

/** Re-points a reservation whose holder never came into being (a crash between the two appends). */
async function takeOverReservation<T extends object>(
  store: EventStore,
  streamId: string,
  type: string,
  content: T,
  context: CommandContext,
): Promise<boolean> {
  const existing = await store.readStream(streamId);
  const last = existing[existing.length - 1];
  try {
    await store.appendToStream(streamId, toNewEvents([{ type, data: content }], context, lastHash(existing)), last.revision);
    return true;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return false;
    throw error;
  }
}
