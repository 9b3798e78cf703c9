import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi';
import { SponsorAnswerDto } from './sponsor.responses';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { RegisterSponsorDto, TransferSponsorDto, WithdrawSponsorDto } from './sponsor.dto';
import { RegisterSponsorCommand } from './register-sponsor.handler';
import { TransferSponsorCommand } from './transfer-sponsor.handler';
import { WithdrawSponsorCommand } from './withdraw-sponsor.handler';

@ApiTags('sponsors')
@ApiBearerAuth()
@Controller('v1/sponsors')
@Roles('admin', 'operator')
export class SponsorsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly contexts: CommandContextFactory,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register an ASN as sponsor', description: 'A 409 NIP_ALREADY_REGISTERED answer carries the `sponsorId` holding the NIP.' })
  @ApiCreatedResponse({ type: SponsorAnswerDto })
  @ApiProblems('NIP_ALREADY_REGISTERED', 'CONCURRENCY_CONFLICT', 'UNKNOWN_OPD', 'OUT_OF_SCOPE')
  async register(@Body() body: RegisterSponsorDto, @Req() req: Request) {
    const { sponsorId, position } = await this.commands.execute(new RegisterSponsorCommand(body, this.contexts.fromRequest(req)));
    return withPosition({ sponsorId }, position);
  }

  @Post(':sponsorId/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mutasi: move the sponsor (and its workers) to another OPD from a date' })
  @ApiOkResponse({ type: SponsorAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'SPONSOR_WITHDRAWN', 'UNKNOWN_OPD', 'OUT_OF_SCOPE')
  async transfer(@Param('sponsorId', ParseUUIDPipe) sponsorId: string, @Body() body: TransferSponsorDto, @Req() req: Request) {
    const answer = await this.commands.execute(new TransferSponsorCommand(sponsorId, body, this.contexts.fromRequest(req)));
    return withPosition({ sponsorId }, answer.position);
  }

  @Post(':sponsorId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a sponsor (no longer counted as registered)' })
  @ApiOkResponse({ type: SponsorAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'OUT_OF_SCOPE')
  async withdraw(@Param('sponsorId', ParseUUIDPipe) sponsorId: string, @Body() body: WithdrawSponsorDto, @Req() req: Request) {
    const answer = await this.commands.execute(new WithdrawSponsorCommand(sponsorId, body, this.contexts.fromRequest(req)));
    return withPosition({ sponsorId }, answer.position);
  }
}
