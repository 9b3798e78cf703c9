import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ReadQueryDto } from '../read-models/read-query.dto';

export class UcjQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: 2026, description: 'Target year (default: the current year)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole year' })
  @Min(2000)
  @Max(2100)
  year?: number;
}
