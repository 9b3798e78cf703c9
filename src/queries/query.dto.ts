import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { COVERAGE_GROUPINGS, CoverageGrouping } from '../../projections/coverage/coverage.query';
import { ListQueryDto, ReadQueryDto } from '../read-models/read-query.dto';
import { WORKER_STATUSES, WorkerStatus } from '../workers/worker.events';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class WorkerListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: WORKER_STATUSES })
  @IsOptional()
  @IsIn(WORKER_STATUSES)
  status?: WorkerStatus;

  @ApiPropertyOptional({ example: 'DINKES' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'opdCode must be an OPD code' })
  opdCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  sponsorId?: string;

  @ApiPropertyOptional({ example: '3374.01' })
  @IsOptional()
  @Matches(/^3374\.(0[1-9]|1[0-6])$/, { message: 'kecamatan must be a code 3374.01 … 3374.16' })
  kecamatan?: string;
}

export class SponsorListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: 'DINKES' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'opdCode must be an OPD code' })
  opdCode?: string;
}

export class CoverageQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ enum: COVERAGE_GROUPINGS, default: 'kecamatan' })
  @IsOptional()
  @IsIn(COVERAGE_GROUPINGS)
  groupBy?: CoverageGrouping;
}

export class MonthlyQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: '2026-01', description: 'First month (default: 11 months before `to`)' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12', description: 'Last month (default: the current month)' })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month YYYY-MM' })
  to?: string;
}
