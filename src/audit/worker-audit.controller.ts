import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi';
import { PointInTimeCoverageDto, WorkerHistoryDto } from './audit.responses';
import { Roles } from '../auth/roles.decorator';
import { CLOCK, Clock } from '../shared/clock';
import { WorkerCoverageQueryDto, WorkerHistoryQueryDto } from './audit.dto';
import { WorkerCoverageQuery } from './worker-coverage.query';
import { WorkerHistoryQuery } from './worker-history.query';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/workers')
@Roles('admin', 'auditor')
export class WorkerAuditController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':workerId/history')
  @ApiOperation({
    summary: "A worker's contribution history, from the event store itself",
    description:
      'Every event of the worker stream in order: `{ workerId, events: [{ position, revision, eventId, type, occurredAt, recordedAt, ' +
      'recordedBy, correlationId, causationId, data }] }`. Positions and revisions are decimal strings; `occurredAt` is business ' +
      'time, `recordedAt` when the service recorded it. The NIK inside `WorkerEnrolled` is masked. 404 NOT_FOUND for an unknown worker.',
  })
  @ApiOkResponse({ type: WorkerHistoryDto })
  @ApiProblems('NOT_FOUND')
  history(@Param('workerId', ParseUUIDPipe) workerId: string, @Query() _query: WorkerHistoryQueryDto) {
    return this.queries.execute(new WorkerHistoryQuery(workerId));
  }

  @Get(':workerId/coverage')
  @ApiOperation({
    summary: "A worker's coverage as of a date, optionally as known at an instant",
    description:
      "The worker's events folded with the same decider the commands use, keeping only events whose business date " +
      '(`occurredOn`, set by the decider that decided them) is on or before `asOf`, and with `knownAt` only those ' +
      'recorded by then; `status` is the status of domain.md as of `asOf` for that state. Answers `{ workerId, asOf, knownAt, status, ' +
      'enrolledOn, paidThrough, firstUnpaidMonth, monthsContributed, fundingSource, sponsorId, eventsConsidered, lastEventPosition }`; ' +
      '`status` null: not enrolled as of `asOf` (or not yet recorded by `knownAt`). 404 NOT_FOUND for an unknown worker.',
  })
  @ApiOkResponse({ type: PointInTimeCoverageDto })
  @ApiProblems('NOT_FOUND')
  coverage(@Param('workerId', ParseUUIDPipe) workerId: string, @Query() query: WorkerCoverageQueryDto) {
    const view = { asOf: query.asOf ?? this.clock.today(), knownAt: query.knownAt ? new Date(query.knownAt) : null };
    return this.queries.execute(new WorkerCoverageQuery(workerId, view));
  }
}
