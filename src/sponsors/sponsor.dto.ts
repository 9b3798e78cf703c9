import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class RegisterSponsorDto {
  @ApiProperty({ example: '198503122010011002', description: 'NIP (PNS or PPPK layout), 18 digits' })
  @IsString()
  @Matches(/^\d{18}$/, { message: 'nip must be 18 digits' })
  nip: string;

  @ApiProperty({ example: 'Siti Rahayu' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: 'DINKES' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  opdCode: string;
}

export class TransferSponsorDto {
  @ApiProperty({ example: 'DISBUDPAR' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  opdCode: string;

  @ApiPropertyOptional({ example: '2026-08-01', description: 'Defaults to today; never in the future' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'effectiveOn must be a date YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveOn must be a date YYYY-MM-DD' })
  effectiveOn?: string;
}

export class WithdrawDto {
  @ApiProperty({ example: 'Pensiun' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}
