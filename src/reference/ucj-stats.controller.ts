import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { UcjQueryDto } from './reference.dto';
import { UcjProgressQuery } from './ucj-progress.query';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
@Roles('admin', 'operator', 'auditor', 'analyst')
export class UcjStatsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('ucj')
  @ApiOperation({
    summary: 'UCJ progress: workers ACTIVE now (every funding source) against the year\'s target',
    description: 'progress = covered / target (4 decimals); bySource splits covered by current funding source.',
  })
  ucj(@Query() q: UcjQueryDto) {
    return this.queries.execute(new UcjProgressQuery(q.year));
  }
}
