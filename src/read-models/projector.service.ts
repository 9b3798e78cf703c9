import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Projector } from '../../projections/projector/projector';
import { EVENT_CODEC, type EventCodec } from '../event-sourcing/event-codec';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';

import type { ProjectionStatus, ProjectionSync } from './projection-sync';
import { DATABASE_URL } from './tokens';
import { CheckpointProjectionSync } from './checkpoint-projection-sync';

/**
 * The projector inside the API process (`npm start`), unless ASUH_RUN_PROJECTOR=false (docker-compose
 * runs it as its own service). Whether or not this instance holds the projector lock, it answers
 * read-your-writes waits and readiness from the committed checkpoint.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown, ProjectionSync, ProjectionStatus {
  readonly projector: Projector;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(EVENT_CODEC) codec: EventCodec,
    @Inject(DATABASE_URL) databaseUrl: string,
    @InjectPinoLogger('Projector') logger: PinoLogger,
    private readonly checkpoint: CheckpointProjectionSync,
  ) {
    this.projector = new Projector({ eventStore, codec, databaseUrl, logger, dbTimeoutMs: config.dbTimeoutMs });
  }

  onApplicationBootstrap(): void {
    // Not awaited: with another projector holding the lock, this one waits in the background.
    if (this.config.runProjector) void this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }

  async current(): Promise<bigint> {
    // The leading projector knows its committed position; otherwise the committed checkpoint row does.
    return this.projector.state === 'running' ? this.projector.position() : this.checkpoint.current();
  }

  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.projector.waitForPosition(position, timeoutMs);
  }

  async lag() {
    const lag = await this.projector.lag();
    return {
      checkpoint: BigInt(lag.checkpoint),
      head: BigInt(lag.headPosition),
      caughtUp: lag.caughtUp,
      behindSeconds: lag.caughtUp || lag.lastEventAgeMs === null ? 0 : Math.round(lag.lastEventAgeMs / 1000),
      running: lag.state === 'running',
    };
  }
}
