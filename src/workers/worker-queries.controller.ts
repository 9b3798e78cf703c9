import { Controller, ForbiddenException, Get, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { ApiProblems } from '../http/openapi';
import { PersonalDataAccess } from '../http/personal-data-access';
import { DEFAULT_PAGE_SIZE, ReadQueryDto } from '../read-models/read-query.dto';
import type { Principal } from '../shared/roles';
import { ScopeService } from '../scope/scope.service';
import { GetWorkerQuery } from './get-worker.query';
import { ListWorkersQuery } from './list-workers.query';
import { WorkerListQueryDto } from './worker.dto';
import { workerSubject } from './worker.events';
import { WorkerPageDto, WorkerViewDto } from './worker.responses';
import type { WorkerView } from './worker-view';

@ApiTags('workers')
@ApiBearerAuth()
@Controller('v1/workers')
@Roles('admin', 'operator', 'auditor')
export class WorkerQueriesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: PersonalDataAccess,
    private readonly scope: ScopeService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Registered workers, filtered by status, OPD, sponsor or kecamatan; NIK masked',
    description:
      'Look-ups (admin and operator only): `nik` finds the worker with that exact NIK (0 or 1 item, through the keyed NIK ' +
      'hash); `q` finds names containing it, any case (at least 3 characters). Workers whose personal data was erased are not listed.',
  })
  @ApiOkResponse({ type: WorkerPageDto })
  @ApiProblems('OUT_OF_SCOPE')
  async list(@Query() q: WorkerListQueryDto, @Req() req: Request) {
    if ((q.nik !== undefined || q.q !== undefined) && (req as Request & { principal: Principal }).principal.role === 'auditor') {
      throw new ForbiddenException('Looking workers up by NIK or name is for admins and operators');
    }
    const opdCode = this.scope.listFilter((req as Request & { principal?: Principal }).principal, q.opdCode);
    const filters = { status: q.status, opdCode, sponsorId: q.sponsorId, kecamatan: q.kecamatan, nik: q.nik, q: q.q };
    const page = await this.queries.execute(new ListWorkersQuery(filters, q.limit ?? DEFAULT_PAGE_SIZE, q.cursor));
    await this.recordNames(req, page.items);
    return page;
  }

  @Get(':workerId')
  @ApiOperation({ summary: 'A worker as the events say: status, paidThrough, monthsContributed (NIK masked)' })
  @ApiOkResponse({ type: WorkerViewDto })
  @ApiProblems('NOT_FOUND', 'OUT_OF_SCOPE')
  async get(@Param('workerId', ParseUUIDPipe) workerId: string, @Query() _q: ReadQueryDto, @Req() req: Request) {
    const worker = await this.queries.execute(new GetWorkerQuery(workerId));
    this.scope.requireVisible((req as Request & { principal?: Principal }).principal, worker.opdCode, `worker ${workerId}`);
    await this.recordNames(req, [worker]);
    return worker;
  }

  private recordNames(req: Request, workers: readonly WorkerView[]): Promise<void> {
    return this.access.record(req, workers.filter((w) => w.fullName !== null).map((w) => workerSubject(w.workerId)));
  }
}
