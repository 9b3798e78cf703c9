import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiProblems } from '../http/openapi';
import { ReadQueryDto } from '../read-models/read-query.dto';
import { DomainError } from '../shared/domain-error';
import { GetOpdQuery } from './get-opd.query';
import { ListOpdsQuery } from './list-opds.query';
import { OpdDetailDto, OpdListDto } from './opd.responses';

const OPD_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/** Read-only OPD look-ups for every role (the commands are in opds.controller.ts). */
@ApiTags('opds')
@ApiBearerAuth()
@Controller('v1/opds')
@Roles('admin', 'operator', 'auditor', 'analyst')
export class OpdQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Every OPD with its current PNS headcount (retired ones flagged)' })
  @ApiOkResponse({ type: OpdListDto })
  list(@Query() _q: ReadQueryDto) {
    return this.queries.execute(new ListOpdsQuery());
  }

  @Get(':code')
  @ApiOperation({ summary: 'One OPD with the history of its PNS headcount' })
  @ApiOkResponse({ type: OpdDetailDto })
  @ApiProblems('NOT_FOUND')
  get(@Param('code') code: string, @Query() _q: ReadQueryDto) {
    if (!OPD_CODE.test(code)) throw new DomainError('VALIDATION_FAILED', 'code must be an OPD code', 'code');
    return this.queries.execute(new GetOpdQuery(code));
  }
}
