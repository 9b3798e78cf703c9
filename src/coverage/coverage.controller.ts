import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LapseRunAnswerDto } from './lapse-run.responses';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { LapseRunDto } from './lapse-run.dto';
import { RunLapseCheckCommand } from './run-lapse-check.handler';

@ApiTags('coverage')
@ApiBearerAuth()
@Controller('v1/coverage')
export class CoverageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly contexts: CommandContextFactory,
  ) {}

  @Post('lapse-runs')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Run the lapse check as of a date (default today)',
    description: 'Appends CoverageLapsed / CoverageEnded for every worker whose status moved; a second run for the same date appends nothing.',
  })
  @ApiOkResponse({ type: LapseRunAnswerDto })
  async run(@Body() body: LapseRunDto, @Req() req: Request) {
    const context = this.contexts.fromRequest(req);
    const result = await this.commands.execute(new RunLapseCheckCommand(body.asOf ?? context.today, context));
    return withPosition({ asOf: result.asOf, lapsed: result.lapsed, ended: result.ended }, result.position);
  }
}
