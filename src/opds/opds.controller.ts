import { Body, Controller, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi';
import { OpdAnswerDto } from './opd.responses';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { CorrectOpdDto, RegisterOpdDto, RetireOpdDto, SetHeadcountDto } from './opd.dto';
import { CorrectOpdDetailsCommand } from './correct-opd-details.handler';
import { RetireOpdCommand } from './retire-opd.handler';
import { RegisterOpdCommand } from './register-opd.handler';
import { SetOpdHeadcountCommand } from './set-opd-headcount.handler';

@ApiTags('opds')
@ApiBearerAuth()
@Controller('v1/opds')
export class OpdsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly contexts: CommandContextFactory,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register an OPD with its PNS headcount (409 OPD_ALREADY_REGISTERED)' })
  @ApiCreatedResponse({ type: OpdAnswerDto })
  @ApiProblems('OPD_ALREADY_REGISTERED', 'CONCURRENCY_CONFLICT')
  async register(@Body() body: RegisterOpdDto, @Req() req: Request) {
    const { code, position } = await this.commands.execute(new RegisterOpdCommand(body, this.contexts.fromRequest(req)));
    return withPosition({ code }, position);
  }

  @Put(':code/headcount')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Set an OPD's PNS headcount from a date (history is kept)" })
  @ApiOkResponse({ type: OpdAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'OPD_RETIRED')
  async setHeadcount(@Param('code') code: string, @Body() body: SetHeadcountDto, @Req() req: Request) {
    const answer = await this.commands.execute(new SetOpdHeadcountCommand(code, body, this.contexts.fromRequest(req)));
    return withPosition({ code: answer.code }, answer.position);
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({
    summary: 'Correct the name or kind of an OPD',
    description: 'Records only the fields that differ from the current ones (OpdDetailsCorrected); a correction that changes nothing appends nothing and answers 200.',
  })
  @ApiOkResponse({ type: OpdAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT')
  async correct(@Param('code') code: string, @Body() body: CorrectOpdDto, @Req() req: Request) {
    const answer = await this.commands.execute(new CorrectOpdDetailsCommand(code, body, this.contexts.fromRequest(req)));
    return withPosition({ code: answer.code }, answer.position);
  }

  @Post(':code/retire')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Retire an OPD that has no registered sponsor left',
    description:
      'From effectiveOn (default today; never in the future nor before the registration) the OPD counts in none of the city figures ' +
      'and accepts no sponsor. Retiring it again appends nothing and answers 200. The sponsor count is read once the read models ' +
      'have caught up with the log (503 PROJECTION_LAGGING when they do not in time).',
  })
  @ApiOkResponse({ type: OpdAnswerDto })
  @ApiProblems('NOT_FOUND', 'OPD_HAS_SPONSORS', 'CONCURRENCY_CONFLICT', 'PROJECTION_LAGGING')
  async retire(@Param('code') code: string, @Body() body: RetireOpdDto, @Req() req: Request) {
    const answer = await this.commands.execute(new RetireOpdCommand(code, body, this.contexts.fromRequest(req)));
    return withPosition({ code: answer.code }, answer.position);
  }
}
