import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RecordedEvent } from './event-store.port';
import { EVENT_STORE, EventStore } from './event-store.port';
import { Aggregate, claimUnique, CommandContext, Decision, DomainEvent, Handled, handleCommand } from '../shared/command-handling';
import type { Policy } from '../shared/policy';

/** What every command handler needs: the event store, the policy, and the shell with its retry bound. */
@Injectable()
export class CommandRunner {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get policy(): Policy {
    return this.config.policy;
  }

  /** Read, fold, decide, append with the expected revision; retried on concurrent writes (ASUH_APPEND_RETRIES). */
  run<S, E extends DomainEvent, R>(
    streamId: string,
    aggregate: Aggregate<S, E>,
    decide: (state: S, history: RecordedEvent[]) => Decision<E, R> | Promise<Decision<E, R>>,
    context: CommandContext,
    knownHistory?: RecordedEvent[],
  ): Promise<Handled<R>> {
    return handleCommand(this.store, streamId, aggregate, decide, context, this.config.appendRetries, knownHistory);
  }

  claimUnique<T extends object>(streamId: string, type: string, content: T, stillHolds: (holder: T) => Promise<boolean>, context: CommandContext): Promise<boolean> {
    return claimUnique(this.store, streamId, type, content, stillHolds, context);
  }

  async streamExists(streamId: string): Promise<boolean> {
    return (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
  }
}
