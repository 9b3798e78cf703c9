import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi';
import { SponsorPageDto, SponsorViewDto } from './sponsor.responses';
import { Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_SIZE, ReadQueryDto } from '../read-models/read-query.dto';
import { GetSponsorQuery } from './get-sponsor.query';
import { ListSponsorsQuery } from './list-sponsors.query';
import { SponsorListQueryDto } from './sponsor.dto';

@ApiTags('sponsors')
@ApiBearerAuth()
@Controller('v1/sponsors')
@Roles('admin', 'operator', 'auditor')
export class SponsorQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Sponsors, optionally of one OPD' })
  @ApiOkResponse({ type: SponsorPageDto })
  list(@Query() q: SponsorListQueryDto) {
    return this.queries.execute(new ListSponsorsQuery(q.opdCode, q.limit ?? DEFAULT_PAGE_SIZE, q.cursor));
  }

  @Get(':sponsorId')
  @ApiOperation({ summary: 'A sponsor with its workers (registered, active) and the premiums it paid' })
  @ApiOkResponse({ type: SponsorViewDto })
  @ApiProblems('NOT_FOUND')
  get(@Param('sponsorId', ParseUUIDPipe) sponsorId: string, @Query() _q: ReadQueryDto) {
    return this.queries.execute(new GetSponsorQuery(sponsorId));
  }
}
