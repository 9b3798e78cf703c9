import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PROJECTION_SYNC, ProjectionSync } from '../read-models/projection-sync';
import { EVENT_CODEC, type EventCodec } from '../event-sourcing/event-codec';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { DATABASE_URL } from '../read-models/tokens';
import { verifyReadModels, VerifyReport } from './verify';

/** Longest wait for the live read models to reach the head before comparing at wherever they are. */
const MIN_CATCH_UP_WAIT_MS = 30_000;

@Injectable()
export class VerifyService {
  private readonly logger = new Logger(VerifyService.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CODEC) private readonly codec: EventCodec,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(PROJECTION_SYNC) private readonly projection: ProjectionSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(): Promise<VerifyReport> {
    const report = await verifyReadModels({
      eventStore: this.store,
      codec: this.codec,
      databaseUrl: this.databaseUrl,
      waitForLive: (position) => this.projection.waitFor(position, Math.max(this.config.consistencyWaitMs, MIN_CATCH_UP_WAIT_MS)),
    });
    const summary = `verify at ${report.position}: ${report.eventsReplayed} events replayed, ${report.mismatches.length} mismatches, ${report.brokenChains.length} broken chains`;
    if (report.ok) this.logger.log(summary);
    else this.logger.warn(summary);
    return report;
  }
}
