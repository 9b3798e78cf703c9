import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class RegisterOpdDto {
  @ApiProperty({ example: 'DINKES', description: 'Short unique uppercase code' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'code is 2–40 uppercase letters, digits or _ and starts with a letter' })
  code: string;

  @ApiProperty({ example: 'Dinas Kesehatan' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'DINAS', description: 'DINAS, BADAN, SETDA, KECAMATAN, …' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  kind: string;

  @ApiProperty({ example: 412, description: 'Number of PNS in the OPD' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  pnsHeadcount: number;
}

export class SetHeadcountDto {
  @ApiProperty({ example: 420 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  pnsHeadcount: number;

  @ApiPropertyOptional({ example: '2026-07-01', description: 'Defaults to today; never in the future' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'effectiveOn must be a date YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveOn must be a date YYYY-MM-DD' })
  effectiveOn?: string;
}
