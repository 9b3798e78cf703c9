import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { ErasureRequestDto } from '../http/erasure-request.dto';
import { ApiProblems } from '../http/openapi';
import { PersonalDataAccess } from '../http/personal-data-access';
import { ReadQueryDto } from '../read-models/read-query.dto';
import { EraseWorkerPersonalDataCommand } from './erase-worker.handler';
import { workerSubject } from './worker.events';
import { WorkerErasureAnswerDto, WorkerPersonalDataDto } from './worker.responses';
import { WorkerPersonalDataQuery } from './worker-personal-data.query';

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('v1/workers')
@Roles('admin')
export class WorkerPersonalDataController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: CommandContextFactory,
    private readonly access: PersonalDataAccess,
  ) {}

  @Post(':workerId/erasure')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase a worker's personal data (UU PDP): only once the membership has ended",
    description:
      'Records PersonalDataErased (reason and request reference, no personal data), releases the NIK (the person can be ' +
      'enrolled again later as a new worker) and destroys the worker’s data key: NIK, name, birth date, phone and address read ' +
      'as erased everywhere from then on, while payments, dates, amounts and statuses stay for the archive. Asking again answers the first erasure.',
  })
  @ApiOkResponse({ type: WorkerErasureAnswerDto })
  @ApiProblems('NOT_FOUND', 'ERASURE_NOT_ALLOWED', 'CONCURRENCY_CONFLICT')
  async erase(@Param('workerId', ParseUUIDPipe) workerId: string, @Body() body: ErasureRequestDto, @Req() req: Request) {
    const answer = await this.commands.execute(new EraseWorkerPersonalDataCommand(workerId, body, this.contexts.fromRequest(req)));
    return withPosition({ workerId, erasedAt: answer.erasedAt }, answer.position);
  }

  @Get(':workerId/personal-data')
  @ApiOperation({
    summary: "The worker's personal data as held, with who has read it (UU PDP access request)",
    description: 'The one answer that carries a whole NIK; every call is written to the access log it shows.',
  })
  @ApiOkResponse({ type: WorkerPersonalDataDto })
  @ApiProblems('NOT_FOUND')
  async personalData(@Param('workerId', ParseUUIDPipe) workerId: string, @Query() _q: ReadQueryDto, @Req() req: Request) {
    await this.access.record(req, [workerSubject(workerId)]);
    return this.queries.execute(new WorkerPersonalDataQuery(workerId));
  }
}
