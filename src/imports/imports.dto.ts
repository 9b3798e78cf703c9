import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IMPORT_KINDS, type ImportKind } from './import-file';

export class StartImportQueryDto {
  @ApiProperty({ enum: IMPORT_KINDS, description: 'workers (one enrolment per row) or payments (one premium payment per row)' })
  @IsIn(IMPORT_KINDS, { message: `kind must be one of ${IMPORT_KINDS.join(', ')}` })
  kind: ImportKind;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Decide every row, append nothing (default false)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}
