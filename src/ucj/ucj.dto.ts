import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ReadQueryDto } from '../read-models/read-query.dto';

/** The shape only; which years and targets are allowed is the decider's (ucj.decider.ts). */
export class SetUcjTargetDto {
  @ApiProperty({ example: 2026, description: "The target's year: from the programme's first tariff year to 5 years after the current one" })
  @IsInt({ message: 'year must be a whole year' })
  year: number;

  @ApiProperty({ example: 100000, description: 'Covered (ACTIVE) workers the city aims for in that year: a whole number from 1 to 1,000,000,000' })
  @IsInt({ message: 'target must be a whole number of workers' })
  target: number;
}

export class UcjQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: 2026, description: 'Target year (default: the current year, Asia/Jakarta)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole year' })
  @Min(2000)
  @Max(2100)
  year?: number;
}
