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
import { EraseSponsorPersonalDataCommand } from './erase-sponsor.handler';
import { sponsorSubject } from './sponsor.events';
import { SponsorErasureAnswerDto, SponsorPersonalDataDto } from './sponsor.responses';
import { SponsorPersonalDataQuery } from './sponsor-personal-data.query';

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('v1/sponsors')
@Roles('admin')
export class SponsorPersonalDataController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: CommandContextFactory,
    private readonly access: PersonalDataAccess,
  ) {}

  @Post(':sponsorId/erasure')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase a sponsor's personal data (UU PDP): only once the sponsor has withdrawn",
    description: 'Records PersonalDataErased, releases the NIP and destroys the sponsor’s data key. Asking again answers the first erasure.',
  })
  @ApiOkResponse({ type: SponsorErasureAnswerDto })
  @ApiProblems('NOT_FOUND', 'ERASURE_NOT_ALLOWED', 'CONCURRENCY_CONFLICT')
  async erase(@Param('sponsorId', ParseUUIDPipe) sponsorId: string, @Body() body: ErasureRequestDto, @Req() req: Request) {
    const answer = await this.commands.execute(new EraseSponsorPersonalDataCommand(sponsorId, body, this.contexts.fromRequest(req)));
    return withPosition({ sponsorId, erasedAt: answer.erasedAt }, answer.position);
  }

  @Get(':sponsorId/personal-data')
  @ApiOperation({ summary: "The sponsor's personal data as held, with who has read it", description: 'Every call is written to the access log it shows.' })
  @ApiOkResponse({ type: SponsorPersonalDataDto })
  @ApiProblems('NOT_FOUND')
  async personalData(@Param('sponsorId', ParseUUIDPipe) sponsorId: string, @Query() _q: ReadQueryDto, @Req() req: Request) {
    await this.access.record(req, [sponsorSubject(sponsorId)]);
    return this.queries.execute(new SponsorPersonalDataQuery(sponsorId));
  }
}
