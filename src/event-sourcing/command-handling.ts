import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type StreamAppend,
  WrongExpectedRevisionError,
} from '../event-store/event-store.port';
import { type Aggregate, type DomainEvent, fold } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import { type DecodedEvent, type EventCodec, lastHashOf } from './event-codec';
import { canonicalJson } from './event-hash';
import type { CommandContext, EventMetadata } from './event-metadata';

/**
 * A unique key a command takes for its fact (a NIK for a worker, a payment reference for a payment): a
 * reservation event appended to the key's own stream with expected revision `no_stream`, so of two
 * parallel claims exactly one wins.
 */
export interface UniqueClaim<H extends JsonObject = JsonObject> {
  /** The key's reservation stream (see unique-keys.ts). */
  streamId: string;
  /** Event type of the reservation (`NikReserved`, `NipReserved`, `PaymentRefReserved`). */
  type: string;
  /** Who holds the key once the command succeeds (`{ workerId }`, …): no personal data. */
  holder: H;
  /** Whether an existing holder's fact exists; a reservation whose fact was never written is free to take over. */
  stillHeld(holder: H): Promise<boolean>;
  /** The error for a key someone else holds. */
  conflict(holder: H): DomainError;
}

/** What a decide step returns: the events to append, the answer, and the unique keys the events need. */
export interface Decision<E extends DomainEvent, R> {
  events: E[];
  result: R;
  claims?: UniqueClaim[];
  /** Reservations this command gives up (an erased worker's NIK), released in the same append where the store allows. */
  releases?: { streamId: string; holder: JsonObject }[];
}

export interface Handled<R> {
  result: R;
  /** Position of the last event appended, or of the stream's last event when the command changed nothing. */
  position: bigint;
  appended: number;
  /** Revision of the stream's last event after the command (null: the stream still has none). */
  revision: bigint | null;
}

/** Marks a reservation stream as free again; the next claim appends after it. */
export const RESERVATION_RELEASED = 'ReservationReleased';

export const RESERVATION_EVENT_SCHEMAS = { [RESERVATION_RELEASED]: { version: 1 } } as const;

/**
 * How long a reservation must exist before a claim may take it over from a holder that has not recorded its
 * fact. Only on stores that append stream by stream (EventStoreDB), where a holder may still be between its
 * reservation and its fact; a holder that fails releases its reservation itself, so this only covers a
 * process that died in between.
 */
export const RESERVATION_TAKEOVER_AFTER_MS = 60_000;

export interface ShellOptions {
  store: EventStore;
  codec: EventCodec;
  /** Further attempts after a concurrent write, before CONCURRENCY_CONFLICT. */
  retries: number;
}

/** How often a command may find a claimed key free again (released meanwhile) before it gives up. */
const MAX_CLAIM_ROUNDS = 5;

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(attempt, 5)));

/** Where a reservation stream stands, as far as a claim is concerned. */
type ReservationState =
  | { kind: 'free'; expected: ExpectedRevision }
  | { kind: 'ours'; revision: bigint }
  | { kind: 'held'; holder: JsonObject; revision: bigint; recordedAt: number };

/**
 * The command-handling shell: read the stream, fold it, decide once, append the decided events with the
 * expected revision the decision was based on, together with the reservations of the unique keys it
 * claims. On a concurrent write it starts over with the new history, a bounded number of times, then
 * gives up with CONCURRENCY_CONFLICT. The decider's answer is returned as is: an idempotent replay is its
 * own result with no events, never a second read here.
 */
export class CommandShell {
  constructor(private readonly options: ShellOptions) {}

  get store(): EventStore {
    return this.options.store;
  }

  /** A stream's events in their current shape. */
  async read<E extends DomainEvent>(streamId: string): Promise<DecodedEvent<E>[]> {
    return this.options.codec.decode<E>(await this.options.store.readStream(streamId));
  }

  async handle<S, E extends DomainEvent, R>(
    streamId: string,
    aggregate: Aggregate<S, E>,
    decide: (state: S) => Decision<E, R>,
    context: CommandContext,
    /** The stream as the caller just read it, to spare the first attempt a second read. */
    knownHistory?: DecodedEvent<E>[],
  ): Promise<Handled<R>> {
    const { store, codec, retries } = this.options;
    const atomic = typeof store.appendToStreams === 'function';
    /** Claim streams found free at a revision (released, or an orphan to take over), by stream. */
    const claimExpected = new Map<string, ExpectedRevision>();
    /** Reservations this command appended itself on a store without atomic appends. */
    const acquired = new Map<string, { claim: UniqueClaim; revision: bigint }>();
    try {
      /** Concurrent writes to the stream met so far (bounded by `retries`), and reservations found free to take. */
      let conflicts = 0;
      let freedClaims = 0;
      for (let attempt = 0; ; attempt++) {
        const history = attempt === 0 && knownHistory ? knownHistory : await this.read<E>(streamId);
        const { events, result, claims = [], releases = [] } = decide(fold(aggregate, history));
        if (events.length === 0) {
          await this.releaseAcquired(acquired, context);
          const position = history.length ? history[history.length - 1].position : await store.headPosition();
          return { result, position, appended: 0, revision: history.length ? history[history.length - 1].revision : null };
        }
        if (context.dryRun) {
          for (const claim of claims) {
            const state = await this.reservationState(claim, context);
            if (state.kind === 'held') throw claim.conflict(state.holder);
          }
          const position = history.length ? history[history.length - 1].position : await store.headPosition();
          return { result, position, appended: 0, revision: history.length ? history[history.length - 1].revision : null };
        }
        const expected = history.length ? history[history.length - 1].revision : 'no_stream';
        const main: StreamAppend = { streamId, events: await codec.encode(events, context, lastHashOf(history)), expectedRevision: expected };
        try {
          let appended: AppendResult;
          if (atomic) {
            const reservations = await Promise.all(claims.map((claim) => this.reservationAppend(claim, claimExpected.get(claim.streamId) ?? 'no_stream', context)));
            const releasing = await Promise.all(releases.map((release) => this.releaseAppend(release.streamId, release.holder, context)));
            const results = await store.appendToStreams!([...reservations, ...releasing.filter((r): r is StreamAppend => r !== null), main]);
            appended = results[results.length - 1];
          } else {
            for (const claim of claims) {
              if (!acquired.has(claim.streamId)) acquired.set(claim.streamId, { claim, revision: await this.acquire(claim, context) });
            }
            appended = await store.appendToStream(streamId, main.events, expected);
            acquired.clear();
            for (const release of releases) await this.release(release.streamId, release.holder, context);
          }
          return { result, position: appended.position, appended: events.length, revision: appended.nextExpectedRevision };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          const claim = claims.find((c) => c.streamId === error.streamId);
          if (claim) {
            const state = await this.reservationState(claim, context);
            if (state.kind === 'held') throw claim.conflict(state.holder);
            // Free (released, or an orphan to take over): claim it at its revision. 'ours': our own fact won a
            // race meanwhile; deciding again on the new history says what that means.
            if (state.kind === 'free') claimExpected.set(claim.streamId, state.expected);
            if (++freedClaims <= MAX_CLAIM_ROUNDS) continue;
          }
          if (++conflicts > retries) {
            throw new DomainError('CONCURRENCY_CONFLICT', `${streamId} kept changing during ${retries + 1} attempts; retry the request`);
          }
          await pause(conflicts);
        }
      }
    } catch (error) {
      await this.releaseAcquired(acquired, context).catch(() => undefined);
      throw error;
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Reservations.

  private async reservationAppend(claim: UniqueClaim, expected: ExpectedRevision, context: CommandContext): Promise<StreamAppend> {
    const prevHash = expected === 'no_stream' ? null : lastHashOf(await this.options.store.readStream(claim.streamId, { direction: 'backwards', maxCount: 1 }));
    const events = await this.options.codec.encode([{ type: claim.type, data: claim.holder }], context, prevHash);
    return { streamId: claim.streamId, events, expectedRevision: expected };
  }

  private async releaseAppend(streamId: string, holder: JsonObject, context: CommandContext): Promise<StreamAppend | null> {
    const last = await this.options.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (last.length === 0 || last[0].type === RESERVATION_RELEASED || canonicalJson(last[0].data) !== canonicalJson(holder)) return null;
    const events = await this.options.codec.encode([{ type: RESERVATION_RELEASED, data: { holder } }], context, lastHashOf(last));
    return { streamId, events, expectedRevision: last[0].revision };
  }

  /** Who holds a claim's key now, and whether this claim may take it. */
  private async reservationState(claim: UniqueClaim, context: CommandContext): Promise<ReservationState> {
    const [last] = await this.options.codec.decode(await this.options.store.readStream(claim.streamId, { direction: 'backwards', maxCount: 1 }));
    if (!last) return { kind: 'free', expected: 'no_stream' };
    if (last.type === RESERVATION_RELEASED) return { kind: 'free', expected: last.revision };
    const holder = last.data as JsonObject;
    if (canonicalJson(holder) === canonicalJson(claim.holder)) return { kind: 'ours', revision: last.revision };
    const recordedAt = Date.parse(String((last.metadata as Partial<EventMetadata>).recordedAt ?? last.created.toISOString()));
    const held: ReservationState = { kind: 'held', holder, revision: last.revision, recordedAt };
    if (await claim.stillHeld(holder)) return held;
    // A holder whose fact is missing died between its two appends (stores without atomic appends) — unless it is
    // young and still on its way; on a store with atomic appends reservation and fact are written together.
    const young = context.now.getTime() - recordedAt < RESERVATION_TAKEOVER_AFTER_MS;
    if (young && typeof this.options.store.appendToStreams !== 'function') return held;
    return { kind: 'free', expected: last.revision };
  }

  /** Stream by stream: appends the reservation (taking over a free one) and returns its revision. */
  private async acquire(claim: UniqueClaim, context: CommandContext): Promise<bigint> {
    let expected: ExpectedRevision = 'no_stream';
    for (let round = 0; round <= MAX_CLAIM_ROUNDS; round++) {
      const append = await this.reservationAppend(claim, expected, context);
      try {
        return (await this.options.store.appendToStream(claim.streamId, append.events, expected)).nextExpectedRevision;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        const state = await this.reservationState(claim, context);
        if (state.kind === 'held') throw claim.conflict(state.holder);
        if (state.kind === 'ours') return state.revision;
        expected = state.expected;
      }
    }
    throw new DomainError('CONCURRENCY_CONFLICT', `${claim.streamId} kept changing; retry the request`);
  }

  /** Gives back what a failed command reserved, so a correct retry is never blocked by it. */
  private async releaseAcquired(acquired: Map<string, { claim: UniqueClaim; revision: bigint }>, context: CommandContext): Promise<void> {
    for (const { claim } of acquired.values()) await this.release(claim.streamId, claim.holder, context);
    acquired.clear();
  }

  private async release(streamId: string, holder: JsonObject, context: CommandContext): Promise<void> {
    const append = await this.releaseAppend(streamId, holder, context);
    if (!append) return;
    try {
      await this.options.store.appendToStream(streamId, append.events, append.expectedRevision);
    } catch (error) {
      // Someone took the key over meanwhile: it is no longer ours to release.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}

