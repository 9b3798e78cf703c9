import { Body, Controller, Get, HttpCode, Put, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { ApiProblems } from '../http/openapi';
import { SetUcjTargetCommand } from './set-ucj-target.handler';
import { SetUcjTargetDto, UcjQueryDto } from './ucj.dto';
import { UcjProgressQuery } from './ucj-progress.query';
import { UcjProgressDto, UcjTargetAnswerDto } from './ucj.responses';

@ApiTags('ucj')
@ApiBearerAuth()
@Controller('v1/ucj')
export class UcjTargetController {
  constructor(
    private readonly commands: CommandBus,
    private readonly contexts: CommandContextFactory,
  ) {}

  @Put('target')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: "Set a year's UCJ target (UcjTargetSet)",
    description:
      'The number of covered (ACTIVE) workers the city aims for in `year`. Until a year has a target of its own, ' +
      'ASUH_UCJ_TARGET applies. Setting the current target again records nothing and answers the same (with the position ' +
      'of the year\'s last event). 400 VALIDATION_FAILED for a year before the programme\'s first tariff or more than 5 years ' +
      'ahead, or a target that is not a whole number from 1 to 1,000,000,000.',
  })
  @ApiOkResponse({ type: UcjTargetAnswerDto })
  @ApiProblems('CONCURRENCY_CONFLICT')
  async setTarget(@Body() body: SetUcjTargetDto, @Req() req: Request) {
    const { year, target, position } = await this.commands.execute(new SetUcjTargetCommand(body, this.contexts.fromRequest(req)));
    return withPosition({ year, target }, position);
  }
}

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
@Roles('admin', 'operator', 'auditor', 'analyst')
export class UcjStatsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('ucj')
  @ApiOperation({
    summary: "UCJ progress: workers ACTIVE now (every funding source) against the year's target",
    description:
      "target: the year's target (PUT /v1/ucj/target), else ASUH_UCJ_TARGET; covered: registered workers whose status is ACTIVE " +
      'now, as the events say; progress = covered / target (4 decimals); bySource splits covered by current funding source. ' +
      'An aggregate: with ASUH_PUBLIC_STATS=true it answers without a key.',
  })
  @ApiOkResponse({ type: UcjProgressDto })
  ucj(@Query() q: UcjQueryDto) {
    return this.queries.execute(new UcjProgressQuery(q.year));
  }
}
