import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { PROJECTION_STATUS, type ProjectionStatus } from '../read-models/projection-sync';


/** Readiness fails when the projection is this far behind (seconds since the oldest unprojected event). */
const MAX_PROJECTION_LAG_SECONDS = 60;

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
  @ApiOperation({ summary: 'Event store, database and projection lag' })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('eventStore');
        try {
          await this.eventStore.ping();
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
          lag = await this.projection.lag();
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
