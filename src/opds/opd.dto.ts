import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate, IsNotBlank } from '../http/validators';

export class RegisterOpdDto {
  @ApiProperty({ example: 'DINKES', description: 'Short unique uppercase code' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'code is 2–40 uppercase letters, digits or _ and starts with a letter' })
  code: string;

  @ApiProperty({ example: 'Dinas Kesehatan' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'DINAS', description: 'DINAS, BADAN, SETDA, KECAMATAN, …' })
  @IsString()
  @IsNotBlank()
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
  @IsCalendarDate()
  effectiveOn?: string;
}
