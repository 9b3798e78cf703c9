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
import { GetSponsorQuery } from './get-sponsor.query';
import { ListSponsorsQuery } from './list-sponsors.query';
import { SponsorListQueryDto } from './sponsor.dto';
import { sponsorSubject } from './sponsor.events';
import { SponsorPageDto, SponsorViewDto } from './sponsor.responses';
import type { SponsorView } from './sponsor-view';

@ApiTags('sponsors')
@ApiBearerAuth()
@Controller('v1/sponsors')
@Roles('admin', 'operator', 'auditor')
export class SponsorQueriesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: PersonalDataAccess,
    private readonly scope: ScopeService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Sponsors, optionally of one OPD, or the one with a NIP (`nip`: admin and operator only)' })
  @ApiOkResponse({ type: SponsorPageDto })
  @ApiProblems('OUT_OF_SCOPE')
  async list(@Query() q: SponsorListQueryDto, @Req() req: Request) {
    if (q.nip !== undefined && (req as Request & { principal: Principal }).principal.role === 'auditor') {
      throw new ForbiddenException('Looking a sponsor up by NIP is for admins and operators');
    }
    const page = await this.queries.execute(new ListSponsorsQuery({ opdCode: this.scope.listFilter((req as Request & { principal: Principal }).principal, q.opdCode), nip: q.nip }, q.limit ?? DEFAULT_PAGE_SIZE, q.cursor));
    await this.recordNames(req, page.items);
    return page;
  }

  @Get(':sponsorId')
  @ApiOperation({ summary: 'A sponsor with its workers (registered, active) and the premiums it paid' })
  @ApiOkResponse({ type: SponsorViewDto })
  @ApiProblems('NOT_FOUND', 'OUT_OF_SCOPE')
  async get(@Param('sponsorId', ParseUUIDPipe) sponsorId: string, @Query() _q: ReadQueryDto, @Req() req: Request) {
    const sponsor = await this.queries.execute(new GetSponsorQuery(sponsorId));
    this.scope.requireVisible((req as Request & { principal: Principal }).principal, sponsor.opdCode, `sponsor ${sponsorId}`);
    await this.recordNames(req, [sponsor]);
    return sponsor;
  }

  private recordNames(req: Request, sponsors: readonly SponsorView[]): Promise<void> {
    return this.access.record(req, sponsors.filter((s) => s.fullName !== null).map((s) => sponsorSubject(s.sponsorId)));
  }
}
