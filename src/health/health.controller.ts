import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { PROJECTION_STATUS, type ProjectionStatus } from '../read-models/projection-sync';


/** Readiness fails when the projection is this far behind (seconds since the oldest unprojected event). */
const MAX_PROJECTION_LAG_SECONDS = 60;

/**
 * Each check's own bound: they run side by side, so readiness answers within about this long whatever the
 * dependencies do (frozen, unreachable), well inside the 2 s a load balancer is promised.
 */
export const CHECK_TIMEOUT_MS = 1500;

/** `work`, or a rejection naming `what` once `ms` have passed (the work itself is left to its own bounds). */
function within<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  const running = Promise.resolve().then(work);
  running.catch(() => undefined);
  return Promise.race([running, deadline]).finally(() => clearTimeout(timer));
}

class LiveDto {
  @ApiProperty({ example: 'ok' })
  status: string;
}

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(PROJECTION_STATUS) private readonly projection?: ProjectionStatus,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ type: LiveDto })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Event store, database and projection lag', description: 'Answers within 2 s whatever the dependencies do: each check is bounded.' })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      async () => {
        const indicator = this.indicators.check('eventStore');
        try {
          await within(CHECK_TIMEOUT_MS, 'the event store', () => this.eventStore.ping());
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
      async () => {
        const indicator = this.indicators.check('projection');
        if (!this.projection) return indicator.up({ running: false, note: 'projector runs in another process' });
        let lag;
        try {
          lag = await within(CHECK_TIMEOUT_MS, 'the projection status', () => this.projection!.lag());
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
        const details = {
          running: lag.running,
          checkpoint: lag.checkpoint.toString(),
          head: lag.head.toString(),
          caughtUp: lag.caughtUp,
          behindSeconds: lag.behindSeconds,
        };
        return lag.behindSeconds <= MAX_PROJECTION_LAG_SECONDS ? indicator.up(details) : indicator.down(details);
      },
    ]);
  }
}
