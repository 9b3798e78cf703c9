import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate, IsNotBlank } from '../http/validators';
import { OPD_KINDS, type OpdKind } from './opd.events';

const KIND = { enum: OPD_KINDS, enumName: 'OpdKind', description: 'Kind of work unit' };

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

  @ApiProperty({ ...KIND, example: 'DINAS' })
  @IsIn(OPD_KINDS, { message: `kind must be one of ${OPD_KINDS.join(', ')}` })
  kind: OpdKind;

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

export class CorrectOpdDto {
  @ApiPropertyOptional({ example: 'Dinas Kesehatan Kota Semarang', description: 'The corrected name (left out: unchanged)' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ ...KIND, example: 'BADAN', description: 'The corrected kind (left out: unchanged)' })
  @IsOptional()
  @IsIn(OPD_KINDS, { message: `kind must be one of ${OPD_KINDS.join(', ')}` })
  kind?: OpdKind;

  @ApiProperty({ example: 'Perwal 12/2026: renamed', description: 'Why the details are corrected' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;
}

export class RetireOpdDto {
  @ApiProperty({ example: 'Merged into DINSOS (Perda 5/2026)' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ example: '2026-07-01', description: 'Defaults to today; never in the future nor before the registration' })
  @IsOptional()
  @IsCalendarDate()
  effectiveOn?: string;
}
