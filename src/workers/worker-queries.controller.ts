import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi';
import { WorkerPageDto, WorkerViewDto } from './worker.responses';
import { Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_SIZE, ReadQueryDto } from '../read-models/read-query.dto';
import { GetWorkerQuery } from './get-worker.query';
import { ListWorkersQuery } from './list-workers.query';
import { WorkerListQueryDto } from './worker.dto';

@ApiTags('workers')
@ApiBearerAuth()
@Controller('v1/workers')
@Roles('admin', 'operator', 'auditor')
export class WorkerQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Workers, filtered by status, OPD, sponsor or kecamatan; NIK masked' })
  @ApiOkResponse({ type: WorkerPageDto })
  list(@Query() q: WorkerListQueryDto) {
    const filters = { status: q.status, opdCode: q.opdCode, sponsorId: q.sponsorId, kecamatan: q.kecamatan };
    return this.queries.execute(new ListWorkersQuery(filters, q.limit ?? DEFAULT_PAGE_SIZE, q.cursor));
  }

  @Get(':workerId')
  @ApiOperation({ summary: 'A worker as the events say: status, paidThrough, monthsContributed (NIK masked)' })
  @ApiOkResponse({ type: WorkerViewDto })
  @ApiProblems('NOT_FOUND')
  get(@Param('workerId', ParseUUIDPipe) workerId: string, @Query() _q: ReadQueryDto) {
    return this.queries.execute(new GetWorkerQuery(workerId));
  }
}
