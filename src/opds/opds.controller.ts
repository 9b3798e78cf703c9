import { Body, Controller, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi';
import { OpdAnswerDto } from './opd.responses';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { RegisterOpdDto, SetHeadcountDto } from './opd.dto';
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
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT')
  async setHeadcount(@Param('code') code: string, @Body() body: SetHeadcountDto, @Req() req: Request) {
    const answer = await this.commands.execute(new SetOpdHeadcountCommand(code, body, this.contexts.fromRequest(req)));
    return withPosition({ code: answer.code }, answer.position);
  }
}
