import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KecamatanListDto, OccupationListDto } from './reference.responses';
import { Roles } from '../auth/roles.decorator';
import { ReadQueryDto } from '../read-models/read-query.dto';
import { ListKecamatanQuery } from './list-kecamatan.query';
import { ListOccupationsQuery } from './list-occupations.query';

@ApiTags('reference')
@ApiBearerAuth()
@Controller('v1/reference')
@Roles('admin', 'operator', 'auditor', 'analyst')
export class ReferenceController {
  constructor(private readonly queries: QueryBus) {}

  @Get('kecamatan')
  @ApiOperation({ summary: 'The kecamatan of Kota Semarang: code and name' })
  @ApiOkResponse({ type: KecamatanListDto })
  kecamatan(@Query() _q: ReadQueryDto) {
    return this.queries.execute(new ListKecamatanQuery());
  }

  @Get('occupations')
  @ApiOperation({ summary: 'Eligible occupations with their Bahasa Indonesia labels' })
  @ApiOkResponse({ type: OccupationListDto })
  occupations(@Query() _q: ReadQueryDto) {
    return this.queries.execute(new ListOccupationsQuery());
  }
}
