import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore, type JsonObject } from '../event-store/event-store.port';
import type { Aggregate, DomainEvent } from '../shared/domain-event';
import type { Policy } from '../shared/policy';
import { CommandShell, type Decision, type Handled, RESERVATION_RELEASED } from './command-handling';

import { type DecodedEvent, EVENT_CODEC, type EventCodec } from './event-codec';
import type { CommandContext } from './event-metadata';
import { KEY_HASHER, type KeyHasher, reservationStream, type UniqueKeyKind } from './unique-keys';

/** How many streams' last revisions a process keeps to recognise a stale prefetched history (a few hundred kB). */
const STREAMS_REMEMBERED = 10_000;

/** What every command handler needs: the shell (store, codec, retry bound), the policy and the unique-key names. */
@Injectable()
export class CommandRunner {
  private readonly shell: CommandShell;
  /** Per stream, the command last queued on it in this process: the next one starts when it is done. */
  private readonly tails = new Map<string, Promise<void>>();
  /**
   * Per stream, the revision this process's last command left it at (the most recent STREAMS_REMEMBERED streams):
   * a history a handler read before its command's turn is dropped when a command of this process appended since.
   */
  private readonly lastRevisions = new Map<string, bigint>();

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(EVENT_CODEC) readonly codec: EventCodec,
    @Inject(KEY_HASHER) private readonly hasher: KeyHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.shell = new CommandShell({ store, codec, retries: config.appendRetries });
  }

  get policy(): Policy {
    return this.config.policy;
  }

  /**
   * Read, fold, decide once, append with the expected revision (and the claimed keys); retried on concurrent
   * writes. Commands on one stream run one after the other within this process (a queue per stream), so ten
   * payments arriving together for one worker are decided in turn instead of racing each other through
   * optimistic retries; other processes still meet at the expected revision. A command that had to wait
   * reads the stream afresh rather than use a history read before it waited.
   */
  async run<S, E extends DomainEvent, R>(
    streamId: string,
    aggregate: Aggregate<S, E>,
    decide: (state: S) => Decision<E, R>,
    context: CommandContext,
    knownHistory?: DecodedEvent<E>[],
  ): Promise<Handled<R>> {
    const previous = this.tails.get(streamId);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous ? previous.then(() => mine) : mine;
    this.tails.set(streamId, tail);
    try {
      if (previous) await previous;
      const handled = await this.shell.handle(streamId, aggregate, decide, context, previous ? undefined : this.current(streamId, knownHistory));
      if (handled.appended > 0 && handled.revision !== null) this.remember(streamId, handled.revision);
      return handled;
    } finally {
      done();
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    }
  }

  /** `history` unless a command of this process has appended to the stream since it was read. */
  private current<E extends DomainEvent>(streamId: string, history?: DecodedEvent<E>[]): DecodedEvent<E>[] | undefined {
    if (!history) return undefined;
    const known = this.lastRevisions.get(streamId);
    if (known === undefined) return history;
    const read = history.length ? history[history.length - 1].revision : -1n;
    return read >= known ? history : undefined;
  }

  private remember(streamId: string, revision: bigint): void {
    this.lastRevisions.delete(streamId);
    this.lastRevisions.set(streamId, revision);
    if (this.lastRevisions.size > STREAMS_REMEMBERED) this.lastRevisions.delete(this.lastRevisions.keys().next().value!);
  }

  /** Commands queued or running per stream in this process (for tests and diagnostics). */
  get streamsBusy(): number {
    return this.tails.size;
  }

  /** A stream's events in their current shape (upcast on read). */
  read<E extends DomainEvent>(streamId: string): Promise<DecodedEvent<E>[]> {
    return this.shell.read<E>(streamId);
  }

  async streamExists(streamId: string): Promise<boolean> {
    return (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
  }

  /**
   * Who holds a unique key now (`{ workerId }` for a NIK, `{ sponsorId }` for a NIP…), from its reservation
   * stream in the write model: never behind the log, unlike a read model. Null when free or released.
   */
  async reservationHolder(kind: UniqueKeyKind, value: string): Promise<JsonObject | null> {
    const last = await this.store.readStream(this.reservationStream(kind, value), { direction: 'backwards', maxCount: 1 });
    const [event] = await this.codec.decode(last);
    if (!event || event.type === RESERVATION_RELEASED) return null;
    return event.data as JsonObject;
  }

  reservationStream(kind: UniqueKeyKind, value: string): string {
    return reservationStream(this.hasher, kind, value);
  }
}
