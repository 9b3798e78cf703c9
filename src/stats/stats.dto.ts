import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { COVERAGE_GROUPINGS, type CoverageGrouping } from '../../projections/coverage/coverage.query';
import { IsYearMonth } from '../http/validators';
import { ReadQueryDto } from '../read-models/read-query.dto';

export class CoverageQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ enum: COVERAGE_GROUPINGS, default: 'kecamatan' })
  @IsOptional()
  @IsIn(COVERAGE_GROUPINGS)
  groupBy?: CoverageGrouping;
}

export class MonthlyQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: '2026-01', description: 'First month (default: 11 months before `to`)' })
  @IsOptional()
  @IsYearMonth()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12', description: 'Last month (default: the current month)' })
  @IsOptional()
  @IsYearMonth()
  to?: string;
}
