import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CitySummaryDto, CoverageStatsDto, MonthlyStatsDto, OpdStatsDto } from './stats.responses';
import { Roles } from '../auth/roles.decorator';
import { ReadQueryDto } from '../read-models/read-query.dto';
import { CitySummaryQuery } from './city-summary.query';
import { CoverageStatsQuery } from './coverage-stats.query';
import { MonthlyStatsQuery } from './monthly-stats.query';
import { OpdStatsQuery } from './opd-stats.query';
import { CoverageQueryDto, MonthlyQueryDto } from './stats.dto';

const METRICS =
  'sponsorsRegistered: ASN registered as sponsors and not withdrawn. sponsorsActive: sponsors with at least one ACTIVE worker. ' +
  'participationRate = sponsorsRegistered / pnsHeadcount; activeParticipationRate = sponsorsActive / pnsHeadcount (fractions, 4 decimals). ' +
  'An OPD participates when it has at least one registered sponsor. Active = ACTIVE; inactive = PENDING + LAPSED + ENDED. ';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
@Roles('admin', 'operator', 'auditor', 'analyst')
export class StatsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('summary')
  @ApiOperation({ summary: 'City-wide participation and coverage', description: `${METRICS}premiumsCollected sums every funding source (rupiah).` })
  @ApiOkResponse({ type: CitySummaryDto })
  summary(@Query() _q: ReadQueryDto) {
    return this.queries.execute(new CitySummaryQuery());
  }

  @Get('opds')
  @ApiOperation({
    summary: 'Participation per OPD',
    description: `${METRICS}Workers belong to the OPD of their current sponsor (a transferred sponsor moves with its workers); premiumsCollected per OPD counts payments by ASN sponsors while they belonged to it.`,
  })
  @ApiOkResponse({ type: OpdStatsDto })
  opds(@Query() _q: ReadQueryDto) {
    return this.queries.execute(new OpdStatsQuery());
  }

  @Get('coverage')
  @ApiOperation({
    summary: 'Coverage (UCJ: every funding source) grouped by kecamatan, occupation, funding source or OPD',
    description: 'With groupBy=opd, the key null gathers workers funded by APBD, DBHCHT, CSR or themselves (they belong to no OPD).',
  })
  @ApiOkResponse({ type: CoverageStatsDto })
  coverage(@Query() q: CoverageQueryDto) {
    return this.queries.execute(new CoverageStatsQuery(q.groupBy ?? 'kecamatan'));
  }

  @Get('monthly')
  @ApiOperation({ summary: 'Monthly series: enrolments, payments and gross amount, lapses and ends, reversals (every month of the range)' })
  @ApiOkResponse({ type: MonthlyStatsDto })
  monthly(@Query() q: MonthlyQueryDto) {
    return this.queries.execute(new MonthlyStatsQuery(q.from, q.to));
  }
}
