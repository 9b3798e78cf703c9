import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PROJECTION_SYNC, ProjectionSync } from './projection-sync';
import { formatPosition } from '../event-store/event-store.port';
import { parseClientPosition } from './read-query.dto';
import { ProblemException } from '../http/problem-details.filter';

/**
 * Read-your-writes for every GET under /v1: `?minPosition=` waits (up to ASUH_CONSISTENCY_WAIT_MS) until
 * the read models have processed that log position, else 503 PROJECTION_LAGGING with Retry-After; every
 * answer carries `X-Projection-Position`, the position the read models had reached.
 */
@Injectable()
export class ReadConsistencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(PROJECTION_SYNC) private readonly projection: ProjectionSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (request.method !== 'GET' || !request.path.startsWith('/v1/')) return next.handle();
    const response = http.getResponse<Response>();
    return from(this.before(request, response)).pipe(switchMap(() => next.handle()));
  }

  private async before(request: Request, response: Response): Promise<void> {
    const raw = request.query.minPosition;
    if (raw !== undefined) {
      // Checked here, before waiting: interceptors run before the DTO's validation would.
      const wanted = parseClientPosition(raw);
      if (wanted === null) {
        throw new ProblemException(400, 'VALIDATION_FAILED', 'minPosition must be a log position (a decimal string up to 9223372036854775807)', [
          { field: 'minPosition', message: 'minPosition must be a decimal string up to 9223372036854775807' },
        ]);
      }
      const reached = await this.projection.waitFor(wanted, this.config.consistencyWaitMs);
      if (!reached) {
        throw new ProblemException(503, 'PROJECTION_LAGGING', `The read models have not reached position ${wanted} yet; retry shortly`, undefined, {
          'Retry-After': '1',
        });
      }
    }
    response.setHeader('X-Projection-Position', formatPosition(await this.projection.current()));
  }
}
